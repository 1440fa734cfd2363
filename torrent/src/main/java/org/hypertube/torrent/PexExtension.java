package org.hypertube.torrent;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.hypertube.torrent.peer.ExtensionHandshake;
import org.hypertube.torrent.peer.PeerProtocolException;
import org.hypertube.torrent.pex.PexCandidate;
import org.hypertube.torrent.pex.PexCodec;
import org.hypertube.torrent.pex.PexPeer;
import org.hypertube.torrent.pex.PexPeerState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code ut_pex} (BEP 11) as an extension and a {@link PeerSource} (libtorrent's {@code ut_pex.cpp},
 * anacrolix's {@code pexconn.go}): each peer that speaks it is told, at most once a minute, which
 * peers we are connected to, and what it tells us goes to the peer list as candidates. Never for a
 * private torrent (BEP 27). Guarded by the session's lock.
 */
final class PexExtension implements Extension, PeerSource {
    private static final Logger log = LoggerFactory.getLogger(PexExtension.class);

    private final InfoHash infoHash;
    private final BooleanSupplier allowed;
    private final Supplier<Collection<PexPeer>> live;
    private final Set<InetSocketAddress> own;
    private final Clock clock;
    private final Map<ExtensionPeer, PexPeerState> states = new HashMap<>();
    private volatile Sink sink;

    /**
     * @param allowed false for a private torrent
     * @param live the torrent's handshaken peers by the address they listen on, with their flags
     * @param own the addresses others reach us at
     */
    PexExtension(InfoHash infoHash, BooleanSupplier allowed, Supplier<Collection<PexPeer>> live, Set<InetSocketAddress> own,
            Clock clock) {
        this.infoHash = infoHash;
        this.allowed = allowed;
        this.live = live;
        this.own = own;
        this.clock = clock;
    }

    @Override
    public String name() {
        return PexCodec.EXTENSION_NAME;
    }

    @Override
    public boolean enabled() {
        return allowed.getAsBoolean();
    }

    @Override
    public void start(Sink sink) {
        this.sink = sink;
    }

    @Override
    public void onHandshake(ExtensionPeer p, ExtensionHandshake theirs) {
        if (p.extensionId(name()) == 0) {
            states.remove(p);
            return;
        }
        InetSocketAddress listens = p.outgoing() || theirs.listenPort().isEmpty() ? p.address()
                : new InetSocketAddress(p.address().getAddress(), theirs.listenPort().getAsInt());
        states.computeIfAbsent(p, k -> new PexPeerState(listens, own, clock));
    }

    @Override
    public void onMessage(ExtensionPeer p, byte[] payload) throws PeerProtocolException {
        PexPeerState state = states.get(p);
        if (state == null) {
            return; // it never said it speaks ut_pex
        }
        var learned = state.receive(PexCodec.decode(payload));
        Sink s = sink;
        if (!learned.isEmpty() && s != null) {
            log.debug("{} {} peers from PEX of {}", infoHash, learned.size(), p.address());
            s.offer(learned.stream().map(PexCandidate::address).toList(), "pex");
        }
    }

    @Override
    public void onClosed(ExtensionPeer p) {
        states.remove(p);
    }

    @Override
    public void tick(long now) {
        if (states.isEmpty()) {
            return;
        }
        Collection<PexPeer> current = null;
        for (var e : states.entrySet()) {
            ExtensionPeer p = e.getKey();
            int id = p.extensionId(name());
            if (id == 0 || p.isClosed()) {
                continue;
            }
            if (current == null) {
                current = live.get();
            }
            e.getValue().nextMessage(current).ifPresent(m -> p.sendExtended(id, PexCodec.encode(m)));
        }
    }
}
