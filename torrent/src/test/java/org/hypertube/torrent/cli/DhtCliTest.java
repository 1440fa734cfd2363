package org.hypertube.torrent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.hypertube.torrent.Metainfo;
import org.hypertube.torrent.TorrentCreator;
import org.hypertube.torrent.dht.DhtNode;
import org.hypertube.torrent.dht.KrpcMessage;
import org.hypertube.torrent.dht.NodeId;
import org.hypertube.torrent.dht.Token;
import org.hypertube.torrent.interop.LibtorrentDht;
import org.hypertube.torrent.testing.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code torrent download --dht}: a tracker-less magnet fetched from a libtorrent seeder found in a private loopback DHT. */
@Timeout(120)
class DhtCliTest {
    @TempDir
    Path tmp;

    @Test
    void downloadWithDhtFetchesATrackerlessMagnet() throws Exception {
        Path data = TestData.file(tmp.resolve("seed/clip.bin"), 700_000, 29);
        byte[] t = new TorrentCreator().pieceLength(64 * 1024).create(data);
        try (LibtorrentDht swarm = LibtorrentDht.start(tmp, t)) {
            InetSocketAddress router = swarm.router();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int code = new Main(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8))
                    .run(new String[] {"download", "--dir", tmp.resolve("ours").toString(), "--bind", "127.0.99.3", "--port", "0",
                        "--timeout", "60", "--dht", "--dht-port", "0", "--dht-bootstrap", router.getHostString() + ":" + router.getPort(),
                        "magnet:?xt=urn:btih:" + Metainfo.parse(t).infoHash().hex()});
            assertThat(code).as("stdout %s\nstderr %s\n%s", out, err, swarm.tail()).isZero();
            assertThat(Files.readAllBytes(tmp.resolve("ours/clip.bin"))).isEqualTo(Files.readAllBytes(data));
        }
    }

    @Test
    void dhtLookupPrintsThePeersOfAnInfoHash() throws Exception {
        NodeId infoHash = NodeId.ofHex("0123456789abcdef0123456789abcdef01234567");
        try (DhtNode storing = DhtNode.builder().bind(new InetSocketAddress("127.0.5.1", 0)).open();
                DhtNode announcing = DhtNode.builder().bind(new InetSocketAddress("127.0.5.2", 0)).open()) {
            KrpcMessage first = announcing.getPeers(storing.localAddress(), infoHash).get(2, TimeUnit.SECONDS);
            Token token = ((KrpcMessage.Response) first).token().orElseThrow();
            assertThat(announcing.announcePeer(storing.localAddress(), infoHash, 5555, false, token).get(2, TimeUnit.SECONDS))
                    .isInstanceOf(KrpcMessage.Response.class);

            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int code = new Main(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8))
                    .run(new String[] {"dht-lookup", "--bind", "127.0.5.3", "--dht-bootstrap",
                        "127.0.5.1:" + storing.localAddress().getPort(), "magnet:?xt=urn:btih:" + infoHash});
            assertThat(code).as("stderr %s", err).isZero();
            assertThat(out.toString(StandardCharsets.UTF_8)).contains("2 nodes known", "peer 127.0.5.2:5555", "1 peers from"); // the storing node, and the announcer it pinged back
        }
    }

    @Test
    void downloadJoinsTheDhtByDefaultAndNotWithNoDht() throws Exception {
        try (DhtNode hub = DhtNode.builder().bind(new InetSocketAddress("127.0.6.1", 0)).open();
                DhtNode unasked = DhtNode.builder().bind(new InetSocketAddress("127.0.6.3", 0)).open()) {
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int code = new Main(new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8))
                    .run(new String[] {"download", "--dir", tmp.resolve("a").toString(), "--bind", "127.0.6.2", "--port", "0",
                        "--timeout", "3", "--dht-bootstrap", "127.0.6.1:" + hub.localAddress().getPort(),
                        "magnet:?xt=urn:btih:" + "c".repeat(40)});
            assertThat(code).as("stderr %s", err).isEqualTo(1); // nobody has it
            assertThat(hub.routingTableSize()).as("the CLI's node answered the hub").isEqualTo(1);

            code = new Main(new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8))
                    .run(new String[] {"download", "--no-dht", "--dir", tmp.resolve("b").toString(), "--bind", "127.0.6.4",
                        "--port", "0", "--timeout", "3", "--dht-bootstrap", "127.0.6.3:" + unasked.localAddress().getPort(),
                        "magnet:?xt=urn:btih:" + "c".repeat(40)});
            assertThat(code).isEqualTo(1);
            assertThat(unasked.routingTableSize()).isZero();
            assertThat(Files.exists(tmp.resolve("b/.hypertube/dht-id"))).isFalse();
        }
    }

    @Test
    void dhtAndNoDhtTogetherAreAUsageError() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = new Main(new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8))
                .run(new String[] {"download", "--dht", "--no-dht", "magnet:?xt=urn:btih:" + "a".repeat(40)});
        assertThat(code).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--dht and --no-dht");
    }

    @Test
    void aBadBootstrapAddressIsAUsageError() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = new Main(new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8))
                .run(new String[] {"download", "--dht", "--dht-bootstrap", "127.0.0.1", "magnet:?xt=urn:btih:" + "a".repeat(40)});
        assertThat(code).isNotZero();
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--dht-bootstrap must be HOST:PORT");
    }
}
