package org.hypertube.torrent.stream;

import org.hypertube.torrent.TorrentStream;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hypertube.torrent.stream.StreamFixture.PIECE;
import static org.hypertube.torrent.stream.StreamFixture.expected;
import static org.hypertube.torrent.stream.StreamFixture.local;
import static org.hypertube.torrent.stream.StreamFixture.read;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.hypertube.torrent.Torrent;
import org.hypertube.torrent.TorrentClient;
import org.hypertube.torrent.TorrentEvent;
import org.hypertube.torrent.TorrentState;
import org.hypertube.torrent.Magnet;
import org.hypertube.torrent.Metainfo;
import org.hypertube.torrent.TorrentCreator;
import org.hypertube.torrent.testing.TestData;
import org.hypertube.torrent.tracker.TrackerServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** What the application does around streams: folders per torrent, remove, pause, restart from a magnet, skipped files. */
@Timeout(120)
class StreamLifecycleTest {
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

    @Test
    void folderPerTorrentKeepsSameNamedTorrentsApartAndRemoveDeletesTheFolder() throws Exception {
        Path dataA = fx.file("seedA/movie.bin", 1_100_000, 1);
        Path dataB = fx.file("seedB/movie.bin", 900_000, 2);
        Metainfo a = fx.torrent(dataA);
        Metainfo b = fx.torrent(dataB);
        TorrentClient seedA = fx.client("seedA", x -> x);
        seedA.add(a);
        TorrentClient seedB = fx.client("seedB", x -> x);
        seedB.add(b);
        TorrentClient client = fx.client("media", x -> x.folderPerTorrent(true));
        Torrent ta = client.add(a);
        Torrent tb = client.add(b);
        ta.connect(local(seedA.port()));
        tb.connect(local(seedB.port()));
        assertThat(ta.awaitCompletion(Duration.ofSeconds(60))).isTrue();
        assertThat(tb.awaitCompletion(Duration.ofSeconds(60))).isTrue();
        Path folderA = tmp.resolve("media").resolve(a.infoHash().hex());
        Path folderB = tmp.resolve("media").resolve(b.infoHash().hex());
        assertThat(TestData.difference(dataA, folderA.resolve("movie.bin"))).isNull();
        assertThat(TestData.difference(dataB, folderB.resolve("movie.bin"))).isNull();
        assertThat(ta.files().getFirst().location()).isEqualTo(folderA.resolve("movie.bin"));
        assertThat(client.dataDirectory(a.infoHash())).isEqualTo(folderA);

        TorrentStream open = ta.openStream(0);
        assertThat(read(open, 0, 10)).isEqualTo(expected(dataA, 0, 10));
        assertThat(client.remove(a.infoHash(), true)).isTrue();
        assertThat(folderA).doesNotExist();
        assertThat(tmp.resolve("media/.hypertube/" + a.infoHash().hex() + ".resume")).doesNotExist();
        assertThat(client.torrent(a.infoHash())).isEmpty();
        assertThat(ta.state()).isEqualTo(TorrentState.CLOSED);
        assertThatThrownBy(() -> open.read(ByteBuffer.allocate(10))).isInstanceOf(IOException.class);
        // The other torrent is untouched.
        assertThat(TestData.difference(dataB, folderB.resolve("movie.bin"))).isNull();
        assertThat(tmp.resolve("media/.hypertube/" + b.infoHash().hex() + ".resume")).exists();
        // Without deleteFiles the files stay.
        assertThat(client.remove(b.infoHash(), false)).isTrue();
        assertThat(folderB.resolve("movie.bin")).exists();
        assertThat(client.remove(b.infoHash(), false)).isFalse();
    }

