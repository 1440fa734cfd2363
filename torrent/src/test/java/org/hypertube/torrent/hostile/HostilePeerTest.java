package org.hypertube.torrent.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.hypertube.torrent.Torrent;
import org.hypertube.torrent.EngineStats;
import org.hypertube.torrent.TorrentClient;
import org.hypertube.torrent.TorrentState;
import org.hypertube.torrent.TorrentEvent;
import org.hypertube.torrent.Metainfo;
import org.hypertube.torrent.TorrentCreator;
import org.hypertube.torrent.peer.MessageCodec;
import org.hypertube.torrent.peer.PeerMessage;
import org.hypertube.torrent.testing.TestData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Scripted peers that lie, stall or send garbage next to one honest seed: the download still completes intact. */
@Timeout(90)
class HostilePeerTest {
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private final List<TorrentEvent> events = new CopyOnWriteArrayList<>();
    @TempDir
    Path tmp;
    private Path data;
    private Metainfo m;
    private TorrentClient seeder;
    /** The client of the last {@link #leech}. */
    private TorrentClient leecher;

    @BeforeEach
    void setUp() throws Exception {
        data = TestData.file(tmp.resolve("seed/film.bin"), 3_000_000, 5);
        m = Metainfo.parse(new TorrentCreator().pieceLength(32 * 1024).create(data));
        // A slow honest seed, so the hostile peer gets plenty of requests.
        seeder = track(TorrentClient.builder().allowLocalAddresses(true).downloadDirectory(tmp.resolve("seed")).bindAddress(InetAddress.getLoopbackAddress())
                .port(0).uploadRateLimit(1_500_000).build());
        seeder.add(m);
    }

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

