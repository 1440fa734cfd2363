package org.hypertube.torrent.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.hypertube.torrent.Magnet;
import org.hypertube.torrent.Metainfo;
import org.hypertube.torrent.Torrent;
import org.hypertube.torrent.TorrentClient;
import org.hypertube.torrent.TorrentCreator;
import org.hypertube.torrent.dht.DhtNode;
import org.hypertube.torrent.dht.Krpc;
import org.hypertube.torrent.dht.KrpcMessage;
import org.hypertube.torrent.dht.NodeId;
import org.hypertube.torrent.testing.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our {@link DhtNode} in a private loopback DHT of libtorrent 2.0 sessions (SWARM.md §3.2): it
 * bootstraps from the router session R alone and finds, by an iterative {@code get_peers}, the
 * address of the libtorrent session that seeds a tracker-less torrent; then announces itself with
 * the tokens libtorrent gave, which libtorrent accepts.
 */
@Timeout(120)
class DhtInteropTest {
    @TempDir
    Path tmp;

    @Test
    void ourNodeFindsTheLibtorrentSeederThroughThePrivateDht() throws Exception {
        Path data = TestData.file(tmp.resolve("seed/film.bin"), 1_000_000, 17);
        byte[] t = new TorrentCreator().pieceLength(256 * 1024).create(data); // no tracker: only the DHT knows the seed
        NodeId infoHash = NodeId.of(Metainfo.parse(t).infoHash().bytes());
        try (LibtorrentDht swarm = LibtorrentDht.start(tmp, t, List.of("--watch"));
                DhtNode ours = DhtNode.builder()
                        .bind(new InetSocketAddress(InetAddress.getByName("127.0.99.1"), 0))
                        .idFile(tmp.resolve("dht-id"))
                        .open()) {
            InetSocketAddress router = swarm.router();
            InetSocketAddress seeder = swarm.seeder();

            int size = ours.bootstrap(List.of(router)).get(30, TimeUnit.SECONDS);
            assertThat(size).as("routing table after bootstrap\n%s", swarm.tail()).isPositive();

            DhtNode.LookupResult found = ours.lookup(infoHash).get(30, TimeUnit.SECONDS);
            assertThat(found.peers()).as("peers found in %d queries\n%s", found.queried(), swarm.tail()).contains(seeder);
            assertThat(found.closest()).as("nodes that gave a token").isNotEmpty();

            // libtorrent accepts an announce_peer with its own token, and its own lookups then find us.
            for (DhtNode.TokenHolder holder : found.closest()) {
                KrpcMessage reply = ours.announcePeer(holder.node().address(), infoHash, 6881, false, holder.token())
                        .get(5, TimeUnit.SECONDS);
                assertThat(reply).as("announce_peer reply from %s", holder.node()).isInstanceOf(KrpcMessage.Response.class);
            }
            swarm.awaitPeer(new InetSocketAddress("127.0.99.1", 6881), Duration.ofSeconds(20));
        }
    }

    @Test
    void ourClientGivenOnlyATrackerlessMagnetDownloadsFromTheSeederFoundThroughTheDht() throws Exception {
        Path data = TestData.file(tmp.resolve("seed/film.bin"), 1_000_000, 23);
        byte[] t = new TorrentCreator().pieceLength(256 * 1024).create(data);
        Metainfo metainfo = Metainfo.parse(t);
        try (LibtorrentDht swarm = LibtorrentDht.start(tmp, t)) {
            InetSocketAddress router = swarm.router();
            try (TorrentClient ours = TorrentClient.builder().downloadDirectory(Files.createDirectories(tmp.resolve("ours")))
                    .bindAddress(InetAddress.getByName("127.0.99.1")).port(0).dht(0, List.of(router)).build()) {
                Torrent torrent = ours.add(Magnet.parse("magnet:?xt=urn:btih:" + metainfo.infoHash().hex()));
                assertThat(torrent.awaitCompletion(Duration.ofSeconds(60))).as("complete; peers %s\n%s", torrent.peers(), swarm.tail())
                        .isTrue();
                assertThat(Files.readAllBytes(tmp.resolve("ours/film.bin"))).isEqualTo(Files.readAllBytes(data));
                assertThat(ours.dhtAddress()).isPresent();
            }
        }
    }

