package org.hypertube.torrent;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hypertube.torrent.interop.ExternalPeer;
import org.hypertube.torrent.testing.NginxServer;
import org.hypertube.torrent.testing.TestData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Web seeds (BEP 19) in a whole download: Debian's nginx serving the files as the Internet Archive
 * lays them out, misbehaving servers beside it, a libtorrent seeder beside it, and the outside-address
 * rule. No tracker anywhere: what is downloaded comes from the web seeds (and the peer we name).
 */
@Timeout(120)
class WebSeedSwarmTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private final List<AutoCloseable> toClose = new ArrayList<>();
    @TempDir
    Path tmp;

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : toClose.reversed()) {
            c.close();
        }
    }

    private <T extends AutoCloseable> T track(T c) {
        toClose.add(c);
        return c;
    }

    private TorrentClient client(String dir, boolean allowLocal) throws IOException {
        return track(TorrentClient.builder().downloadDirectory(Files.createDirectories(tmp.resolve(dir)))
                .bindAddress(InetAddress.getLoopbackAddress()).port(0).allowLocalAddresses(allowLocal).build());
    }

    /** nginx serving {@code tmp/www}; files go under {@code www/download/}. */
    private NginxServer nginx() throws IOException {
        NginxServer.require();
        return track(NginxServer.serving(Files.createDirectories(tmp.resolve("www"))).workDir(tmp.resolve("nginx")).start());
    }

    @Test
    void aSingleFileTorrentDownloadsFromItsWebSeedAlone() throws Exception {
        NginxServer nginx = nginx();
        Path data = TestData.file(tmp.resolve("www/download/film one.bin"), 3_000_000, 5);
        byte[] t = new TorrentCreator().pieceLength(64 * 1024).webSeed(nginx.url("/download/film%20one.bin")).create(data);

        Torrent torrent = client("ours", true).add(Metainfo.parse(t));

        assertThat(torrent.awaitCompletion(WAIT)).isTrue();
        assertThat(TestData.difference(data, tmp.resolve("ours/film one.bin"))).isNull();
        assertThat(torrent.peers()).extracting(PeerInfo::source).containsExactly("web seed");
    }

    @Test
    void aReaderSeeksIntoAFilmWhoseOnlySourceIsASlowWebSeedAndGetsItsBytesBeforeTheRest() throws Exception {
        NginxServer.require();
        // 500 kB/s per connection: the whole 16 MB film takes about 8 s from the four workers.
        NginxServer nginx = track(NginxServer.serving(Files.createDirectories(tmp.resolve("www"))).workDir(tmp.resolve("nginx"))
                .serverConfig("limit_rate 500k;").start());
        Path data = TestData.file(tmp.resolve("www/download/film.bin"), 16_000_000, 12);
        byte[] bytes = Files.readAllBytes(data);
        byte[] t = new TorrentCreator().pieceLength(256 * 1024).webSeed(nginx.url("/download/film.bin")).create(data);

        Torrent torrent = client("ours", true).add(Metainfo.parse(t));
        try (TorrentStream in = torrent.openStream(0)) {
            long at = in.size() * 7 / 10;
            in.position(at);
            java.nio.ByteBuffer got = java.nio.ByteBuffer.allocate(100_000);
            while (got.hasRemaining()) {
                assertThat(in.read(got)).isPositive();
            }
            assertThat(got.array()).isEqualTo(java.util.Arrays.copyOfRange(bytes, (int) at, (int) at + 100_000));
            assertThat(torrent.progress()).as("read before the rest of the film arrived").isLessThan(0.9);
        }
        assertThat(torrent.awaitCompletion(WAIT)).isTrue();
        assertThat(TestData.difference(data, tmp.resolve("ours/film.bin"))).isNull();
    }

    @Test
    void aMultiFileTorrentInTheInternetArchivesLayoutDownloadsByteIdentical() throws Exception {
        NginxServer nginx = nginx();
        Path item = tmp.resolve("www/download/my_item");
        TestData.file(item.resolve("a file.bin"), 1_500_000, 6);
        TestData.file(item.resolve("sub dir/b+c.bin"), 700_001, 7);
        TestData.file(item.resolve("été.srt"), 12_345, 8);
        byte[] t = new TorrentCreator().pieceLength(32 * 1024).webSeed(nginx.url("/download/")).create(item);

        Torrent torrent = client("ours", true).add(Metainfo.parse(t));

        assertThat(torrent.awaitCompletion(WAIT)).isTrue();
        assertThat(TestData.difference(item, tmp.resolve("ours/my_item"))).isNull();
        // IA/S3 read '+' as a space: it must go out as %2B; one connection carries many requests.
        assertThat(nginx.accessLog()).anyMatch(l -> l.contains("b%2Bc.bin"));
    }

    @Test
    void seedsThatAnswer503IgnoreRangesOrSendCorruptDataDoNotStopTheDownload() throws Exception {
        NginxServer nginx = nginx();
        Path data = TestData.file(tmp.resolve("www/download/film.bin"), 2_000_000, 9);
        byte[] bytes = Files.readAllBytes(data);
        AtomicInteger unavailableAsked = new AtomicInteger();
        String unavailable = badServer(ex -> {
            unavailableAsked.incrementAndGet();
            ex.getResponseHeaders().add("Retry-After", "120");
            ex.sendResponseHeaders(503, -1);
        });
        String noRanges = badServer(ex -> {
            ex.sendResponseHeaders(200, bytes.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(bytes);
            }
        });
        String corrupt = badServer(ex -> {
            long[] r = range(ex.getRequestHeaders().getFirst("Range"));
            byte[] body = java.util.Arrays.copyOfRange(bytes, (int) r[0], (int) r[1] + 1);
            for (int i = 0; i < body.length; i += 1000) {
                body[i] ^= 0x5a;
            }
            ex.getResponseHeaders().add("Content-Range", "bytes " + r[0] + "-" + r[1] + "/" + bytes.length);
            ex.sendResponseHeaders(206, body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        });
        byte[] t = new TorrentCreator().pieceLength(64 * 1024).webSeed(unavailable).webSeed(noRanges).webSeed(corrupt)
                .webSeed(nginx.url("/download/film.bin")).create(data);

        Torrent torrent = client("ours", true).add(Metainfo.parse(t));

        assertThat(torrent.awaitCompletion(WAIT)).isTrue();
        assertThat(TestData.difference(data, tmp.resolve("ours/film.bin"))).isNull();
        // The server that said "retry after 120 s" was asked once per worker at most, not hammered.
        assertThat(unavailableAsked.get()).isLessThanOrEqualTo(WebSeedPeer.WORKERS);
        assertThat(torrent.peers()).extracting(PeerInfo::client).noneMatch(c -> c.contains(noRanges));
    }

    @Test
    void aWebSeedAndALibtorrentSeederTogetherCompleteTheDownload() throws Exception {
        ExternalPeer.require("python3-libtorrent (/usr/bin/python3 -c 'import libtorrent')", ExternalPeer.libtorrentPresent());
        NginxServer nginx = nginx();
        Path data = TestData.file(tmp.resolve("www/download/film.bin"), 6_000_000, 10);
        byte[] t = new TorrentCreator().pieceLength(128 * 1024).webSeed(nginx.url("/download/film.bin")).create(data);
        Path torrentFile = Files.write(tmp.resolve("film.torrent"), t);
        Path script = ExternalPeer.libtorrentScript(tmp);
        ExternalPeer seed = track(ExternalPeer.start("libtorrent seed", tmp, List.of("/usr/bin/python3", script.toString(),
                "seed", "--save", tmp.resolve("www/download").toString(), "--torrent", torrentFile.toString())));
        int port = Integer.parseInt(seed.await("LISTEN (\\d+)", WAIT));

        TorrentClient ours = client("ours", true);
        Torrent torrent = ours.add(Metainfo.parse(t));
        torrent.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));

        assertThat(torrent.awaitCompletion(WAIT)).isTrue();
        assertThat(TestData.difference(data, tmp.resolve("ours/film.bin"))).isNull();
        assertThat(nginx.accessLog()).as("the web seed was used").isNotEmpty();
    }

    @Test
    void aWebSeedOnAnInsideAddressIsRefusedUnlessTheOperatorAllowsIt() throws Exception {
        NginxServer nginx = nginx();
        Path data = TestData.file(tmp.resolve("www/download/film.bin"), 500_000, 11);
        byte[] t = new TorrentCreator().pieceLength(64 * 1024).webSeed(nginx.url("/download/film.bin")).create(data);

        Torrent torrent = client("ours", false).add(Metainfo.parse(t));

        assertThat(torrent.awaitCompletion(Duration.ofSeconds(3))).isFalse();
        assertThat(nginx.accessLog()).as("no request reached the loopback server").isEmpty();
        assertThat(torrent.peers()).as("the seed was dropped").isEmpty();
    }

    private interface Handler {
        void handle(HttpExchange ex) throws IOException;
    }

    private String badServer(Handler h) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.createContext("/", ex -> {
            try {
                h.handle(ex);
            } finally {
                ex.close();
            }
        });
        server.start();
        toClose.add(() -> server.stop(0));
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/film.bin";
    }

    private static long[] range(String header) {
        Matcher m = Pattern.compile("bytes=(\\d+)-(\\d+)").matcher(header);
        if (!m.find()) {
            throw new IllegalArgumentException("no range in " + header);
        }
        return new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2))};
    }
}
