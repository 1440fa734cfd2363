package org.hypertube.torrent;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.hypertube.torrent.testing.TestData;
import org.hypertube.torrent.tracker.TrackerServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Our engine seeding to our engine on loopback: several clients, a tracker, real sockets. */
@Timeout(120)
class SwarmTest {
    private final List<AutoCloseable> toClose = new ArrayList<>();
    @TempDir
    Path tmp;

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : toClose.reversed()) {
            c.close();
        }
    }

    private TorrentClient client(String name, List<TorrentEvent> events) throws Exception {
        TorrentClient c = TorrentClient.builder().allowLocalAddresses(true).downloadDirectory(Files.createDirectories(tmp.resolve(name)))
                .bindAddress(InetAddress.getLoopbackAddress()).port(0).listener(events == null ? null : events::add)
                .build();
        toClose.add(c);
        return c;
    }

    private TrackerServer tracker() throws Exception {
        TrackerServer t = TrackerServer.start(InetAddress.getLoopbackAddress(), 0, Duration.ofSeconds(1), Clock.systemUTC());
        toClose.add(t);
        return t;
    }

    @Test
    void threeLeechersDownloadAMultiFileTorrentFromOneSeedThroughTheTracker() throws Exception {
        TrackerServer tracker = tracker();
        Path data = tmp.resolve("seed/album");
        TestData.file(data.resolve("a.bin"), 3_000_000, 1);
        TestData.file(data.resolve("sub/b.bin"), 5_000_123, 2);
        TestData.file(data.resolve("c.txt"), 10, 3);
        Metainfo m = Metainfo.parse(new TorrentCreator().tracker(tracker.announceUrl()).pieceLength(64 * 1024).create(data));

        List<TorrentEvent> seedEvents = new CopyOnWriteArrayList<>();
        Torrent seed = client("seed", seedEvents).add(m);
        List<Torrent> leechers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            leechers.add(client("leech" + i, null).add(m));
        }
        for (int i = 0; i < 3; i++) {
            assertThat(leechers.get(i).awaitCompletion(Duration.ofSeconds(60))).as("leecher " + i).isTrue();
            assertThat(TestData.difference(data, tmp.resolve("leech" + i + "/album"))).isNull();
            assertThat(leechers.get(i).progress()).isEqualTo(1.0);
        }
        assertThat(seed.state()).isEqualTo(TorrentState.SEEDING);
        assertThat(seed.uploadedBytes()).isPositive();
        assertThat(seedEvents).anyMatch(e -> e instanceof TorrentEvent.Checked c && c.verifiedPieces() == c.pieceCount());
        long fetched = leechers.stream().mapToLong(Torrent::downloadedBytes).sum();
        // Polite: a swarm of three does not fetch much more than three copies. Endgame duplicates
        // depend on timing and weigh more in a torrent this small: 10 % was exceeded once (10.9 %) on a
        // loaded machine, so the bound catches re-fetching, not the last few duplicate blocks.
        assertThat(fetched).isLessThan((long) (3 * m.info().totalLength() * 1.25));
    }

    @Test
    void magnetDownloadFetchesMetadataFromThePeer() throws Exception {
        Path data = TestData.file(tmp.resolve("seed/movie.bin"), 2_500_000, 7);
        Metainfo m = Metainfo.parse(new TorrentCreator().pieceLength(32 * 1024).create(data));
        TorrentClient seeder = client("seed", null);
        Torrent seed = seeder.add(m);
        List<TorrentEvent> events = new CopyOnWriteArrayList<>();
        Magnet magnet = Magnet.parse(m.toMagnet().toUri() + "&x.pe=127.0.0.1:" + seeder.port());
        Torrent leech = client("leech", events).add(magnet);
        assertThat(leech.awaitMetadata(Duration.ofSeconds(30))).isTrue();
        assertThat(leech.info().orElseThrow().infoHash()).isEqualTo(m.infoHash());
        assertThat(leech.awaitCompletion(Duration.ofSeconds(60))).isTrue();
        assertThat(TestData.difference(data, tmp.resolve("leech/movie.bin"))).isNull();
        assertThat(events).anyMatch(e -> e instanceof TorrentEvent.MetadataReceived r && r.name().equals("movie.bin"));
        assertThat(seed.uploadedBytes()).isPositive();
    }

    @Test
    void restartWithCompleteResumeDataFetchesNothing() throws Exception {
        Path data = TestData.file(tmp.resolve("seed/f.bin"), 1_000_000, 9);
        Metainfo m = Metainfo.parse(new TorrentCreator().pieceLength(16 * 1024).create(data));
        TorrentClient seeder = client("seed", null);
        seeder.add(m);
        TorrentClient first = TorrentClient.builder().allowLocalAddresses(true).downloadDirectory(Files.createDirectories(tmp.resolve("leech")))
                .bindAddress(InetAddress.getLoopbackAddress()).port(0).build();
        try (first) {
            Torrent t = first.add(m);
            t.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), seeder.port()));
            assertThat(t.awaitCompletion(Duration.ofSeconds(60))).isTrue();
        }
        assertThat(Files.exists(tmp.resolve("leech/.hypertube/" + m.infoHash().hex() + ".resume"))).isTrue();
        TorrentClient second = client("leech", null);
        Torrent again = second.add(m);
        assertThat(again.awaitCompletion(Duration.ofSeconds(20))).isTrue();
        assertThat(again.downloadedBytes()).isZero();
        assertThat(again.state()).isEqualTo(TorrentState.SEEDING);
    }

    @Test
    void selectedFilesOnlyAreDownloaded() throws Exception {
        Path data = tmp.resolve("seed/pack");
        TestData.file(data.resolve("1.bin"), 300_000, 1);
        TestData.file(data.resolve("2.bin"), 300_000, 2);
        Metainfo m = Metainfo.parse(new TorrentCreator().pieceLength(16 * 1024).create(data));
        TorrentClient seeder = client("seed", null);
        seeder.add(m);
        Magnet magnet = Magnet.parse(m.toMagnet().toUri() + "&so=1&x.pe=127.0.0.1:" + seeder.port());
        Torrent leech = client("leech", null).add(magnet);
        assertThat(leech.awaitCompletion(Duration.ofSeconds(60))).isTrue();
        assertThat(TestData.difference(data.resolve("2.bin"), tmp.resolve("leech/pack/2.bin"))).isNull();
        // Only the piece shared with file 2 may have been written into file 1.
        long size1 = Files.exists(tmp.resolve("leech/pack/1.bin")) ? Files.size(tmp.resolve("leech/pack/1.bin")) : 0;
        assertThat(leech.files().getFirst().verifiedBytes()).isLessThanOrEqualTo(16 * 1024);
        assertThat(size1).isLessThanOrEqualTo(300_000);
    }

    @Test
    void anUnwritableTargetFailsTheTorrentWithAClearError() throws Exception {
        Path data = TestData.file(tmp.resolve("seed/clip.bin"), 400_000, 4);
        Metainfo m = Metainfo.parse(new TorrentCreator().pieceLength(16 * 1024).create(data));
        TorrentClient seeder = client("seed", null);
        seeder.add(m);
        // A folder where the file should go: every write fails, as on a read-only or full disk.
        Files.createDirectories(tmp.resolve("leech/clip.bin"));
        List<TorrentEvent> events = new CopyOnWriteArrayList<>();
        Torrent t = client("leech", events).add(m);
        t.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), seeder.port()));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> t.awaitCompletion(Duration.ofSeconds(30)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("cannot write");
        assertThat(t.state()).isEqualTo(TorrentState.FAILED);
        assertThat(t.error()).hasValueSatisfying(e -> assertThat(e).contains("clip.bin"));
        // Listeners are called on the client's event thread, so the event may follow the state change.
        long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (events.stream().noneMatch(e -> e instanceof TorrentEvent.Failed) && System.nanoTime() < until) {
            Thread.sleep(20);
        }
        assertThat(events).anyMatch(e -> e instanceof TorrentEvent.Failed);
    }

    @Test
    void piecesVerifiedBeforeAWriteFailureAreKeptAndNotFetchedAgain() throws Exception {
        Path data = tmp.resolve("seed/pack");
        TestData.file(data.resolve("a.bin"), 10 * 16 * 1024, 5);
        TestData.file(data.resolve("b.bin"), 6 * 16 * 1024, 6);
        Metainfo m = Metainfo.parse(new TorrentCreator().pieceLength(16 * 1024).create(data));
        TorrentClient seeder = client("seed", null);
        seeder.add(m);
        InetSocketAddress seed = new InetSocketAddress(InetAddress.getLoopbackAddress(), seeder.port());
        // A folder where b.bin should go: its writes fail, as on a full or read-only disk.
        Path blocked = Files.createDirectories(tmp.resolve("leech/pack/b.bin"));
        TorrentClient first = client("leech", null);
        Torrent t = first.add(m);
        t.setFilePriority(1, 0); // at once, before the files were checked: it must hold
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> t.setFilePriority(2, 4))
                .isInstanceOf(IndexOutOfBoundsException.class).hasMessageContaining("file 2 of 2");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> t.setFilePriority(0, 8))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0..7");
        t.connect(seed);
        assertThat(t.awaitCompletion(Duration.ofSeconds(60))).as("a.bin alone").isTrue();
        t.setFilePriority(1, 4);
        long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (t.state() != TorrentState.FAILED && System.nanoTime() < until) {
            Thread.sleep(20);
        }
        assertThat(t.state()).isEqualTo(TorrentState.FAILED);
        assertThat(t.error()).hasValueSatisfying(e -> assertThat(e).contains("b.bin"));
        assertThat(t.verifiedPieces().cardinality()).as("a.bin's pieces still count").isEqualTo(10);
        first.close();

        // The disk has room again: a new client resumes with a.bin and fetches b.bin only.
        Files.delete(blocked);
        Torrent again = client("leech", null).add(m);
        again.connect(seed);
        assertThat(again.awaitCompletion(Duration.ofSeconds(60))).isTrue();
        assertThat(again.downloadedBytes()).as("b.bin's bytes, give or take a duplicate block")
                .isLessThan(8 * 16 * 1024);
        assertThat(TestData.difference(data.resolve("a.bin"), tmp.resolve("leech/pack/a.bin"))).isNull();
        assertThat(TestData.difference(data.resolve("b.bin"), tmp.resolve("leech/pack/b.bin"))).isNull();
    }

    @Test
    void aTrackerHearsOneAnnounceWhenATorrentStartsNotTwo() throws Exception {
        // A tracker that asks for announces a minute apart and counts them.
        java.util.concurrent.atomic.AtomicInteger announces = new java.util.concurrent.atomic.AtomicInteger();
        com.sun.net.httpserver.HttpServer http = com.sun.net.httpserver.HttpServer.create(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        http.createContext("/announce", ex -> {
            announces.incrementAndGet();
            byte[] reply = "d8:intervali60e5:peers0:e".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            ex.sendResponseHeaders(200, reply.length);
            ex.getResponseBody().write(reply);
            ex.close();
        });
        http.start();
        toClose.add(() -> http.stop(0));
        String url = "http://127.0.0.1:" + http.getAddress().getPort() + "/announce";
        Path data = TestData.file(tmp.resolve("seed/clip.bin"), 200_000, 7);
        Metainfo m = Metainfo.parse(new TorrentCreator().tracker(url).pieceLength(16 * 1024).create(data));
        // A complete torrent (its check finds every piece, so it completes during the check) and
        // an empty one: each announces "started" once, then waits for the interval.
        Torrent seeding = client("seed", null).add(m);
        long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (announces.get() < 1 && System.nanoTime() < until) {
            Thread.sleep(20);
        }
        assertThat(seeding.state()).isEqualTo(TorrentState.SEEDING);
        Thread.sleep(1_500);
        assertThat(announces.get()).as("announces of the seeding torrent").isEqualTo(1);
        client("leech", null).add(m);
        until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (announces.get() < 2 && System.nanoTime() < until) {
            Thread.sleep(20);
        }
        Thread.sleep(1_500);
        assertThat(announces.get()).as("and of the empty one").isEqualTo(2);
    }
}
