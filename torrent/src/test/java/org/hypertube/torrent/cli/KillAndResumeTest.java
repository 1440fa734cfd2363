package org.hypertube.torrent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.BitSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.hypertube.torrent.Torrent;
import org.hypertube.torrent.TorrentClient;
import org.hypertube.torrent.Metainfo;
import org.hypertube.torrent.TorrentCreator;
import org.hypertube.torrent.storage.ResumeData;
import org.hypertube.torrent.storage.Storage;
import org.hypertube.torrent.testing.TestData;
import org.hypertube.torrent.tracker.TrackerServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** SIGKILL the CLI mid-download, start it again: verified pieces are not fetched twice. */
@Timeout(120)
class KillAndResumeTest {
    @TempDir
    Path tmp;

    private Process download(Path torrent, Path dir) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Main.class.getName(), "download",
                "--no-dht", "--dir", dir.toString(), "--port", "0", "--bind", "127.0.0.1", "--timeout", "60", torrent.toString())
                .redirectErrorStream(true).redirectOutput(tmp.resolve("download-" + System.nanoTime() + ".log").toFile()).start();
    }

    @Test
    void killedDownloadResumesWithoutRefetchingVerifiedPieces() throws Exception {
        int size = 12_000_000;
        int pieceLength = 64 * 1024;
        Path data = TestData.file(tmp.resolve("seed/big.bin"), size, 77);
        try (TrackerServer tracker = TrackerServer.start(InetAddress.getLoopbackAddress(), 0, Duration.ofSeconds(1), Clock.systemUTC());
                TorrentClient seeder = TorrentClient.builder().downloadDirectory(tmp.resolve("seed"))
                        .bindAddress(InetAddress.getLoopbackAddress()).port(0).uploadRateLimit(2_000_000).build()) {
            byte[] t = new TorrentCreator().tracker(tracker.announceUrl()).pieceLength(pieceLength).create(data);
            Path torrent = Files.write(tmp.resolve("big.torrent"), t);
            Metainfo m = Metainfo.parse(t);
            Torrent seed = seeder.add(m);
            Path dir = tmp.resolve("dl");

            Process first = download(torrent, dir);
            try {
                long deadline = System.nanoTime() + Duration.ofSeconds(40).toNanos();
                while (seed.uploadedBytes() < size * 0.4 && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                assertThat(seed.uploadedBytes()).as("first run made progress").isGreaterThanOrEqualTo((long) (size * 0.4));
            } finally {
                first.destroyForcibly(); // SIGKILL: no shutdown hook, no final resume save
                first.waitFor(10, TimeUnit.SECONDS);
            }
            assertThat(first.isAlive()).isFalse();

            BitSet onDisk;
            try (Storage s = new Storage(m.info(), dir)) {
                BitSet all = new BitSet();
                all.set(0, m.info().pieceCount());
                onDisk = s.check(all, i -> { });
            }
            assertThat(onDisk.cardinality()).as("pieces verified before the kill").isPositive().isLessThan(m.info().pieceCount());

            long uploadedBefore = seed.uploadedBytes();
            Process second = download(torrent, dir);
            try {
                assertThat(second.waitFor(60, TimeUnit.SECONDS)).isTrue();
                assertThat(second.exitValue()).isZero();
            } finally {
                second.destroyForcibly();
            }
            assertThat(TestData.difference(data, dir.resolve("big.bin"))).isNull();
            long missing = (long) (m.info().pieceCount() - onDisk.cardinality()) * pieceLength;
            long refetched = seed.uploadedBytes() - uploadedBefore;
            // Only what was missing is fetched again, give or take a few endgame duplicates.
            assertThat(refetched).isLessThanOrEqualTo(missing + 8L * 16 * 1024);
            assertThat(ResumeData.load(dir, m.infoHash()).map(r -> r.pieces().cardinality())).isEqualTo(Optional.of(m.info().pieceCount()));
        }
    }
}
