package org.hypertube.playback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.hypertube.AppTestBase;
import org.hypertube.torrent.TorrentCreator;
import org.hypertube.torrent.testing.StandInHttpServer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * {@code .torrent} URLs come from film sources (and the downloads page): one on an inside address is
 * never fetched. The tests trust 127.0.0.1 as if it were public; ::1 stays inside.
 */
class OutsideTorrentFileTest extends AppTestBase {

    @Autowired
    TorrentFiles torrentFiles;

    @Test
    void aTorrentFileOnLoopbackIsRefusedAndOneFromAnAllowedHostIsFetched() throws Exception {
        Path content = org.hypertube.TestDirs.temporary("outside").resolve("outside.bin");
        Files.write(content, new byte[40_000]);
        byte[] torrent = new TorrentCreator().pieceLength(16_384).create(content);
        try (var inside = StandInHttpServer.serving("::1", "application/x-bittorrent", torrent);
             var allowed = StandInHttpServer.serving("127.0.0.1", "application/x-bittorrent", torrent)) {
            assertThatThrownBy(() -> torrentFiles.fetch(inside.url("/film.torrent")))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("0:0:0:0:0:0:0:1, a loopback address");
            assertThat(inside.hits()).isZero();

            assertThat(torrentFiles.fetch(allowed.url("/film.torrent"))).isEqualTo(torrent);
            assertThat(allowed.hits()).isEqualTo(1);
        } finally {
            Files.deleteIfExists(content);
        }
    }
}
