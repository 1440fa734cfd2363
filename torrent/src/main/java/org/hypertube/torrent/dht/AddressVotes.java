package org.hypertube.torrent.dht;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Our external IPv4 address as others see it (BEP 42's {@code ip} in the responses we get, or a
 * tracker's report): each voter IP's latest report counts once, the last {@value #MAX_VOTERS} voters
 * are kept, and an address is agreed when at least {@value #AGREE} distinct voters name it and no
 * other address has as many. One liar, or two, cannot move it. Not thread-safe.
 */
final class AddressVotes {
    static final int AGREE = 3;
    static final int MAX_VOTERS = 64;

    /** voter IP → the address it last said we have, oldest voter first. */
    private final LinkedHashMap<InetAddress, InetAddress> votes = new LinkedHashMap<>();
    private InetAddress agreed;

    /**
     * Records that {@code voter} saw us at {@code reported}; returns the agreed address when this vote
     * changed it. Reports that are not a unicast IPv4 address, or that name the voter itself, are ignored.
     */
    Optional<InetAddress> vote(InetAddress voter, InetAddress reported) {
        if (!(reported instanceof Inet4Address) || reported.isAnyLocalAddress() || reported.isMulticastAddress()
                || reported.equals(voter)) {
            return Optional.empty();
        }
        votes.remove(voter);
        votes.put(voter, reported);
        if (votes.size() > MAX_VOTERS) {
            votes.pollFirstEntry();
        }
        Map<InetAddress, Integer> counts = new HashMap<>();
        votes.values().forEach(a -> counts.merge(a, 1, Integer::sum));
        InetAddress best = null;
        int bestCount = 0;
        boolean tie = false;
        for (var e : counts.entrySet()) {
            if (e.getValue() > bestCount) {
                best = e.getKey();
                bestCount = e.getValue();
                tie = false;
            } else if (e.getValue() == bestCount) {
                tie = true;
            }
        }
        if (best == null || tie || bestCount < AGREE || best.equals(agreed)) {
            return Optional.empty();
        }
        agreed = best;
        return Optional.of(best);
    }

    Optional<InetAddress> agreed() {
        return Optional.ofNullable(agreed);
    }
}
