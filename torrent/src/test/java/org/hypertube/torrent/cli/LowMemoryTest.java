package org.hypertube.torrent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.hypertube.torrent.TorrentClient;
import org.hypertube.torrent.Metainfo;
import org.hypertube.torrent.TorrentCreator;
import org.hypertube.torrent.storage.ResumeData;
import org.hypertube.torrent.testing.TestData;
import org.hypertube.torrent.tracker.TrackerServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A download whose JVM has too little direct memory for its piece buffers: it stops with a reason
 * and exit status 1 instead of a dead reader thread and a download that waits forever.
 */
@Timeout(120)
class LowMemoryTest {
    @TempDir
    Path tmp;

    @Test
    void withoutMemoryForAPieceBufferTheDownloadFailsAtOnceWithAReason() throws Exception {
        int pieceLength = 1 << 20;
        Path data = TestData.file(tmp.resolve("seed/big.bin"), 8L * pieceLength, 5);
        try (TrackerServer tracker = TrackerServer.start(InetAddress.getLoopbackAddress(), 0, Duration.ofSeconds(1), Clock.systemUTC());
                TorrentClient seeder = TorrentClient.builder().downloadDirectory(tmp.resolve("seed"))
                        .bindAddress(InetAddress.getLoopbackAddress()).port(0).build()) {
            byte[] t = new TorrentCreator().tracker(tracker.announceUrl()).pieceLength(pieceLength).create(data);
            Path torrent = Files.write(tmp.resolve("big.torrent"), t);
            Metainfo m = Metainfo.parse(t);
            seeder.add(m);
            Path dir = tmp.resolve("dl");
            Path log = tmp.resolve("download.log");
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            // Room for the peer's 256 KiB read buffer, not for a 1 MiB piece: the first block fails.
            long start = System.nanoTime();
            Process p = new ProcessBuilder(java, "-XX:MaxDirectMemorySize=1m", "-cp", System.getProperty("java.class.path"),
                    Main.class.getName(), "download", "--no-dht", "--dir", dir.toString(), "--port", "0", "--bind", "127.0.0.1",
                    "--timeout", "60", torrent.toString())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            try {
                assertThat(p.waitFor(90, TimeUnit.SECONDS)).as("the download ends").isTrue();
            } finally {
                p.destroyForcibly();
            }
            String output = Files.readString(log, StandardCharsets.UTF_8);
            assertThat(p.exitValue()).as(output).isEqualTo(1);
            assertThat(output).contains("no memory left for piece buffers").contains("MaxDirectMemorySize");
            assertThat(output).doesNotContain("Exception in thread");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("failed at once, not at the 60 s timeout").isLessThan(Duration.ofSeconds(30));
            assertThat(ResumeData.load(dir, m.infoHash()).map(r -> r.pieces().cardinality()).orElse(0)).as("nothing claimed as verified").isZero();
        }
    }
}