    @Test
    void libtorrentGivenOnlyAMagnetDownloadsFromOurSeederFoundThroughTheDht() throws Exception {
        Path data = TestData.file(tmp.resolve("ours/mine.bin"), 600_000, 41);
        byte[] mine = new TorrentCreator().pieceLength(64 * 1024).create(data);
        byte[] theirs = new TorrentCreator().create(TestData.file(tmp.resolve("seed/film.bin"), 100_000, 42));
        String hex = Metainfo.parse(mine).infoHash().hex();
        try (LibtorrentDht swarm = LibtorrentDht.start(tmp, theirs, List.of("--fetch", hex));
                TorrentClient ours = TorrentClient.builder().downloadDirectory(tmp.resolve("ours"))
                        .bindAddress(InetAddress.getByName("127.0.99.4")).port(0).dht(0, List.of(swarm.router())).build()) {
            Torrent seeding = ours.add(Metainfo.parse(mine)); // the data is in place: checked, seeded, announced on the DHT
            swarm.await("FETCHED " + hex, Duration.ofSeconds(60));
            assertThat(seeding.uploadedBytes()).as("we are the only seeder").isGreaterThanOrEqualTo(600_000);
            assertThat(Files.readAllBytes(tmp.resolve("seed/fetched/mine.bin"))).isEqualTo(Files.readAllBytes(data));
        }
    }

    @Test
    void aLibtorrentPeersPortMessageBringsItsNodeIntoOurOtherwiseEmptyTable() throws Exception {
        Path data = TestData.file(tmp.resolve("seed/film.bin"), 300_000, 31);
        byte[] t = new TorrentCreator().pieceLength(64 * 1024).create(data);
        try (LibtorrentDht swarm = LibtorrentDht.start(tmp, t, List.of("--nodes", "1"));
                TorrentClient ours = TorrentClient.builder().downloadDirectory(Files.createDirectories(tmp.resolve("ours")))
                        .bindAddress(InetAddress.getByName("127.0.99.6")).port(0).dht(0, List.of()).build()) {
            Torrent torrent = ours.add(Metainfo.parse(t));
            // No bootstrap node: the seeder's DHT node (on its BitTorrent port) can only come to us through the
            // PORT messages of the connection (libtorrent sends one when both set the DHT bit).
            torrent.connect(swarm.seeder());
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (ours.dhtNodes().orElseThrow() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(ours.dhtNodes()).as("peers %s\n%s", torrent.peers(), swarm.tail()).hasValue(1);
            assertThat(torrent.awaitCompletion(Duration.ofSeconds(30))).isTrue();
        }
    }

    @Test
    void aPrivateTorrentNeverUsesTheDht() throws Exception {
        // No libtorrent needed: a raw KRPC responder stands in for the DHT and notes what it is asked.
        Set<NodeId> askedFor = ConcurrentHashMap.newKeySet();
        try (DatagramSocket network = new DatagramSocket(new InetSocketAddress("127.0.98.1", 0))) {
            NodeId networkId = NodeId.random(new SplittableRandom(11));
            Thread responder = Thread.ofVirtual().start(() -> {
                byte[] buf = new byte[2048];
                while (!network.isClosed()) {
                    try {
                        DatagramPacket p = new DatagramPacket(buf, buf.length);
                        network.receive(p);
                        KrpcMessage m = Krpc.decode(Arrays.copyOf(p.getData(), p.getLength()));
                        switch (m) {
                            case KrpcMessage.GetPeers g -> askedFor.add(g.infoHash());
                            case KrpcMessage.AnnouncePeer a -> askedFor.add(a.infoHash());
                            default -> { }
                        }
                        byte[] r = Krpc.encode(new KrpcMessage.Response(m.t(), networkId));
                        network.send(new DatagramPacket(r, r.length, p.getSocketAddress()));
                    } catch (Exception e) {
                        // closed, or not KRPC
                    }
                }
            });
            try (TorrentClient ours = TorrentClient.builder().downloadDirectory(Files.createDirectories(tmp.resolve("ours")))
                    .bindAddress(InetAddress.getByName("127.0.99.2")).port(0)
                    .dht(0, List.of((InetSocketAddress) network.getLocalSocketAddress())).build()) {
                Metainfo secret = Metainfo.parse(new TorrentCreator().privateTorrent(true)
                        .create(TestData.file(tmp.resolve("p/secret.bin"), 100_000, 5)));
                Metainfo open = Metainfo.parse(new TorrentCreator().create(TestData.file(tmp.resolve("o/open.bin"), 100_000, 6)));
                ours.add(secret);
                ours.add(open);
                NodeId openHash = NodeId.of(open.infoHash().bytes());
                long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                while (!askedFor.contains(openHash) && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                Thread.sleep(500);
                assertThat(askedFor).as("info-hashes looked up or announced").containsExactly(openHash);
            }
            network.close();
            responder.join(2000);
        }
    }
}