    @Test
    void removeWithFilesDeletesAMultiFileTorrentsFolderInTheSharedDownloadFolder() throws Exception {
        Path pack = tmp.resolve("seed/pack");
        TestData.file(pack.resolve("a.bin"), 300_000, 3);
        TestData.file(pack.resolve("sub/b.bin"), 200_000, 4);
        Metainfo m = fx.torrent(pack);
        TorrentClient seeder = fx.client("seed", x -> x);
        seeder.add(m);
        TorrentClient client = fx.client("media", x -> x);
        Path other = Files.writeString(tmp.resolve("media/keep.txt"), "not ours");
        Torrent t = client.add(m);
        t.connect(local(seeder.port()));
        assertThat(t.awaitCompletion(Duration.ofSeconds(60))).isTrue();
        assertThat(tmp.resolve("media/pack/sub/b.bin")).exists();
        client.remove(m.infoHash(), true);
        assertThat(tmp.resolve("media/pack")).doesNotExist();
        assertThat(other).exists();
    }

    @Test
    void pauseStopsAllPeerTrafficAndResumeCompletesFromVerifiedData() throws Exception {
        TrackerServer tracker = fx.track(TrackerServer.start(InetAddress.getLoopbackAddress(), 0, Duration.ofSeconds(1), Clock.systemUTC()));
        Path data = fx.file("seed/film.bin", 8L << 20, 5);
        Metainfo m = Metainfo.parse(new TorrentCreator().tracker(tracker.announceUrl()).pieceLength(PIECE).create(data));
        TorrentClient seeder = fx.client("seed", x -> x.uploadRateLimit(2_000_000));
        Torrent seed = seeder.add(m);
        TorrentClient leecher = fx.client("leech", x -> x.minAnnounceInterval(Duration.ofSeconds(1)));
        Torrent t = leecher.add(m);
        StreamFixture.await("some data", Duration.ofSeconds(30), () -> t.verifiedBytes() >= 1L << 20);
        assertThat(tracker.peers(m.infoHash())).extracting(InetSocketAddress::getPort).contains(leecher.port());
        t.pause();
        assertThat(t.paused()).isTrue();
        StreamFixture.await("no peers", Duration.ofSeconds(10), () -> t.peers().isEmpty() && seed.peers().isEmpty());
        StreamFixture.await("stopped announced", Duration.ofSeconds(10),
                () -> tracker.peers(m.infoHash()).stream().noneMatch(a -> a.getPort() == leecher.port()));
        Thread.sleep(300); // a block already on the wire may still land
        long downloaded = t.downloadedBytes();
        long verified = t.verifiedBytes();
        assertThat(verified).isLessThan(m.info().totalLength());
        Thread.sleep(1500);
        assertThat(t.downloadedBytes()).as("nothing downloaded while paused").isEqualTo(downloaded);
        assertThat(t.peers()).isEmpty();
        assertThat(seed.peers()).as("the seeder cannot reach a paused torrent either").isEmpty();
        assertThat(t.state()).isEqualTo(TorrentState.DOWNLOADING);
        t.resume();
        assertThat(t.paused()).isFalse();
        StreamFixture.await("started announced", Duration.ofSeconds(10),
                () -> tracker.peers(m.infoHash()).stream().anyMatch(a -> a.getPort() == leecher.port()));
        assertThat(t.awaitCompletion(Duration.ofSeconds(60))).isTrue();
        assertThat(TestData.difference(data, tmp.resolve("leech/film.bin"))).isNull();
        // Resumed from what was verified: the pieces verified before the pause were not fetched again.
        assertThat(t.downloadedBytes()).isLessThan(m.info().totalLength() + verified / 2);
    }

