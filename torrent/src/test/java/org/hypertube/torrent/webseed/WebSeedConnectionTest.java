package org.hypertube.torrent.webseed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocketFactory;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.hypertube.torrent.OutsideAddressPolicy;
import org.hypertube.torrent.TorrentInfo;
import org.hypertube.torrent.webseed.ScriptedHttpServer.Reply;
import org.hypertube.torrent.webseed.WebSeedException.Kind;
import org.junit.jupiter.api.Test;

/** A web seed connection against a scripted server on loopback that misbehaves in one way per test. */
class WebSeedConnectionTest {
    private static final byte[] FILE = new byte[1000];
    private static final TorrentInfo INFO = TestTorrents.single("f.bin", FILE.length, 256);
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    static {
        new Random(7).nextBytes(FILE);
    }

    private static WebSeedConnection connect(String seedUrl, OutsideAddressPolicy policy) throws WebSeedException {
        return new WebSeedConnection(WebSeedUrls.of(INFO, seedUrl), policy, (SSLSocketFactory) SSLSocketFactory.getDefault(),
                Duration.ofSeconds(5), Clock.systemUTC());
    }

    private static WebSeedConnection connect(String seedUrl) throws WebSeedException {
        return connect(seedUrl, OutsideAddressPolicy.of(true));
    }

    private static byte[] fetch(WebSeedConnection c, int offset, int length) throws WebSeedException {
        ByteBuffer b = ByteBuffer.allocate(length);
        c.fetch(offset, b);
        assertThat(b.hasRemaining()).isFalse();
        return b.array();
    }

    private static WebSeedException fails(ThrowingCallable call, Kind kind, String message) {
        WebSeedException[] caught = new WebSeedException[1];
        assertThatThrownBy(call).isInstanceOf(WebSeedException.class).hasMessageContaining(message)
                .satisfies(e -> caught[0] = (WebSeedException) e);
        assertThat(caught[0].kind()).isEqualTo(kind);
        return caught[0];
    }

    @Test
    void piecesComeOverOneKeptAliveConnection() throws Exception {
        try (var server = new ScriptedHttpServer(LOOPBACK, r -> ScriptedHttpServer.partial(FILE, r.range()));
                var c = connect(server.url("/f.bin"))) {
            assertThat(fetch(c, 0, 256)).isEqualTo(Arrays.copyOfRange(FILE, 0, 256));
            assertThat(fetch(c, 768, 232)).isEqualTo(Arrays.copyOfRange(FILE, 768, 1000));
            assertThat(fetch(c, 0, 1000)).isEqualTo(FILE);
            assertThat(server.connections.get()).isEqualTo(1);
            assertThat(server.requests).extracting(ScriptedHttpServer.Request::range)
                    .containsExactly("bytes=0-255", "bytes=768-999", "bytes=0-999");
        }
    }

    @Test
    void anIdleConnectionTheServerClosedSilentlyIsReopenedAndConnectionCloseIsHonoured() throws Exception {
        try (var silent = new ScriptedHttpServer(LOOPBACK, r -> ScriptedHttpServer.partial(FILE, r.range()).closing());
                var c = connect(silent.url("/f.bin"))) {
            fetch(c, 0, 256);
            assertThat(fetch(c, 256, 256)).isEqualTo(Arrays.copyOfRange(FILE, 256, 512));
            assertThat(silent.connections.get()).isEqualTo(2);
            assertThat(c.connectionsOpened()).isEqualTo(2);
        }
        try (var closing = new ScriptedHttpServer(LOOPBACK, r -> {
                    Reply p = ScriptedHttpServer.partial(FILE, r.range());
                    return new Reply(p.text().replace("\r\n\r\n", "\r\nConnection: close\r\n\r\n"), p.body(), false);
                });
                var c = connect(closing.url("/f.bin"))) {
            fetch(c, 0, 256);
            fetch(c, 256, 256);
            assertThat(c.connectionsOpened()).as("closed by us after Connection: close, not found dead").isEqualTo(2);
        }
    }

    @Test
    void aBusyServersRetryAfterIsReported() throws Exception {
        try (var server = new ScriptedHttpServer(LOOPBACK,
                r -> Reply.of("HTTP/1.1 503 Slow Down\r\nRetry-After: 7\r\nContent-Length: 0\r\n\r\n"));
                var c = connect(server.url("/f.bin"))) {
            WebSeedException e = fails(() -> fetch(c, 0, 256), Kind.RETRY_LATER, "HTTP 503, retry after 7 s");
            assertThat(e.retryAfter()).contains(Duration.ofSeconds(7));
            assertThat(e.fileIndex()).isZero();
            assertThat(e.getMessage()).contains(server.url("/f.bin"));
        }
    }

    @Test
    void aServerIgnoringRangeIsRecognisedAndTheFullBodyIsNotRead() throws Exception {
        try (var server = new ScriptedHttpServer(LOOPBACK,
                r -> new Reply("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n", FILE, false));
                var c = connect(server.url("/f.bin"))) {
            fails(() -> fetch(c, 256, 256), Kind.IGNORES_RANGE, "HTTP 200 (the whole file) for a request of bytes 256-511");
            assertThat(fetch(c, 0, 1000)).as("a 200 for the whole file is fine").isEqualTo(FILE);
        }
    }

