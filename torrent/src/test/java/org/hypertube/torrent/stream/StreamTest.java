package org.hypertube.torrent.stream;

import org.hypertube.torrent.StreamTimeoutException;
import org.hypertube.torrent.TorrentStream;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hypertube.torrent.stream.StreamFixture.PIECE;
import static org.hypertube.torrent.stream.StreamFixture.expected;
import static org.hypertube.torrent.stream.StreamFixture.local;
import static org.hypertube.torrent.stream.StreamFixture.read;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.hypertube.torrent.Torrent;
import org.hypertube.torrent.TorrentClient;
import org.hypertube.torrent.InfoHash;
import org.hypertube.torrent.Magnet;
import org.hypertube.torrent.Metainfo;
import org.hypertube.torrent.peer.Handshake;
import org.hypertube.torrent.peer.MessageCodec;
import org.hypertube.torrent.peer.PeerMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link TorrentStream} against our own seeder on loopback. Order tests use a seeder capped at a
 * few MB/s, so a 32 MiB torrent takes long enough that which pieces come first shows the priorities.
 * They assert the order in which pieces are verified, never how fast.
 */
@Timeout(120)
class StreamTest {
    private static final long BIG = 32L << 20; // 128 pieces of 256 KiB
    private static final int PIECES = (int) (BIG / PIECE);
    @TempDir
    Path tmp;
    private StreamFixture fx;

    @BeforeEach
    void setUp() {
        fx = new StreamFixture(tmp);
    }

    @AfterEach
    void tearDown() throws Exception {
        fx.close();
    }

    /** A seeder of a 32 MiB file capped at {@code rate} bytes/s and a leecher connected to it. */
    private record Swarm(Path data, Metainfo metainfo, TorrentClient seeder, TorrentClient leecher, Torrent torrent) {}

    private Swarm swarm(long size, long rate) throws Exception {
        Path data = fx.file("seed/film.bin", size, 17);
        Metainfo m = fx.torrent(data);
        TorrentClient seeder = fx.client("seed", b -> b.uploadRateLimit(rate));
        seeder.add(m);
        TorrentClient leecher = fx.client("leech", b -> b);
        Torrent t = leecher.add(m);
        return new Swarm(data, m, seeder, leecher, t);
    }

    private static int pieceOf(long offset) {
        return (int) (offset / PIECE);
    }

