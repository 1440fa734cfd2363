package org.hypertube.torrent;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.hypertube.torrent.dht.DhtNode;
import org.hypertube.torrent.dht.KrpcMessage;
import org.hypertube.torrent.dht.NodeId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DHT as a {@link PeerSource}: a {@code get_peers} lookup for the torrent as soon as it starts
 * and every 15 minutes (while nothing is found, again after 10 s, 30 s, then every minute; every 30 while seeding), the peers offered as {@code "dht"}
 * as each node names them, then {@code announce_peer} with our listen port to the closest nodes that gave a token.
 * Nothing at all while the torrent is known to be private (BEP 27). While the client's shared {@link
 * DhtNode} knows fewer than {@value #WARM_TABLE} nodes (just after start, when its bootstrap is still
 * running), the lookup does not wait for the bootstrap: it asks the bootstrap nodes (and the saved
 * ones) itself, alongside whatever the table holds; an empty table also starts a new bootstrap.
 */
final class DhtPeerSource implements PeerSource {
    private static final Logger log = LoggerFactory.getLogger(DhtPeerSource.class);
    static final Duration INTERVAL = Duration.ofMinutes(15);
    static final Duration SEEDING_INTERVAL = Duration.ofMinutes(30);
    /** The waits after lookups that found nobody, in a row; the last repeats. */
    static final List<Duration> RETRIES = List.of(Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofMinutes(1));
    /** A routing table this size is enough to start a lookup from alone. */
    static final int WARM_TABLE = 8;

    private final DhtNode node;
    private final List<InetSocketAddress> bootstrap;
    private final InfoHash infoHash;
    private final BooleanSupplier allowed;
    private final BooleanSupplier seeding;
    private final int listenPort;
    private volatile Thread thread;

    DhtPeerSource(DhtNode node, List<InetSocketAddress> bootstrap, InfoHash infoHash, BooleanSupplier allowed,
            BooleanSupplier seeding, int listenPort) {
        this.node = node;
        this.bootstrap = List.copyOf(bootstrap);
        this.infoHash = infoHash;
        this.allowed = allowed;
        this.seeding = seeding;
        this.listenPort = listenPort;
    }

    @Override
    public void start(Sink sink) {
        thread = Thread.ofVirtual().name("dht-" + infoHash.shortHex()).start(() -> loop(sink));
    }

    private void loop(Sink sink) {
        NodeId target = NodeId.of(infoHash.bytes());
        int empty = 0;
        try {
            while (!Thread.currentThread().isInterrupted()) {
                Duration wait = INTERVAL;
                if (allowed.getAsBoolean()) {
                    boolean found = round(target, sink);
                    empty = found ? 0 : empty + 1;
                    wait = nextWait(seeding.getAsBoolean(), empty);
                }
                Thread.sleep(wait);
            }
        } catch (InterruptedException e) {
            // stopped
        }
    }

    /**
     * The wait before the next round after {@code emptyRounds} lookups in a row found nobody (0: the
     * last one found peers). A seed needs nobody, so it only keeps its announce alive (its lookup may
     * well find no one); a download that found nobody, perhaps because the routing table was still
     * empty, tries again soon, backing off to once a minute.
     */
    static Duration nextWait(boolean seeding, int emptyRounds) {
        if (seeding) {
            return SEEDING_INTERVAL;
        }
        return emptyRounds == 0 ? INTERVAL : RETRIES.get(Math.min(emptyRounds, RETRIES.size()) - 1);
    }

    /** One lookup and announce; whether any peer was found. */
    private boolean round(NodeId target, Sink sink) throws InterruptedException {
        try {
            int known = node.routingTableSize();
            if (known == 0) {
                node.bootstrap(bootstrap);
            }
            long start = System.nanoTime();
            AtomicBoolean first = new AtomicBoolean(true);
            // Peers go to the session as each node names them, not when the lookup ends.
            DhtNode.LookupResult r = node.lookup(target, known < WARM_TABLE ? bootstrap : List.of(), peers -> {
                if (first.getAndSet(false)) {
                    log.info("{} DHT: first {} peers after {} ms ({} nodes known at the start)", infoHash, peers.size(),
                            (System.nanoTime() - start) / 1_000_000, known);
                }
                sink.offer(peers, "dht");
            }).get(2, TimeUnit.MINUTES);
            log.info("{} DHT: {} peers from {} queries in {} ms, {} nodes to announce to", infoHash, r.peers().size(), r.queried(),
                    (System.nanoTime() - start) / 1_000_000, r.closest().size());
            if (allowed.getAsBoolean()) {
                for (DhtNode.TokenHolder h : r.closest()) {
                    node.announcePeer(h.node().address(), target, listenPort, false, h.token()).thenAccept(m -> {
                        if (m instanceof KrpcMessage.Error e) {
                            log.debug("{} DHT: announce to {} refused: {} {}", infoHash, h.node(), e.code(), e.message());
                        }
                    });
                }
            }
            return !r.peers().isEmpty();
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            log.debug("{} DHT lookup failed: {}", infoHash, e.toString());
            return false;
        }
    }

    @Override
    public void stop() {
        Thread t = thread;
        if (t != null) {
            t.interrupt();
        }
    }
}
