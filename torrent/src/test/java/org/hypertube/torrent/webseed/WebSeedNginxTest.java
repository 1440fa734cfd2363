package org.hypertube.torrent.webseed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import org.hypertube.torrent.Metainfo;
import org.hypertube.torrent.OutsideAddressPolicy;
import org.hypertube.torrent.TorrentCreator;
import org.hypertube.torrent.TorrentInfo;
import org.hypertube.torrent.testing.NginxServer;
import org.hypertube.torrent.testing.TestData;
import org.hypertube.torrent.webseed.TestTorrents.Entry;
import org.hypertube.torrent.webseed.WebSeedException.Kind;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Web seed fetches from Debian's nginx serving a folder laid out like the Internet Archive. */
class WebSeedNginxTest {
    private static final int PIECE = 16 * 1024;
    @TempDir
    static Path tmp;
    static Path item;
    static NginxServer nginx;
    static TorrentInfo multi;
    static byte[] all;

    @BeforeAll
    static void serveAnItem() throws Exception {
        NginxServer.require();
        item = tmp.resolve("www/download/my item");
        // In torrent order (sorted paths): 40 000 + 1 000 + 30 007 bytes, boundaries inside pieces.
        TestData.file(item.resolve("a film.bin"), 40_000, 1);
        TestData.file(item.resolve("notes+extra.txt"), 1_000, 2);
        TestData.file(item.resolve("sub dir/b+c.bin"), 30_007, 3);
        multi = Metainfo.parse(new TorrentCreator().pieceLength(PIECE).create(item)).info();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String f : List.of("a film.bin", "notes+extra.txt", "sub dir/b+c.bin")) {
            out.writeBytes(Files.readAllBytes(item.resolve(f)));
        }
        all = out.toByteArray();
        nginx = NginxServer.serving(tmp.resolve("www")).workDir(tmp.resolve("nginx")).start();
    }

    @AfterAll
    static void stop() {
        if (nginx != null) {
            nginx.close();
        }
    }

    private static WebSeedConnection connect(TorrentInfo info, String seedUrl) throws WebSeedException {
        return new WebSeedConnection(WebSeedUrls.of(info, seedUrl), OutsideAddressPolicy.of(true));
    }

    private static byte[] fetch(WebSeedConnection c, long offset, int length) throws WebSeedException {
        ByteBuffer b = ByteBuffer.allocateDirect(length);
        c.fetch(offset, b);
        byte[] out = new byte[length];
        b.flip().get(out);
        return out;
    }

    /**
     * The access log's lines after the first {@code lines}, once it has stopped growing: nginx writes
     * a request's line after sending its answer, so the last one may still be on its way.
     */
    private static List<String> logSince(int lines) throws Exception {
        List<String> log = nginx.accessLog();
        long deadline = System.nanoTime() + 3_000_000_000L;
        for (int still = 0; still < 4 && System.nanoTime() < deadline; ) {
            Thread.sleep(50);
            List<String> again = nginx.accessLog();
            still = again.size() == log.size() ? still + 1 : 0;
            log = again;
        }
        return log.subList(lines, log.size());
    }

    @Test
    void everyPieceOfAMultiFileItemIsByteIdenticalOverOneConnection() throws Exception {
        int before = nginx.accessLog().size();
        try (WebSeedConnection c = connect(multi, nginx.url("/download"))) {
            for (int p = 0; p < multi.pieceCount(); p++) {
                long offset = (long) p * PIECE;
                assertThat(fetch(c, offset, multi.pieceSize(p))).as("piece " + p)
                        .isEqualTo(Arrays.copyOfRange(all, (int) offset, (int) offset + multi.pieceSize(p)));
            }
            assertThat(c.connectionsOpened()).isEqualTo(1);
        }
        List<String> log = logSince(before);
        // Piece 2 [32768, 49152) crosses a film.bin, notes+extra.txt and b+c.bin: three requests.
        assertThat(log).hasSize(multi.pieceCount() + 2);
        assertThat(log).allSatisfy(l -> assertThat(l).contains(" 206 ").startsWith(log.getFirst().split(" ")[0] + " "));
        assertThat(log).anySatisfy(l -> assertThat(l).contains("\"GET /download/my%20item/a%20film.bin HTTP/1.1\"")
                .contains("\"bytes=32768-39999\""));
        assertThat(log).anySatisfy(l -> assertThat(l).contains("/download/my%20item/notes%2Bextra.txt").contains("\"bytes=0-999\""));
        assertThat(log).anySatisfy(l -> assertThat(l).contains("/download/my%20item/sub%20dir/b%2Bc.bin").contains("\"bytes=0-8151\""));
    }

    @Test
    void aSpanOfSeveralPiecesAcrossFileBoundariesIsOneRequestPerFile() throws Exception {
        int before = nginx.accessLog().size();
        try (WebSeedConnection c = connect(multi, nginx.url("/download/"))) {
            assertThat(fetch(c, PIECE, 3 * PIECE)).isEqualTo(Arrays.copyOfRange(all, PIECE, 4 * PIECE));
            assertThat(fetch(c, 0, all.length)).isEqualTo(all);
        }
        assertThat(logSince(before)).hasSize(6).extracting(l -> l.split("\"")[3])
                .containsExactly("bytes=16384-39999", "bytes=0-999", "bytes=0-24535", "bytes=0-39999", "bytes=0-999", "bytes=0-30006");
    }

    @Test
    void aSingleFileTorrentFromAFileUrlOrAFolderUrl() throws Exception {
        Path film = tmp.resolve("www/films/big buck+bunny.mp4");
        TestData.file(film, 50_000, 4);
        TorrentInfo single = Metainfo.parse(new TorrentCreator().pieceLength(PIECE).create(film)).info();
        byte[] bytes = Files.readAllBytes(film);
        for (String seed : List.of(nginx.url("/films/"), nginx.url("/films/big%20buck%2Bbunny.mp4"))) {
            try (WebSeedConnection c = connect(single, seed)) {
                assertThat(fetch(c, PIECE * 3L, single.pieceSize(3))).isEqualTo(Arrays.copyOfRange(bytes, PIECE * 3, 50_000));
                assertThat(fetch(c, 0, 50_000)).isEqualTo(bytes);
            }
        }
    }

    @Test
    void padFilesAreZerosAndNeverRequested() throws Exception {
        int before = nginx.accessLog().size();
        TorrentInfo padded = TestTorrents.multi("my item", PIECE, Entry.of("a film.bin", 40_000), Entry.pad(3 * PIECE - 40_000),
                Entry.of("notes+extra.txt", 1_000));
        try (WebSeedConnection c = connect(padded, nginx.url("/download/"))) {
            byte[] got = fetch(c, 0, (int) padded.totalLength());
            assertThat(Arrays.copyOfRange(got, 0, 40_000)).isEqualTo(Arrays.copyOfRange(all, 0, 40_000));
            assertThat(Arrays.copyOfRange(got, 40_000, 3 * PIECE)).containsOnly(0);
            assertThat(Arrays.copyOfRange(got, 3 * PIECE, got.length)).isEqualTo(Arrays.copyOfRange(all, 40_000, 41_000));
        }
        assertThat(logSince(before)).hasSize(2).noneMatch(l -> l.contains(".pad"));
    }

    @Test
    void aMissingFileIsA404ForThatFile() throws Exception {
        TorrentInfo other = TestTorrents.multi("my item", PIECE, Entry.of("a film.bin", 40_000), Entry.of("gone.bin", 100));
        try (WebSeedConnection c = connect(other, nginx.url("/download/"))) {
            assertThatThrownBy(() -> fetch(c, 39_990, 20)).isInstanceOf(WebSeedException.class)
                    .hasMessageContaining("HTTP 404")
                    .satisfies(e -> assertThat(((WebSeedException) e).fileIndex()).isEqualTo(1))
                    .satisfies(e -> assertThat(((WebSeedException) e).kind()).isEqualTo(Kind.HTTP_STATUS));
        }
    }

    @Test
    void connectionsEndedByTheServerAfterSomeRequestsAreReopened() throws Exception {
        try (NginxServer limited = NginxServer.serving(tmp.resolve("www")).workDir(tmp.resolve("nginx-limited"))
                .serverConfig("keepalive_requests 2;").start();
                WebSeedConnection c = connect(multi, limited.url("/download/"))) {
            for (int p = 0; p < 4; p++) {
                assertThat(fetch(c, (long) p * PIECE, PIECE)).isEqualTo(Arrays.copyOfRange(all, p * PIECE, (p + 1) * PIECE));
            }
            List<String> log = limited.accessLog();
            assertThat(log.stream().map(l -> l.split(" ")[1])).as("requests per connection").containsExactly("1", "2", "1", "2", "1", "2");
            assertThat(c.connectionsOpened()).isEqualTo(3);
        }
    }

    @Test
    void httpsWithSniAndHostNameVerification() throws Exception {
        Path cert = tmp.resolve("tls/cert.pem");
        Path key = tmp.resolve("tls/key.pem");
        Files.createDirectories(cert.getParent());
        Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost", "-keyout", key.toString(), "-out", cert.toString())
                .redirectErrorStream(true).redirectOutput(tmp.resolve("tls/openssl.log").toFile()).start();
        assertThat(openssl.waitFor(60, TimeUnit.SECONDS) && openssl.exitValue() == 0).as("openssl made a certificate").isTrue();
        SSLSocketFactory trusting = trusting(cert);
        try (NginxServer tls = NginxServer.serving(tmp.resolve("www")).workDir(tmp.resolve("nginx-tls")).tls(cert, key).start()) {
            try (WebSeedConnection c = new WebSeedConnection(WebSeedUrls.of(multi, tls.tlsUrl("localhost", "/download/")),
                    OutsideAddressPolicy.of(true), trusting, Duration.ofSeconds(10), Clock.systemUTC())) {
                assertThat(fetch(c, 0, all.length)).isEqualTo(all);
            }
            assertThat(tls.accessLog()).hasSize(3).allSatisfy(l -> assertThat(l).endsWith("\"localhost\""));
            try (WebSeedConnection c = new WebSeedConnection(WebSeedUrls.of(multi, tls.tlsUrl("127.0.0.1", "/download/")),
                    OutsideAddressPolicy.of(true), trusting, Duration.ofSeconds(10), Clock.systemUTC())) {
                assertThatThrownBy(() -> fetch(c, 0, 100)).isInstanceOf(WebSeedException.class)
                        .satisfies(e -> assertThat(((WebSeedException) e).kind()).isEqualTo(Kind.IO))
                        .hasMessageContaining("127.0.0.1");
            }
        }
    }

    private static SSLSocketFactory trusting(Path certPem) throws Exception {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        try (InputStream in = Files.newInputStream(certPem)) {
            store.setCertificateEntry("test", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(store);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx.getSocketFactory();
    }
}