    @Test
    void bytesReadAtRandomOffsetsAndAtTheEndAreTheSourceBytes() throws Exception {
        long size = 3_000_017; // 12 pieces, the last one short
        Swarm s = swarm(size, 0);
        s.torrent().connect(local(s.seeder().port()));
        Random random = new Random(3);
        try (TorrentStream stream = s.torrent().openStream(0)) {
            assertThat(stream.size()).isEqualTo(size);
            assertThat(stream.fileIndex()).isZero();
            for (int i = 0; i < 25; i++) {
                long at = (long) (random.nextDouble() * size);
                int len = 1 + random.nextInt(90_000);
                assertThat(read(stream, at, len)).as("%d bytes at %d", len, at).isEqualTo(expected(s.data(), at, len));
            }
            // The end: the short last piece, then end of file.
            assertThat(read(stream, size - 100, 1000)).isEqualTo(expected(s.data(), size - 100, 100));
            assertThat(stream.read(ByteBuffer.allocate(10))).isEqualTo(-1);
            assertThat(stream.readableFrom(size - 100)).isEqualTo(100);
            assertThat(stream.readableFrom(size)).isZero();
            stream.position(size + 5);
            assertThat(stream.read(ByteBuffer.allocate(10))).isEqualTo(-1);
            // A direct buffer takes the same bytes.
            stream.position(1234);
            ByteBuffer direct = ByteBuffer.allocateDirect(5000);
            while (direct.hasRemaining() && stream.read(direct) > 0) {
                // filling
            }
            byte[] got = new byte[5000];
            direct.flip().get(got);
            assertThat(got).isEqualTo(expected(s.data(), 1234, 5000));
            assertThatThrownBy(() -> stream.write(ByteBuffer.allocate(1))).isInstanceOf(NonWritableChannelException.class);
            assertThatThrownBy(() -> stream.truncate(1)).isInstanceOf(NonWritableChannelException.class);
        }
        assertThat(s.torrent().awaitCompletion(Duration.ofSeconds(60))).isTrue();
        // Complete (seeding): pure disk reads, the whole file.
        try (TorrentStream again = s.torrent().openStream(0)) {
            assertThat(read(again, 0, (int) size)).isEqualTo(expected(s.data(), 0, (int) size));
            again.close();
            assertThat(again.isOpen()).isFalse();
            assertThatThrownBy(() -> again.read(ByteBuffer.allocate(1))).isInstanceOf(ClosedChannelException.class);
        }
        assertThatThrownBy(() -> s.torrent().openStream(1)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> s.torrent().openStream(-1)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void openingAStreamNeedsMetadataAndAReadTimesOutWithoutPeers() throws Exception {
        Path data = fx.file("seed/film.bin", 1_000_000, 2);
        Metainfo m = fx.torrent(data);
        TorrentClient client = fx.client("leech", b -> b);
        Torrent magnet = client.add(Magnet.parse("magnet:?xt=urn:btih:" + m.infoHash().hex()));
        assertThatThrownBy(() -> magnet.openStream(0)).isInstanceOf(IllegalStateException.class);
        client.remove(m.infoHash(), false);
        Torrent t = client.add(m);
        try (TorrentStream stream = t.openStream(0)) {
            stream.setReadTimeout(Duration.ofMillis(300));
            assertThat(stream.readableFrom(0)).isZero();
            assertThatThrownBy(() -> stream.read(ByteBuffer.allocate(10))).isInstanceOf(StreamTimeoutException.class);
        }
    }

    @Test
    void afterASeekThePiecesNearTheNewPositionAreVerifiedBeforeFarOnes() throws Exception {
        Swarm s = swarm(BIG, 2_000_000);
        s.torrent().connect(local(s.seeder().port()));
        try (VerificationOrder order = new VerificationOrder(s.torrent(), PIECES);
                TorrentStream stream = s.torrent().openStream(0)) {
            assertThat(read(stream, 0, 1)).isEqualTo(expected(s.data(), 0, 1));
            long seek = BIG * 7 / 10;
            int seekedAt = order.mark();
            assertThat(read(stream, seek, 8 * PIECE)).isEqualTo(expected(s.data(), seek, 8 * PIECE));
            int first = pieceOf(seek);
            int lastNear = IntStream.rangeClosed(first, pieceOf(seek + 8 * PIECE - 1)).map(order::seen).max().orElseThrow();
            // Far from both the old window (0-25 %) and the new one: nothing there may come before the seek's pieces.
            int far = order.countBetween(i -> i >= PIECES * 35 / 100 && i < PIECES * 60 / 100, seekedAt, lastNear);
            assertThat(far).as("far pieces verified before the pieces after the seek").isLessThanOrEqualTo(2);
            assertThat(s.torrent().progress()).isLessThan(0.9);
        }
    }

    @Test
    void headAndTailAreFetchedFirstAfterOpening() throws Exception {
        Swarm s = swarm(BIG, 2_000_000);
        s.torrent().connect(local(s.seeder().port()));
        try (VerificationOrder order = new VerificationOrder(s.torrent(), PIECES);
                TorrentStream stream = s.torrent().openStream(0)) {
            long headTail = TorrentStream.HEAD_TAIL_BYTES;
            StreamFixture.await("head and tail", Duration.ofSeconds(60),
                    () -> stream.readableFrom(BIG - headTail) == headTail && stream.readableFrom(0) >= headTail);
            int lastPiece = order.seen(PIECES - 1);
            int middle = order.countBetween(i -> i >= PIECES * 30 / 100 && i < PIECES * 70 / 100, 0, lastPiece + 1);
            assertThat(middle).as("middle pieces verified before the last piece").isZero();
            assertThat(s.torrent().progress()).isLessThan(0.9);
        }
    }

    @Test
    void twoReadersBothProgressAndAClosedReaderStopsPulling() throws Exception {
        Swarm s = swarm(BIG, 2_000_000);
        s.torrent().connect(local(s.seeder().port()));
        try (VerificationOrder order = new VerificationOrder(s.torrent(), PIECES)) {
            TorrentStream a = s.torrent().openStream(0);
            TorrentStream b = s.torrent().openStream(0);
            long pa = BIG * 20 / 100;
            long pb = BIG * 50 / 100;
            CompletableFuture<byte[]> ra = CompletableFuture.supplyAsync(() -> uncheckedRead(a, pa, 2 * PIECE));
            CompletableFuture<byte[]> rb = CompletableFuture.supplyAsync(() -> uncheckedRead(b, pb, 2 * PIECE));
            assertThat(ra.get(60, TimeUnit.SECONDS)).isEqualTo(expected(s.data(), pa, 2 * PIECE));
            assertThat(rb.get(60, TimeUnit.SECONDS)).isEqualTo(expected(s.data(), pb, 2 * PIECE));
            // A stops; its readahead (8 MiB from where it stopped) is no longer wanted before C's pieces.
            int aFrom = pieceOf(pa + 2 * PIECE) + 1;
            int aTo = pieceOf(pa + 2 * PIECE + TorrentStream.DEFAULT_READAHEAD);
            a.close();
            int closedAt = order.mark();
            try (TorrentStream c = s.torrent().openStream(0)) {
                long pc = BIG * 80 / 100;
                assertThat(read(c, pc, 6 * PIECE)).isEqualTo(expected(s.data(), pc, 6 * PIECE));
                int lastC = IntStream.rangeClosed(pieceOf(pc), pieceOf(pc + 6 * PIECE - 1)).map(order::seen).max().orElseThrow();
                int pulledForA = order.countBetween(i -> i >= aFrom && i < aTo, closedAt, lastC);
                assertThat(pulledForA).as("pieces of the closed reader's window verified before the new reader's").isLessThanOrEqualTo(2);
            }
            // B still reads on.
            assertThat(read(b, pb + 2 * PIECE, PIECE)).isEqualTo(expected(s.data(), pb + 2 * PIECE, PIECE));
            b.close();
        }
    }

    private static byte[] uncheckedRead(TorrentStream s, long at, int len) {
        try {
            return read(s, at, len);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void aLateBlockOfAnUrgentPieceIsAskedOfAnotherPeer() throws Exception {
        Path data = fx.file("seed/film.bin", BIG, 17);
        Metainfo m = fx.torrent(data);
        TorrentClient seeder = fx.client("seed", b -> b.uploadRateLimit(1_000_000));
        seeder.add(m);
        // Snubbing (90 s) would come too late: only asking another peer can serve the reader in time.
        TorrentClient leecher = fx.client("leech", b -> b.requestTimeout(Duration.ofSeconds(90)));
        Torrent t = leecher.add(m);
        StallingPeer staller = fx.track(new StallingPeer(m.infoHash()));
        try (TorrentStream stream = t.openStream(0)) {
            stream.setReadTimeout(Duration.ofSeconds(20));
            t.connect(staller.address());
            // While a reader streams, a peer not measured yet is asked for 8 blocks (the streaming queue's minimum).
            StreamFixture.await("requests to the stalling peer", Duration.ofSeconds(20), () -> staller.requests.get() >= 8);
            t.connect(local(seeder.port()));
            // Piece 0 was asked of the staller; the whole torrent at 1 MB/s (endgame) would take over 30 s.
            assertThat(read(stream, 0, PIECE)).isEqualTo(expected(data, 0, PIECE));
            assertThat(t.progress()).isLessThan(0.9);
        }
    }

    /** Has every piece, unchokes, and never answers a request. */
    static final class StallingPeer implements AutoCloseable {
        private final ServerSocket server;
        private final InfoHash infoHash;
        final AtomicInteger requests = new AtomicInteger();

        StallingPeer(InfoHash infoHash) throws IOException {
            this.infoHash = infoHash;
            this.server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
            Thread.ofVirtual().start(() -> {
                while (!server.isClosed()) {
                    try {
                        Socket socket = server.accept();
                        Thread.ofVirtual().start(() -> serve(socket));
                    } catch (IOException e) {
                        return;
                    }
                }
            });
        }

        InetSocketAddress address() {
            return new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort());
        }

        private void serve(Socket socket) {
            try (socket) {
                DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
                DataOutputStream out = new DataOutputStream(socket.getOutputStream());
                Handshake.decode(Handshake.readFully(in));
                out.write(new Handshake(Handshake.ourReserved(), infoHash, "-XX0001-stallingpeer".getBytes()).encode());
                out.write(MessageCodec.encode(new PeerMessage.HaveAll()));
                out.write(MessageCodec.encode(new PeerMessage.Unchoke()));
                out.flush();
                while (true) {
                    if (MessageCodec.read(in, 1 << 20) instanceof PeerMessage.Request) {
                        requests.incrementAndGet();
                    }
                }
            } catch (IOException e) {
                // engine hung up
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }
}
