package org.hypertube.torrent;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import org.hypertube.torrent.bencode.Bencode;
import org.hypertube.torrent.testing.StandInHttpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client's address policy ({@code TorrentClient.Builder.addressPolicy}) governs a session's
 * announces: a tracker on an inside address is skipped, the next tier is asked.
 */
@Timeout(60)
class TrackerAddressSessionTest {
    @TempDir
    Path tmp;

    @Test
    void aSessionNeverAnnouncesToAnInsideTrackerButStillToAnAllowedOne() throws Exception {
        byte[] noPeers = Bencode.encode(Bencode.dict("interval", 1800, "peers", new byte[0]));
        Path content = Files.write(tmp.resolve("film.bin"), new byte[50_000]);
        try (var inside = StandInHttpServer.serving("::1", null, noPeers);
             var allowed = StandInHttpServer.serving("127.0.0.1", null, noPeers)) {
            // Tier 1 is on ::1 (inside); tier 2 on 127.0.0.1, which this client trusts as if it were public.
            Metainfo m = Metainfo.parse(new TorrentCreator().tracker(inside.url("/announce"))
                    .tracker(allowed.url("/announce")).pieceLength(16_384).create(content));
            OutsideAddressPolicy policy = OutsideAddressPolicy.outsideOnly().trusting(InetAddress.getByName("127.0.0.1"));
            try (TorrentClient client = TorrentClient.builder().downloadDirectory(Files.createDirectories(tmp.resolve("dl")))
                    .bindAddress(InetAddress.getLoopbackAddress()).port(0).addressPolicy(policy).build()) {
                client.add(m);
                while (allowed.hits() == 0) {
                    Thread.sleep(20);
                }
                // Tier 1 was tried first, in the same announce, and refused without a connection.
                assertThat(inside.hits()).isZero();
            }
        }
    }
}
