package org.hypertube.torrent.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.hypertube.torrent.Torrent;
import org.hypertube.torrent.TorrentClient;
import org.hypertube.torrent.testing.TestData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** aria2 1.36 against our engine through our HTTP tracker (aria2 with DHT off ignores UDP trackers). */
@Timeout(120)
class Aria2InteropTest {
    private static final String ARIA2 = "/usr/bin/aria2c";
    @TempDir
    Path tmp;
    private InteropFixture fx;

    @BeforeEach
    void setUp() throws Exception {
        ExternalPeer.require("aria2 (" + ARIA2 + ")", ExternalPeer.executable(ARIA2));
        fx = new InteropFixture(tmp, 5_000_000);
    }

    @AfterEach
    void tearDown() throws Exception {
        if (fx != null) {
            fx.close();
        }
    }

    private List<String> aria2(String dir, String... extra) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of(ARIA2, "--enable-dht=false", "--enable-dht6=false",
                "--bt-enable-lpd=false", "--enable-peer-exchange=false", "--interface=127.0.0.1", "--disable-ipv6=true",
                "--listen-port=" + InteropFixture.freePort(), "--file-allocation=none", "--dir=" + dir,
                "--console-log-level=warn", "--summary-interval=1", "--bt-tracker-interval=2", "--no-conf=true"));
        cmd.addAll(List.of(extra));
        if (cmd.stream().noneMatch(a -> a.startsWith("magnet:"))) {
            cmd.add(fx.torrentFile.toString());
        }
        return cmd;
    }

    @Test
    void aria2DownloadsFromOurSeed() throws Exception {
        fx.ours("seed").add(fx.metainfo);
        ExternalPeer aria = fx.track(ExternalPeer.start("aria2 leech", tmp, aria2(tmp.resolve("aria").toString(), "--seed-time=0")));
        assertThat(aria.waitFor(Duration.ofSeconds(90))).as(aria.tail()).isZero();
        assertThat(TestData.difference(fx.data, tmp.resolve("aria/movie.bin"))).isNull();
    }

    @Test
    void weDownloadFromAnAria2Seed() throws Exception {
        fx.track(ExternalPeer.start("aria2 seed", tmp, aria2(tmp.resolve("seed").toString(), "--bt-seed-unverified=true",
                "--seed-ratio=0.0")));
        TorrentClient c = fx.ours("ours");
        Torrent t = c.add(fx.metainfo);
        assertThat(t.awaitCompletion(Duration.ofSeconds(90))).isTrue();
        assertThat(TestData.difference(fx.data, tmp.resolve("ours/movie.bin"))).isNull();
    }

    @Test
    void aria2FetchesMetadataAndDataFromUsByMagnet() throws Exception {
        fx.ours("seed").add(fx.metainfo);
        String magnet = "magnet:?xt=urn:btih:" + fx.metainfo.infoHash().hex() + "&tr="
                + java.net.URLEncoder.encode(fx.tracker.announceUrl(), java.nio.charset.StandardCharsets.UTF_8);
        ExternalPeer aria = fx.track(ExternalPeer.start("aria2 magnet", tmp, aria2(tmp.resolve("amag").toString(),
                "--seed-time=0", "--bt-metadata-only=false", "--bt-save-metadata=false", magnet)));
        assertThat(aria.waitFor(Duration.ofSeconds(90))).as(aria.tail()).isZero();
        assertThat(TestData.difference(fx.data, tmp.resolve("amag/movie.bin"))).isNull();
    }
}
