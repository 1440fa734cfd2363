package org.hypertube.playback;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.hypertube.AppTestBase;
import org.hypertube.torrent.Torrent;
import org.hypertube.torrent.TorrentState;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The background download survives a restart of the engine: the download is restored from the
 * database and the engine's resume data, keeps every verified piece and fetches only the rest.
 */
class DownloadRestartTest extends AppTestBase {

    @Autowired
    Downloads downloads;
    @Autowired
    Engine engine;

    @Test
    void aRestartResumesWithoutFetchingVerifiedPiecesAgain() throws Exception {
        Path film = TestFilms.MP4_MOOV_END.file();
        long total = Files.size(film);
        try (Swarm swarm = Swarm.seed(film, 1, 500_000)) {
            Download d = downloads.add(null, swarm.torrentFile, null, null);
            Torrent before = downloads.torrent(d).orElseThrow();
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (before.verifiedBytes() < total / 3 && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(before.verifiedBytes()).as("a third arrived from the seeder").isGreaterThanOrEqualTo(total / 3);
            assertThat(before.progress()).as("and not everything").isLessThan(1.0);

            engine.stop();
            long verifiedBefore = before.verifiedBytes();
            downloads.restore();

            Torrent after = downloads.torrent(d).orElseThrow();
            assertThat(after).isNotSameAs(before);
            deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (after.state() == TorrentState.CHECKING && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(after.verifiedBytes()).as("verified pieces survived the restart").isGreaterThanOrEqualTo(verifiedBefore);
            assertThat(after.awaitCompletion(Duration.ofSeconds(120))).isTrue();
            long missing = total - verifiedBefore;
            assertThat(after.downloadedBytes()).as("only the missing part was fetched again")
                    .isLessThanOrEqualTo(missing + missing / 4 + 512 * 1024);
            Path onDisk = downloads.fileOnDisk(downloads.find(d.getId()).orElseThrow()).orElseThrow();
            assertThat(Files.mismatch(onDisk, film)).isEqualTo(-1L);
            downloads.remove(downloads.find(d.getId()).orElseThrow(), "test over");
        }
    }
}