    private Torrent leech(ScriptedPeer hostile) throws Exception {
        TorrentClient c = track(TorrentClient.builder().allowLocalAddresses(true).downloadDirectory(Files.createDirectories(tmp.resolve("leech")))
                .bindAddress(InetAddress.getLoopbackAddress()).port(0).requestTimeout(Duration.ofSeconds(2))
                .listener(events::add).build());
        leecher = c;
        Torrent t = c.add(m);
        // The hostile peer first, so it is asked for blocks before the honest one joins.
        t.connect(hostile.address());
        Thread.sleep(300);
        t.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), seeder.port()));
        return t;
    }

    private void assertCompleteAndIntact(Torrent t) throws Exception {
        assertThat(t.awaitCompletion(Duration.ofSeconds(60))).isTrue();
        assertThat(TestData.difference(data, tmp.resolve("leech/film.bin"))).isNull();
    }

    private static void fullBitfieldAndUnchoke(DataOutputStream out, int pieces) throws java.io.IOException {
        byte[] bits = new byte[(pieces + 7) / 8];
        for (int i = 0; i < pieces; i++) {
            bits[i >> 3] |= (byte) (0x80 >>> (i & 7));
        }
        ScriptedPeer.send(out, new PeerMessage.Bitfield(bits));
        ScriptedPeer.send(out, new PeerMessage.Unchoke());
    }

    @Test
    void aPeerThatClaimsEverythingAndNeverAnswersIsWorkedAround() throws Exception {
        ScriptedPeer liar = track(new ScriptedPeer(m.infoHash(), (in, out, peer) -> {
            fullBitfieldAndUnchoke(out, m.info().pieceCount());
            while (true) {
                if (MessageCodec.read(in, 1 << 20) instanceof PeerMessage.Request) {
                    peer.requestsSeen.incrementAndGet();
                }
            }
        }));
        Torrent t = leech(liar);
        assertCompleteAndIntact(t);
        assertThat(liar.requestsSeen.get()).as("the liar was asked for blocks").isPositive();
    }

    @Test
    void aPeerSendingCorruptBlocksIsBannedAndNothingCorruptReachesDisk() throws Exception {
        Random r = new Random(3);
        ScriptedPeer corrupt = track(new ScriptedPeer(m.infoHash(), (in, out, peer) -> {
            fullBitfieldAndUnchoke(out, m.info().pieceCount());
            while (true) {
                if (MessageCodec.read(in, 1 << 20) instanceof PeerMessage.Request(int piece, int begin, int length)) {
                    peer.requestsSeen.incrementAndGet();
                    byte[] junk = new byte[length];
                    r.nextBytes(junk);
                    ScriptedPeer.send(out, new PeerMessage.Piece(piece, begin, junk));
                }
            }
        }));
        Torrent t = leech(corrupt);
        assertCompleteAndIntact(t);
        assertThat(events).anyMatch(e -> e instanceof TorrentEvent.PeerBanned b && b.peer().contains("2d5858303030312d"));
        assertThat(corrupt.droppedByEngine).isTrue();
        Thread.sleep(1500);
        assertThat(corrupt.connections.get()).as("a banned peer is not dialled again").isEqualTo(1);

        // The operator's metrics count the failed pieces, the ban and the bytes, and keep them once the torrent is gone.
        EngineStats stats = leecher.stats();
        assertThat(stats.totals().hashFailures()).isPositive();
        assertThat(stats.totals().bannedPeers()).isEqualTo(1);
        assertThat(stats.totals().downloadedBytes()).isGreaterThanOrEqualTo(Files.size(data));
        assertThat(stats.torrentsByState()).containsEntry(TorrentState.SEEDING, 1).containsEntry(TorrentState.DOWNLOADING, 0);
        leecher.remove(m.infoHash(), false);
        EngineStats after = leecher.stats();
        assertThat(after.totals()).isEqualTo(stats.totals());
        assertThat(after.torrentsByState()).containsEntry(TorrentState.SEEDING, 0);
    }

    @Test
    void anOversizedLengthPrefixGetsThePeerDropped() throws Exception {
        ScriptedPeer huge = track(new ScriptedPeer(m.infoHash(), (in, out, peer) -> {
            out.writeInt(0x7fffffff);
            out.write(5);
            out.flush();
        }));
        Torrent t = leech(huge);
        assertCompleteAndIntact(t);
        assertThat(huge.droppedByEngine).isTrue();
    }

    @Test
    void malformedMessagesGetThePeerDropped() throws Exception {
        ScriptedPeer bad = track(new ScriptedPeer(m.infoHash(), (in, out, peer) -> {
            fullBitfieldAndUnchoke(out, m.info().pieceCount());
            ScriptedPeer.send(out, new PeerMessage.Have(m.info().pieceCount() + 5));
        }));
        Torrent t = leech(bad);
        assertCompleteAndIntact(t);
        assertThat(bad.droppedByEngine).isTrue();
    }

    @Test
    void unrequestedDataIsIgnoredAndAFloodOfItGetsThePeerDropped() throws Exception {
        ScriptedPeer flood = track(new ScriptedPeer(m.infoHash(), (in, out, peer) -> {
            fullBitfieldAndUnchoke(out, m.info().pieceCount());
            byte[] junk = new byte[16 * 1024];
            for (int i = 0; i < 200; i++) {
                ScriptedPeer.send(out, new PeerMessage.Piece(i % m.info().pieceCount(), 0, junk));
            }
        }));
        Torrent t = leech(flood);
        assertCompleteAndIntact(t);
        assertThat(flood.droppedByEngine).isTrue();
    }

    @Test
    void aPeerThatFallsSilentIsDisconnectedOnceTheIdleTimeoutHasPassed() throws Exception {
        ScriptedPeer silent = track(new ScriptedPeer(m.infoHash(), (in, out, peer) -> { }));
        TorrentClient c = track(TorrentClient.builder().allowLocalAddresses(true).downloadDirectory(Files.createDirectories(tmp.resolve("leech")))
                .bindAddress(InetAddress.getLoopbackAddress()).port(0).idleTimeout(Duration.ofSeconds(3)).build());
        Torrent t = c.add(m);
        t.connect(silent.address());
        long start = System.nanoTime();
        while (t.peers().isEmpty() && System.nanoTime() - start < Duration.ofSeconds(5).toNanos()) {
            Thread.sleep(20);
        }
        assertThat(t.peers()).as("connected").hasSize(1);
        Thread.sleep(1500);
        assertThat(silent.droppedByEngine).as("still connected before the timeout").isFalse();
        long deadline = start + Duration.ofSeconds(15).toNanos();
        while (!silent.droppedByEngine.get() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(silent.droppedByEngine).as("dropped after 3 s of silence").isTrue();
        assertThat(t.peers()).isEmpty();
    }

    @Test
    void aPeerThatKeepsSendingIsKeptWhileTheRateLimitHoldsOurReaderBack() throws Exception {
        byte[] file = Files.readAllBytes(data);
        int pieceLength = m.info().pieceLength();
        // An honest scripted seed: answers every request with the real bytes, as fast as it can.
        ScriptedPeer honest = track(new ScriptedPeer(m.infoHash(), (in, out, peer) -> {
            fullBitfieldAndUnchoke(out, m.info().pieceCount());
            while (true) {
                if (MessageCodec.read(in, 1 << 20) instanceof PeerMessage.Request(int piece, int begin, int length)) {
                    int at = piece * pieceLength + begin;
                    ScriptedPeer.send(out, new PeerMessage.Piece(piece, begin, java.util.Arrays.copyOfRange(file, at, at + length)));
                }
            }
        }));
        // The limiter holds the reader back for seconds at a time (a batch of blocks at 64 KiB/s), far
        // longer than this idle timeout: that is not silence, the peer is not dropped for it.
        TorrentClient c = track(TorrentClient.builder().allowLocalAddresses(true).downloadDirectory(Files.createDirectories(tmp.resolve("leech")))
                .bindAddress(InetAddress.getLoopbackAddress()).port(0).downloadRateLimit(64 * 1024)
                .idleTimeout(Duration.ofMillis(1500)).build());
        Torrent t = c.add(m);
        t.connect(honest.address());
        Thread.sleep(6_000);
        assertThat(honest.droppedByEngine).as("kept").isFalse();
        assertThat(honest.connections.get()).isEqualTo(1);
        assertThat(t.progress()).as("pieces kept coming").isGreaterThan(0.05);
    }

    @Test
    void requestsBeyondThePieceGetThePeerDropped() throws Exception {
        ScriptedPeer greedy = track(new ScriptedPeer(m.infoHash(), (in, out, peer) -> {
            ScriptedPeer.send(out, new PeerMessage.Interested());
            ScriptedPeer.send(out, new PeerMessage.Request(0, 0, 1 << 20));
        }));
        // Here the engine is the seed being abused.
        Torrent t = seeder.torrent(m.infoHash()).orElseThrow();
        t.connect(greedy.address());
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!greedy.droppedByEngine.get() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(greedy.droppedByEngine).isTrue();
    }

    private static final int ENDGAME_PIECE = 32 * 1024;
    private static final int ENDGAME_BLOCK = 16 * 1024;

    /**
     * Strict endgame seen from the wire: once every missing block is asked of a peer that sits on
     * them, a second peer is asked for the same blocks, and each block it delivers is cancelled at
     * the first one (and only there).
     */
    @Test
    void blocksAskedOfAStalledPeerAreAskedAgainElsewhereAndCancelledAtTheStalledPeerOnceTheyArrive() throws Exception {
        Path data = TestData.file(tmp.resolve("endgame/film.bin"), 2 * ENDGAME_PIECE, 11);
        byte[] bytes = Files.readAllBytes(data);
        Metainfo m = Metainfo.parse(new TorrentCreator().pieceLength(ENDGAME_PIECE).create(data));
        Set<PeerMessage.Request> askedOfStaller = ConcurrentHashMap.newKeySet();
        Set<PeerMessage.Cancel> cancelledAtStaller = ConcurrentHashMap.newKeySet();
        Set<PeerMessage.Request> askedOfHelper = ConcurrentHashMap.newKeySet();
        List<PeerMessage.Request> deliveredInOrder = new CopyOnWriteArrayList<>();
        Set<PeerMessage.Cancel> cancelledAtHelper = ConcurrentHashMap.newKeySet();
        CountDownLatch stallerHasEverything = new CountDownLatch(4);
        // The last block completes the download, which closes both connections: a cancel still
        // queued for it may never be sent. The three before it must be.
        CountDownLatch stallerCancelledThree = new CountDownLatch(3);

        // Has every piece, unchokes, takes every request and never answers one.
        ScriptedPeer staller = track(new ScriptedPeer(m.infoHash(), "-XX0001-stalledpeer1", (in, out, sp) -> {
            ScriptedPeer.send(out, new PeerMessage.HaveAll());
            ScriptedPeer.send(out, new PeerMessage.Unchoke());
            while (true) {
                switch (MessageCodec.read(in, 1 << 20)) {
                    case PeerMessage.Request r -> {
                        if (askedOfStaller.add(r)) {
                            stallerHasEverything.countDown();
                        }
                    }
                    case PeerMessage.Cancel c -> {
                        if (cancelledAtStaller.add(c)) {
                            stallerCancelledThree.countDown();
                        }
                    }
                    default -> { }
                }
            }
        }));
        // Has every piece and answers every request with the right data.
        ScriptedPeer helper = track(new ScriptedPeer(m.infoHash(), "-XX0001-helpingpeer2", (in, out, sp) -> {
            ScriptedPeer.send(out, new PeerMessage.HaveAll());
            ScriptedPeer.send(out, new PeerMessage.Unchoke());
            while (true) {
                switch (MessageCodec.read(in, 1 << 20)) {
                    case PeerMessage.Request r -> {
                        askedOfHelper.add(r);
                        int at = r.piece() * ENDGAME_PIECE + r.begin();
                        deliveredInOrder.add(r);
                        ScriptedPeer.send(out, new PeerMessage.Piece(r.piece(), r.begin(), Arrays.copyOfRange(bytes, at, at + r.length())));
                    }
                    case PeerMessage.Cancel c -> cancelledAtHelper.add(c);
                    default -> { }
                }
            }
        }));

        // Re-requests after a timeout would also get the blocks elsewhere: make that path too slow to matter here.
        TorrentClient leech = track(TorrentClient.builder().allowLocalAddresses(true).downloadDirectory(Files.createDirectories(tmp.resolve("endgame-leech")))
                .bindAddress(InetAddress.getLoopbackAddress()).port(0).requestTimeout(Duration.ofMinutes(10)).build());
        Torrent t = leech.add(m);
        t.connect(staller.address());
        assertThat(stallerHasEverything.await(20, TimeUnit.SECONDS)).as("all four blocks asked of the first peer").isTrue();
        t.connect(helper.address());

        assertThat(t.awaitCompletion(Duration.ofSeconds(30))).as("complete from the second peer").isTrue();
        assertThat(TestData.difference(data, tmp.resolve("endgame-leech/film.bin"))).isNull();
        List<PeerMessage.Request> every = List.of(new PeerMessage.Request(0, 0, ENDGAME_BLOCK), new PeerMessage.Request(0, ENDGAME_BLOCK, ENDGAME_BLOCK),
                new PeerMessage.Request(1, 0, ENDGAME_BLOCK), new PeerMessage.Request(1, ENDGAME_BLOCK, ENDGAME_BLOCK));
        assertThat(askedOfStaller).containsExactlyInAnyOrderElementsOf(every);
        assertThat(askedOfHelper).as("the endgame asks the second peer for the same blocks").containsExactlyInAnyOrderElementsOf(every);
        assertThat(stallerCancelledThree.await(10, TimeUnit.SECONDS)).as("delivered blocks cancelled at the staller").isTrue();
        assertThat(deliveredInOrder).hasSize(4);
        assertThat(cancelledAtStaller).containsAll(deliveredInOrder.subList(0, 3).stream()
                .map(r -> new PeerMessage.Cancel(r.piece(), r.begin(), r.length())).toList());
        assertThat(every.stream().map(r -> new PeerMessage.Cancel(r.piece(), r.begin(), r.length())).toList())
                .as("only blocks asked of the staller are cancelled there").containsAll(cancelledAtStaller);
        assertThat(cancelledAtHelper).as("nothing cancelled at the peer that delivered").isEmpty();
    }
}