    @Test
    void aRedirectIsFollowedAndRememberedForTheFileWhileTheConnectionLives() throws Exception {
        try (var server = new ScriptedHttpServer(LOOPBACK, r -> r.target().equals("/f.bin")
                ? Reply.of("HTTP/1.1 301 Moved Permanently\r\nLocation: /27/items/f.bin\r\nContent-Length: 0\r\n\r\n")
                : ScriptedHttpServer.partial(FILE, r.range()));
                var c = connect(server.url("/f.bin"))) {
            assertThat(fetch(c, 0, 256)).isEqualTo(Arrays.copyOfRange(FILE, 0, 256));
            assertThat(fetch(c, 256, 256)).isEqualTo(Arrays.copyOfRange(FILE, 256, 512));
            assertThat(server.requests).extracting(ScriptedHttpServer.Request::target)
                    .containsExactly("/f.bin", "/27/items/f.bin", "/27/items/f.bin");
            assertThat(server.connections.get()).isEqualTo(1);
        }
    }

    @Test
    void redirectsToOtherSchemesOrInLoopsAreRefused() throws Exception {
        for (String target : new String[] {"file:///etc/passwd", "ftp://127.0.0.1/f.bin"}) {
            try (var server = new ScriptedHttpServer(LOOPBACK,
                    r -> Reply.of("HTTP/1.1 302 Found\r\nLocation: " + target + "\r\nContent-Length: 0\r\n\r\n"));
                    var c = connect(server.url("/f.bin"))) {
                fails(() -> fetch(c, 0, 256), Kind.BAD_URL, "redirect target is not http or https");
            }
        }
        try (var loop = new ScriptedHttpServer(LOOPBACK,
                r -> Reply.of("HTTP/1.1 307 Again\r\nLocation: /f.bin?" + r.target().length() + "\r\nContent-Length: 0\r\n\r\n"));
                var c = connect(loop.url("/f.bin"))) {
            fails(() -> fetch(c, 0, 256), Kind.BAD_URL, "more than 5 redirects");
            assertThat(loop.requests).hasSize(6);
        }
    }

    @Test
    void localAddressesAreRefusedBeforeConnectingRedirectsIncluded() throws Exception {
        InetAddress other = InetAddress.getByName("127.0.0.2");
        try (var inside = new ScriptedHttpServer(LOOPBACK, r -> ScriptedHttpServer.partial(FILE, r.range()));
                var outside = new ScriptedHttpServer(other,
                        r -> Reply.of("HTTP/1.1 302 Found\r\nLocation: " + inside.url("/f.bin") + "\r\nContent-Length: 0\r\n\r\n"))) {
            try (var c = connect(inside.url("/f.bin"), OutsideAddressPolicy.outsideOnly())) {
                fails(() -> fetch(c, 0, 256), Kind.NOT_ALLOWED_ADDRESS, "127.0.0.1 is 127.0.0.1, a loopback address");
            }
            // 127.0.0.2 stands for a public server here; its redirect to this machine must not be followed.
            try (var c = connect(outside.url("/f.bin"), OutsideAddressPolicy.outsideOnly().trusting(other))) {
                fails(() -> fetch(c, 0, 256), Kind.NOT_ALLOWED_ADDRESS, "loopback");
            }
            assertThat(outside.requests).hasSize(1);
            assertThat(inside.connections.get()).isZero();
        }
    }

    @Test
    void aTruncatedBodyFailsAndTheNextFetchUsesANewConnection() throws Exception {
        int[] calls = {0};
        try (var server = new ScriptedHttpServer(LOOPBACK, r -> {
                    Reply p = ScriptedHttpServer.partial(FILE, r.range());
                    return calls[0]++ == 0 ? new Reply(p.text(), Arrays.copyOf(p.body(), 100), true) : p;
                });
                var c = connect(server.url("/f.bin"))) {
            fails(() -> fetch(c, 0, 256), Kind.PROTOCOL, "body ended after 100 of 256 bytes");
            assertThat(fetch(c, 0, 256)).isEqualTo(Arrays.copyOfRange(FILE, 0, 256));
            assertThat(server.connections.get()).isEqualTo(2);
        }
    }

    @Test
    void aServerThatRefusesConnectionsIsAnIoFailure() throws Exception {
        // Port 1: below the ephemeral range (no self-connect) and privileged (no other test binds it).
        try (var c = connect("http://127.0.0.1:1/f.bin")) {
            fails(() -> fetch(c, 0, 256), Kind.IO, "cannot connect to 127.0.0.1:1");
        }
    }

    @Test
    void closingFromAnotherThreadAbortsAFetch() throws Exception {
        CountDownLatch asked = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (var silent = new ScriptedHttpServer(LOOPBACK, r -> {
                    asked.countDown();
                    try {
                        release.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return Reply.of("").closing();
                });
                var c = connect(silent.url("/f.bin"))) {
            CompletableFuture<byte[]> fetching = CompletableFuture.supplyAsync(() -> {
                try {
                    return fetch(c, 0, 256);
                } catch (WebSeedException e) {
                    throw new CompletionException(e);
                }
            });
            assertThat(asked.await(5, TimeUnit.SECONDS)).isTrue();
            c.close();
            assertThatThrownBy(() -> fetching.get(3, TimeUnit.SECONDS)).hasCauseInstanceOf(WebSeedException.class)
                    .satisfies(e -> assertThat(((WebSeedException) e.getCause()).kind()).isEqualTo(Kind.IO));
            fails(() -> fetch(c, 0, 256), Kind.IO, "was closed");
        } finally {
            release.countDown();
        }
    }
}
