package org.hypertube.torrent.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.hypertube.torrent.Metainfo;
import org.hypertube.torrent.TorrentClient;
import org.hypertube.torrent.TorrentCreator;
import org.hypertube.torrent.dht.DhtNode;
import org.hypertube.torrent.peer.Handshake;
import org.hypertube.torrent.peer.MessageCodec;
import org.hypertube.torrent.peer.PeerMessage;
import org.hypertube.torrent.testing.TestData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * BEP 5's {@code PORT} message on the wire: with the DHT on, our handshake sets the DHT bit and a
 * peer that set it too gets our DHT port before our bitfield; a peer's {@code PORT} makes our node
 * ping that address, which enters our routing table by answering. Never for a private torrent.
 */
@Timeout(60)
class DhtPortMessageTest {
    private static final byte[] PEER_ID = "-XX0001-dhtportpeer1".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private final List<AutoCloseable> toClose = new ArrayList<>();
    @TempDir
    Path tmp;

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : toClose.reversed()) {
            c.close();
        }
    }

    private <T extends AutoCloseable> T track(T c) {
        toClose.add(c);
        return c;
    }

    private TorrentClient seeder(boolean dht) throws Exception {
        TorrentClient.Builder b = TorrentClient.builder().downloadDirectory(tmp.resolve("seed"))
                .bindAddress(InetAddress.getLoopbackAddress()).port(0);
        if (dht) {
            b.dht(0, List.of()); // no bootstrap node: only what the peer names can enter the table
        }
        return track(b.build());
    }

    private Metainfo torrent(String name, boolean isPrivate) throws Exception {
        return Metainfo.parse(new TorrentCreator().pieceLength(32 * 1024).privateTorrent(isPrivate)
                .create(TestData.file(tmp.resolve("seed/" + name), 200_000, name.length())));
    }

    /**
     * Connects from {@code from} as a peer that sets the DHT bit and sends {@code port} (if any) after
     * our opening messages; returns our handshake and those messages.
     */
    private Exchange connect(TorrentClient client, Metainfo m, String from, PeerMessage.Port port) throws Exception {
        Socket s = track(new Socket());
        s.bind(new InetSocketAddress(from, 0));
        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), client.port()));
        DataOutputStream out = new DataOutputStream(s.getOutputStream());
        DataInputStream in = new DataInputStream(new BufferedInputStream(s.getInputStream()));
        out.write(new Handshake(Handshake.ourReserved(true), m.infoHash(), PEER_ID).encode());
        out.flush();
        Handshake ours = Handshake.decode(Handshake.readFully(in));
        // Our opening messages (extension handshake, bitfield, PORT when it goes) are queued together; a
        // second of silence after the bitfield ends them.
        List<PeerMessage> opening = new ArrayList<>();
        boolean bitfield = false;
        s.setSoTimeout(1000);
        try {
            while (true) {
                PeerMessage msg = MessageCodec.read(in, 1 << 20);
                opening.add(msg);
                bitfield |= msg instanceof PeerMessage.Bitfield || msg instanceof PeerMessage.HaveAll;
                if (bitfield && msg instanceof PeerMessage.Port) {
                    break;
                }
            }
        } catch (java.net.SocketTimeoutException e) {
            assertThat(bitfield).as("our bitfield came, in %s", opening).isTrue();
        }
        s.setSoTimeout(0);
        if (port != null) {
            ScriptedPeer.send(out, port);
        }
        return new Exchange(ours, opening);
    }

    private record Exchange(Handshake ours, List<PeerMessage> opening) {}

    private void awaitNodes(TorrentClient client, int n) throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (client.dhtNodes().orElseThrow() < n && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
    }

    @Test
    void withTheDhtOnWeSendOurPortAndAPeersPortBringsItsNodeIntoOurTable() throws Exception {
        TorrentClient client = seeder(true);
        Metainfo m = torrent("film.bin", false);
        client.add(m).awaitCompletion(Duration.ofSeconds(20));
        DhtNode theirs = track(DhtNode.builder().bind(new InetSocketAddress("127.0.0.2", 0)).open());
        assertThat(client.dhtNodes()).hasValue(0);

        Exchange e = connect(client, m, "127.0.0.2", new PeerMessage.Port(theirs.localAddress().getPort()));
        assertThat(e.ours().supportsDht()).isTrue();
        // The PORT follows our bitfield, which strict peers want first.
        assertThat(e.opening()).last().isEqualTo(new PeerMessage.Port(client.dhtAddress().orElseThrow().getPort()));
        assertThat(e.opening().get(e.opening().size() - 2)).isInstanceOf(PeerMessage.HaveAll.class);
        awaitNodes(client, 1);
        assertThat(client.dhtNodes()).hasValue(1);
    }

    @Test
    void aPrivateTorrentsPeersGetNoDhtBitNoPortAndTheirPortIsIgnored() throws Exception {
        TorrentClient client = seeder(true);
        Metainfo secret = torrent("private.bin", true);
        Metainfo open = torrent("public.bin", false);
        client.add(secret).awaitCompletion(Duration.ofSeconds(20));
        client.add(open).awaitCompletion(Duration.ofSeconds(20));
        DhtNode named = track(DhtNode.builder().bind(new InetSocketAddress("127.0.0.3", 0)).open());
        DhtNode other = track(DhtNode.builder().bind(new InetSocketAddress("127.0.0.2", 0)).open());

        Exchange e = connect(client, secret, "127.0.0.3", new PeerMessage.Port(named.localAddress().getPort()));
        assertThat(e.ours().supportsDht()).isFalse();
        assertThat(e.opening()).noneMatch(msg -> msg instanceof PeerMessage.Port);
        // The same exchange on a public torrent afterwards: its node comes in, the private peer's never did.
        connect(client, open, "127.0.0.2", new PeerMessage.Port(other.localAddress().getPort()));
        awaitNodes(client, 1);
        Thread.sleep(500);
        assertThat(client.dhtNodes()).hasValue(1);
        assertThat(named.routingTableSize()).isZero();
    }

    @Test
    void aTakenDhtPortLeavesTheClientRunningWithoutTheDht() throws Exception {
        try (java.net.DatagramSocket taken = new java.net.DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            TorrentClient client = track(TorrentClient.builder().downloadDirectory(tmp.resolve("seed"))
                    .bindAddress(InetAddress.getLoopbackAddress()).port(0).dht(taken.getLocalPort(), List.of()).build());
            assertThat(client.dhtNodes()).isEmpty();
            assertThat(client.dhtAddress()).isEmpty();
            Metainfo m = torrent("film.bin", false);
            assertThat(client.add(m).awaitCompletion(Duration.ofSeconds(20))).isTrue();
            assertThat(connect(client, m, "127.0.0.1", null).ours().supportsDht()).isFalse();
        }
    }

    @Test
    void withTheDhtOffThereIsNoDhtBitAndNoPort() throws Exception {
        TorrentClient client = seeder(false);
        Metainfo m = torrent("film.bin", false);
        client.add(m).awaitCompletion(Duration.ofSeconds(20));
        Exchange e = connect(client, m, "127.0.0.1", null);
        assertThat(e.ours().supportsDht()).isFalse();
        assertThat(e.opening()).noneMatch(msg -> msg instanceof PeerMessage.Port);
        assertThat(client.dhtNodes()).isEmpty();
    }
}
