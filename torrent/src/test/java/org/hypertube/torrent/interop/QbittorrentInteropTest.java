package org.hypertube.torrent.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.hypertube.torrent.Torrent;
import org.hypertube.torrent.testing.TestData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** qBittorrent 4.5 (qbittorrent-nox, driven through its Web API) against our engine on loopback. */
@Timeout(150)
class QbittorrentInteropTest {
    private static final String QBT = "/usr/bin/qbittorrent-nox";
    @TempDir
    Path tmp;
    private InteropFixture fx;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private String api;
    private int peerPort;

    @BeforeEach
    void setUp() throws Exception {
        ExternalPeer.require("qBittorrent (" + QBT + ")", ExternalPeer.executable(QBT));
        fx = new InteropFixture(tmp, 5_000_000);
        peerPort = InteropFixture.freePort();
        int webPort = InteropFixture.freePort();
        Path profile = tmp.resolve("qbt");
        Path conf = Files.createDirectories(profile.resolve("qBittorrent/config")).resolve("qBittorrent.conf");
        Files.writeString(conf, """
                [LegalNotice]
                Accepted=true
                [BitTorrent]
                Session\\DHTEnabled=false
                Session\\LSDEnabled=false
                Session\\PeXEnabled=false
                Session\\Interface=lo
                Session\\InterfaceName=lo
                Session\\InterfaceAddress=127.0.0.1
                Session\\MultiConnectionsPerIp=true
                Session\\Port=%d
                Session\\BTProtocol=TCP
                Session\\AnnounceToAllTrackers=true
                [Network]
                PortForwardingEnabled=false
                [Preferences]
                Connection\\UPnP=false
                General\\Locale=en
                WebUI\\Address=127.0.0.1
                WebUI\\Port=%d
                WebUI\\LocalHostAuth=false
                WebUI\\CSRFProtection=false
                WebUI\\HostHeaderValidation=false
                """.formatted(peerPort, webPort));
        fx.track(ExternalPeer.start("qbittorrent-nox", tmp, List.of(QBT, "--profile=" + profile)));
        api = "http://127.0.0.1:" + webPort + "/api/v2";
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            try {
                if (http.send(HttpRequest.newBuilder(URI.create(api + "/app/version")).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode() == 200) {
                    break;
                }
            } catch (java.io.IOException e) {
                // not up yet
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("qBittorrent Web API did not come up");
            }
            Thread.sleep(200);
        }
    }

    @AfterEach
    void tearDown() throws Exception {
        if (fx != null) {
            fx.close();
        }
    }

    private void addTorrent(Path savePath, boolean skipChecking) throws Exception {
        String boundary = "----hypertube" + System.nanoTime();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        Map<String, String> fields = Map.of("savepath", savePath.toString(), "skip_checking", String.valueOf(skipChecking));
        for (var f : fields.entrySet()) {
            body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + f.getKey() + "\"\r\n\r\n"
                    + f.getValue() + "\r\n").getBytes(StandardCharsets.UTF_8));
        }
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"torrents\"; filename=\"movie.torrent\"\r\n"
                + "Content-Type: application/x-bittorrent\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.writeBytes(Files.readAllBytes(fx.torrentFile));
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(api + "/torrents/add"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    private void addMagnet(String magnet, Path savePath) throws Exception {
        String form = "urls=" + java.net.URLEncoder.encode(magnet, StandardCharsets.UTF_8) + "&savepath="
                + java.net.URLEncoder.encode(savePath.toString(), StandardCharsets.UTF_8);
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(api + "/torrents/add"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    private String info() throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(api + "/torrents/info?hashes=" + fx.metainfo.infoHash().hex())).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    @Test
    void qbittorrentDownloadsFromOurSeed() throws Exception {
        fx.ours("seed").add(fx.metainfo);
        addTorrent(tmp.resolve("qdl"), false);
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        String last = "";
        while (!(last = info()).contains("\"progress\":1")) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("qBittorrent did not finish: " + last);
            }
            Thread.sleep(300);
        }
        assertThat(TestData.difference(fx.data, tmp.resolve("qdl/movie.bin"))).isNull();
    }

    @Test
    void weDownloadFromAQbittorrentSeed() throws Exception {
        addTorrent(tmp.resolve("seed"), true);
        Torrent t = fx.ours("ours").add(fx.metainfo);
        t.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), peerPort));
        assertThat(t.awaitCompletion(Duration.ofSeconds(90))).isTrue();
        assertThat(TestData.difference(fx.data, tmp.resolve("ours/movie.bin"))).isNull();
    }

    @Test
    void qbittorrentFetchesMetadataAndDataFromUsByMagnet() throws Exception {
        fx.ours("seed").add(fx.metainfo);
        addMagnet("magnet:?xt=urn:btih:" + fx.metainfo.infoHash().hex() + "&tr="
                + java.net.URLEncoder.encode(fx.tracker.announceUrl(), StandardCharsets.UTF_8), tmp.resolve("qmag"));
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        String last;
        while (!(last = info()).contains("\"progress\":1")) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("qBittorrent did not finish the magnet: " + last);
            }
            Thread.sleep(300);
        }
        assertThat(TestData.difference(fx.data, tmp.resolve("qmag/movie.bin"))).isNull();
    }
}
