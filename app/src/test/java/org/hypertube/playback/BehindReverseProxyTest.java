package org.hypertube.playback;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.hypertube.AppTestBase;
import org.hypertube.WebSession;
import org.hypertube.torrent.testing.NginxServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The site behind Debian's nginx, as an operator runs it (HYPERTUBE_TRUSTED_PROXIES=127.0.0.1 here):
 * clients connect to nginx from their own addresses (127.0.0.2, 127.0.0.3: the whole of 127/8 is this
 * machine), nginx passes each on in X-Forwarded-For, and the application tells them apart; a client
 * that reaches the application directly cannot pass itself off as another; and ffmpeg's internal
 * endpoint is not reachable through nginx.
 */
class BehindReverseProxyTest extends AppTestBase {

    static NginxServer nginx;
    static int appPort;

    @LocalServerPort
    int port;
    @Autowired
    DownloadRepository repository;
    @Autowired
    Engine engine;
    @Autowired
    InternalMedia internal;

    @BeforeAll
    static void noNginxYet() {
        NginxServer.require();
    }

    void startNginx() throws Exception {
        if (nginx == null || appPort != port) {
            if (nginx != null) {
                nginx.close();
            }
            Path www = org.hypertube.TestDirs.temporary("proxy-www");
            nginx = NginxServer.serving(www).serverConfig("""
                    location / {
                        proxy_pass http://127.0.0.1:%d;
                        proxy_set_header Host $http_host;
                        proxy_set_header X-Forwarded-For $remote_addr;
                        proxy_set_header X-Forwarded-Proto $scheme;
                    }
                    """.formatted(port)).start();
            appPort = port;
        }
    }

    @AfterAll
    static void stopNginx() {
        if (nginx != null) {
            nginx.close();
            nginx = null;
        }
    }

    static InetAddress address(String literal) throws Exception {
        return InetAddress.getByName(literal);
    }

    /** Fails sign-ins from this client (a new username each time) until its address is locked out. */
    static int failUntilLocked(WebSession client, String... headers) throws Exception {
        for (int i = 1; i <= 12; i++) {
            String where = client.signIn(uniqueName("nobody"), "wrong-password-" + i, headers);
            if (where.endsWith("/login?locked")) {
                return i;
            }
            assertThat(where).endsWith("/login?error");
        }
        throw new AssertionError("never locked out");
    }

    @Test
    void twoClientsBehindTheProxyAreThrottledSeparately() throws Exception {
        startNginx();
        try (WebSession a = new WebSession(nginx.url(""), address("127.0.0.2"));
             WebSession b = new WebSession(nginx.url(""), address("127.0.0.3"))) {
            int attempts = failUntilLocked(a);
            assertThat(attempts).isGreaterThan(5);   // LoginThrottle.FREE_FAILURES are free
            // The other client, through the same proxy, is not locked out by the first one's guesses.
            assertThat(b.signIn(uniqueName("nobody"), "wrong-password")).endsWith("/login?error");
            assertThat(a.signIn(uniqueName("nobody"), "wrong-password")).endsWith("/login?locked");
        }
    }

    @Test
    void aDirectClientsForwardedForIsIgnored() throws Exception {
        startNginx();
        String app = "http://127.0.0.1:" + port;
        try (WebSession c = new WebSession(app, address("127.0.0.4"));
             WebSession d = new WebSession(app, address("127.0.0.5"))) {
            // A made-up client address changes nothing: the lock-out is the sender's own.
            failUntilLocked(c, "X-Forwarded-For", "198.51.100." + (int) (Math.random() * 200));
            // ... and naming the locked-out address does not lock another sender out either.
            assertThat(d.signIn(uniqueName("nobody"), "wrong-password", "X-Forwarded-For", "127.0.0.4"))
                    .endsWith("/login?error");
        }
    }

    @Test
    void theTokenEndpointsLimitCountsEachClientBehindTheProxy() throws Exception {
        startNginx();
        try (HttpClient a = HttpClient.newBuilder().localAddress(address("127.0.0.6")).build();
             HttpClient b = HttpClient.newBuilder().localAddress(address("127.0.0.7")).build()) {
            HttpRequest token = HttpRequest.newBuilder(java.net.URI.create(nginx.url("/oauth/token")))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")).build();
            int status = 0;
            for (int i = 0; i < 61 && status != 429; i++) {
                status = a.send(token, HttpResponse.BodyHandlers.discarding()).statusCode();
            }
            assertThat(status).isEqualTo(429);
            assertThat(b.send(token, HttpResponse.BodyHandlers.discarding()).statusCode()).isNotEqualTo(429);
        }
    }

    @Test
    void ffmpegsEndpointIsNotReachableThroughTheProxy() throws Exception {
        startNginx();
        var film = PlaybackWebTest.finished(repository, engine, null, Instant.now());
        try {
            String url = internal.url(film.download().getInfoHash());
            String path = url.substring(url.indexOf("/internal/"));
            try (HttpClient http = HttpClient.newHttpClient()) {
                var proxied = http.send(HttpRequest.newBuilder(java.net.URI.create(nginx.url(path))).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(proxied.statusCode()).isEqualTo(404);
                var direct = http.send(HttpRequest.newBuilder(java.net.URI.create(url)).header("Range", "bytes=0-9").build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                assertThat(direct.statusCode()).as("ffmpeg's own way in still works").isEqualTo(206);
            }
        } finally {
            repository.delete(film.download());
        }
    }
}
