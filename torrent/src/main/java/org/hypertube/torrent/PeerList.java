package org.hypertube.torrent;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The peers a torrent knows of and when each may be dialled again (libtorrent's {@code peer_list}):
 * candidates from every {@link PeerSource}, failures counted with a growing back-off (10 s doubling to
 * 5 min; given up after more than {@link #MAX_FAILURES}), ourselves and banned addresses forgotten. A pure object guarded by the session's lock.
 */
final class PeerList {
    /** Candidates kept at most: a flood of addresses (a hostile tracker or PEX peer) cannot grow it without bound. */
    static final int MAX_CANDIDATES = 2_000;
    /** Failures after which an address is forgotten. */
    static final int MAX_FAILURES = 5;

    /** Address → earliest time (ms) it may be dialled; {@link Long#MAX_VALUE} while a dial is under way or not wanted. */
    private final Map<InetSocketAddress, Long> candidates = new LinkedHashMap<>();
    private final Map<InetSocketAddress, Integer> failures = new HashMap<>();
    private final Map<InetSocketAddress, String> sources = new HashMap<>();
    private final Set<InetSocketAddress> connecting = new HashSet<>();
    private final Set<InetSocketAddress> self = new HashSet<>();
    private final Set<InetSocketAddress> banned = new HashSet<>();
    /** Addresses given up after {@link #MAX_FAILURES}, most recent last; bounded, so a stream of dead addresses cannot grow it. */
    private final java.util.LinkedHashSet<InetSocketAddress> gaveUp = new java.util.LinkedHashSet<>();

    /** New candidates, dialable at once; known ones keep their state. Returns how many were new. */
    int offer(Iterable<InetSocketAddress> peers, String source) {
        int added = 0;
        for (InetSocketAddress a : peers) {
            if (candidates.size() >= MAX_CANDIDATES) {
                break;
            }
            if (!self.contains(a) && !banned.contains(a) && !gaveUp.contains(a) && candidates.putIfAbsent(a, 0L) == null) {
                sources.put(a, source);
                added++;
            }
        }
        return added;
    }

    /** An address the application asked for: dialled at once, its failures forgiven. */
    void connectNow(InetSocketAddress a) {
        gaveUp.remove(a);
        candidates.put(a, 0L);
        sources.putIfAbsent(a, "added");
        failures.remove(a);
    }

    /** Where an incoming peer listens: known, but not dialled while it is connected to us. */
    void rememberListenAddress(InetSocketAddress a) {
        if (candidates.size() < MAX_CANDIDATES) {
            candidates.putIfAbsent(a, Long.MAX_VALUE);
        }
    }

    /** Where {@code a} was learned (tracker, magnet, pex, incoming), or null. */
    String source(InetSocketAddress a) {
        return sources.get(a);
    }

    /**
     * Up to {@code room} addresses to dial now, marked as being dialled. {@code connected} tells
     * which addresses have a connection already; {@code own} which are this client's own. While
     * seeding, addresses that failed before are not dialled (they may dial us).
     */
    List<InetSocketAddress> toDial(int room, long now, boolean seeding, Predicate<InetSocketAddress> connected,
            Predicate<InetSocketAddress> own) {
        List<InetSocketAddress> out = new ArrayList<>();
        for (var it = candidates.entrySet().iterator(); it.hasNext() && out.size() < room;) {
            var e = it.next();
            InetSocketAddress a = e.getKey();
            if (e.getValue() > now || connecting.contains(a)) {
                continue;
            }
            if (self.contains(a) || banned.contains(a) || own.test(a) || failures.getOrDefault(a, 0) > MAX_FAILURES) {
                it.remove();
                sources.remove(a);
                if (failures.remove(a) != null) {
                    gaveUp.add(a);
                    if (gaveUp.size() > 5 * MAX_CANDIDATES) {
                        gaveUp.removeFirst();
                    }
                }
                continue;
            }
            if (connected.test(a) || (seeding && failures.getOrDefault(a, 0) > 0)) {
                continue;
            }
            e.setValue(Long.MAX_VALUE); // not again until this attempt ends
            connecting.add(a);
            out.add(a);
        }
        return out;
    }

    int connectingCount() {
        return connecting.size();
    }

    void dialDone(InetSocketAddress a) {
        connecting.remove(a);
    }

    /** The dial was given up for want of memory on our side: tried again later, not counted against the peer. */
    void dialPostponed(InetSocketAddress a, long now) {
        connecting.remove(a);
        candidates.put(a, now + 30_000L);
    }

    void dialFailed(InetSocketAddress a, long now) {
        connecting.remove(a);
        int n = failures.merge(a, 1, Integer::sum);
        candidates.put(a, now + Math.min(300_000L, 5_000L << Math.min(n, 6)));
    }

    void connectedToSelf(InetSocketAddress a) {
        connecting.remove(a);
        self.add(a);
        candidates.remove(a);
        sources.remove(a);
    }

    void connected(InetSocketAddress a) {
        failures.remove(a);
    }

    /** An outgoing connection ended; {@code noFault}: closed by us for a reason not the peer's. */
    void disconnected(InetSocketAddress a, boolean noFault, long now) {
        if (noFault) {
            failures.remove(a);
            candidates.put(a, 0L);
        } else {
            int n = failures.merge(a, 1, Integer::sum);
            candidates.put(a, now + 30_000L * n);
        }
    }

    void ban(InetSocketAddress a) {
        banned.add(a);
        candidates.remove(a);
        sources.remove(a);
    }

    /** Every known peer is worth a try again at once (resumed, or downloading again). */
    void retryAll() {
        candidates.replaceAll((a, t) -> 0L);
        failures.clear();
        gaveUp.clear();
    }

    int size() {
        return candidates.size();
    }
}