    @Test
    void aMagnetAddedAgainAfterARestartStartsFromSavedMetadataAndKeepsItsVerifiedPieces() throws Exception {
        Path data = fx.file("seed/film.bin", 16L << 20, 6);
        Metainfo m = fx.torrent(data);
        TorrentClient seeder = TorrentClient.builder().allowLocalAddresses(true).downloadDirectory(tmp.resolve("seed"))
                .bindAddress(java.net.InetAddress.getLoopbackAddress()).port(0).uploadRateLimit(2_000_000).build();
        seeder.add(m);
        Magnet magnet = Magnet.parse("magnet:?xt=urn:btih:" + m.infoHash().hex() + "&x.pe=127.0.0.1:" + seeder.port());
        Files.createDirectories(tmp.resolve("leech"));
        BitSet before;
        try (TorrentClient first = TorrentClient.builder().allowLocalAddresses(true).downloadDirectory(tmp.resolve("leech"))
                .bindAddress(java.net.InetAddress.getLoopbackAddress()).port(0).build()) {
            Torrent t = first.add(magnet);
            assertThat(t.awaitMetadata(Duration.ofSeconds(30))).isTrue();
            StreamFixture.await("some pieces", Duration.ofSeconds(30), () -> t.verifiedBytes() >= 3L << 20);
            before = t.verifiedPieces();
        }
        seeder.close(); // nobody left to ask for metadata (or anything)
        assertThat(tmp.resolve("leech/.hypertube/" + m.infoHash().hex() + ".torrent")).exists();

        List<TorrentEvent> events = new CopyOnWriteArrayList<>();
        TorrentClient second = fx.client("leech", x -> x.listener(events::add));
        Torrent again = second.add(magnet);
        assertThat(again.info()).as("metadata known at once").isPresent();
        assertThat(again.awaitMetadata(Duration.ZERO)).isTrue();
        StreamFixture.await("check", Duration.ofSeconds(20), () -> events.stream().anyMatch(e -> e instanceof TorrentEvent.Checked));
        BitSet after = again.verifiedPieces();
        BitSet missing = (BitSet) before.clone();
        missing.andNot(after);
        assertThat(missing.cardinality()).as("pieces verified before the restart, missing after").isZero();
        assertThat(before.cardinality()).isPositive();
        assertThat(again.downloadedBytes()).isZero();
        assertThat(events).noneMatch(e -> e instanceof TorrentEvent.MetadataReceived);
        // Verified pieces read from disk with no peer at all.
        int piece = after.nextSetBit(0);
        try (TorrentStream s = again.openStream(0)) {
            s.setReadTimeout(Duration.ofSeconds(2));
            long at = (long) piece * PIECE;
            assertThat(read(s, at, PIECE)).isEqualTo(expected(data, at, PIECE));
        }
        // remove(deleteFiles) also forgets the saved metadata.
        second.remove(m.infoHash(), true);
        assertThat(tmp.resolve("leech/.hypertube/" + m.infoHash().hex() + ".torrent")).doesNotExist();
        assertThat(tmp.resolve("leech/film.bin")).doesNotExist();
    }

    @Test
    void openingAStreamOnASkippedFileOfACompleteTorrentFetchesIt() throws Exception {
        Path pack = tmp.resolve("seed/pack");
        TestData.file(pack.resolve("film.bin"), 700_000, 7);
        TestData.file(pack.resolve("extra.bin"), 600_000, 8);
        Metainfo m = fx.torrent(pack);
        TorrentClient seeder = fx.client("seed", x -> x);
        seeder.add(m);
        Torrent t = fx.client("leech", x -> x).add(m);
        t.awaitMetadata(Duration.ofSeconds(5));
        int extra = t.files().stream().map(f -> f.path()).toList().indexOf("extra.bin");
        StreamFixture.await("checked", Duration.ofSeconds(20), () -> t.state() != TorrentState.CHECKING);
        t.setFilePriority(extra, 0);
        t.connect(local(seeder.port()));
        assertThat(t.awaitCompletion(Duration.ofSeconds(60))).isTrue();
        assertThat(t.state()).isEqualTo(TorrentState.SEEDING);
        try (TorrentStream s = t.openStream(extra)) {
            s.setReadTimeout(Duration.ofSeconds(15)); // the seeder dropped as a fellow seed is asked again at once
            assertThat(t.files().get(extra).priority()).isPositive();
            assertThat(read(s, 0, 600_000)).isEqualTo(expected(pack.resolve("extra.bin"), 0, 600_000));
        }
        assertThat(t.awaitCompletion(Duration.ofSeconds(60))).isTrue();
        assertThat(TestData.difference(pack, tmp.resolve("leech/pack"))).isNull();
    }
}
