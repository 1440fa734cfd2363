package org.hypertube.torrent.pex;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * PEX with one connected peer, both ways; not thread-safe (the session calls it under its lock).
 *
 * <p>Sending: the first message lists up to {@value #FIRST_MAX_ADDED} live peers, each later one
 * the difference from what this peer was told, at most {@value #MAX_ADDED} added and
 * {@value #MAX_DROPPED} dropped (the rest waits), at most once per {@link #SEND_INTERVAL}. A peer
 * once added is dropped when it leaves; the recipient is never listed.
 *
 * <p>Receiving: a message sooner than {@link #MIN_RECEIVE_INTERVAL} after the last one accepted is
 * ignored and counted ({@link #tooFrequent()}), never a reason to disconnect by itself: libtorrent
 * accepts six a minute, a reader held back by our rate limiter can read two messages sent a minute
 * apart back to back, and a message is bounded anyway ({@link PexCodec}). At most
 * {@value #MAX_LEARNED} addresses learned from one peer are held at a time (dropped ones make
 * room); our own addresses, the sender's and, from a sender that is not itself local, local ones
 * (loopback, private, link-local) are left out, as libtorrent does.
 */
public final class PexPeerState {
    public static final Duration SEND_INTERVAL = Duration.ofSeconds(60);
    public static final Duration MIN_RECEIVE_INTERVAL = Duration.ofSeconds(45);
    public static final int FIRST_MAX_ADDED = 200;
    public static final int MAX_ADDED = 50;
    public static final int MAX_DROPPED = 50;
    public static final int MAX_LEARNED = 200;

    private final InetSocketAddress peer;
    private final Set<InetSocketAddress> ownAddresses;
    private final Clock clock;
    /** What this peer was told is live: added and not dropped since, in the order added. */
    private final Map<InetSocketAddress, PexPeer> told = new LinkedHashMap<>();
    private final Set<InetSocketAddress> learned = new HashSet<>();
    private Instant lastSent;
    private Instant lastReceived;
    private int tooFrequent;

    /**
     * @param peer the address this peer listens on, as the session lists it to others (for an
     *     incoming connection: its IP with the port from its extension handshake's {@code p})
     * @param ownAddresses the addresses others reach us at (each listen address with its port)
     */
    public PexPeerState(InetSocketAddress peer, Set<InetSocketAddress> ownAddresses, Clock clock) {
        this.peer = peer;
        this.ownAddresses = Set.copyOf(ownAddresses);
        this.clock = clock;
    }

    /**
     * The message to send this peer now, if one is due and something changed.
     *
     * @param live the torrent's handshaken peers, by the address they listen on; a peer that
     *     connected to us and did not tell its listen port is left out by the caller
     */
    public Optional<PexMessage> nextMessage(Collection<PexPeer> live) {
        Instant now = clock.instant();
        if (lastSent != null && now.isBefore(lastSent.plus(SEND_INTERVAL))) {
            return Optional.empty();
        }
        Map<InetSocketAddress, PexPeer> current = new LinkedHashMap<>();
        live.stream().filter(p -> !p.address().equals(peer)).forEach(p -> current.putIfAbsent(p.address(), p));
        List<PexPeer> added = current.values().stream().filter(p -> !told.containsKey(p.address()))
                .limit(lastSent == null ? FIRST_MAX_ADDED : MAX_ADDED).toList();
        List<InetSocketAddress> dropped = told.keySet().stream().filter(a -> !current.containsKey(a)).limit(MAX_DROPPED).toList();
        if (added.isEmpty() && dropped.isEmpty()) {
            return Optional.empty();
        }
        dropped.forEach(told::remove);
        added.forEach(p -> told.put(p.address(), p));
        lastSent = now;
        return Optional.of(PexMessage.of(added, dropped));
    }

    /** The new addresses worth dialling from a message this peer sent; none when it came too soon. */
    public List<PexCandidate> receive(PexMessage m) {
        Instant now = clock.instant();
        if (lastReceived != null && now.isBefore(lastReceived.plus(MIN_RECEIVE_INTERVAL))) {
            tooFrequent++;
            return List.of();
        }
        lastReceived = now;
        m.allDropped().forEach(learned::remove);
        boolean senderLocal = isLocal(peer.getAddress());
        List<PexCandidate> out = new ArrayList<>();
        for (PexPeer p : m.allAdded()) {
            InetSocketAddress a = p.address();
            if (learned.size() >= MAX_LEARNED) {
                break;
            }
            if (!a.equals(peer) && !ownAddresses.contains(a) && (senderLocal || !isLocal(a.getAddress())) && learned.add(a)) {
                out.add(new PexCandidate(p, peer));
            }
        }
        return out;
    }

    /** How many messages from this peer were ignored for coming too soon. */
    public int tooFrequent() {
        return tooFrequent;
    }

    private static boolean isLocal(InetAddress a) {
        boolean uniqueLocal = a instanceof Inet6Address && (a.getAddress()[0] & 0xfe) == 0xfc;
        return a.isLoopbackAddress() || a.isSiteLocalAddress() || a.isLinkLocalAddress() || uniqueLocal;
    }

    @Override
    public String toString() {
        return "PexPeerState[" + peer + ", told " + told.size() + ", learned " + learned.size() + ", too frequent " + tooFrequent + "]";
    }
}
