package org.hypertube;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.Message;
import java.io.IOException;
import java.util.Arrays;
import java.util.regex.Pattern;
import java.io.UncheckedIOException;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import org.hypertube.catalog.source.ProviderFakes;
import org.hypertube.torrent.dht.DhtNode;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The whole application on a real PostgreSQL (TEST_DATABASE_URL, started by bin/test), with a real
 * SMTP server (GreenMail) and a real OAuth2 server (mock-oauth2-server) standing in for 42 and GitHub.
 * Every test class extends this one, so they share one running application.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureMockMvc
@org.springframework.context.annotation.Import(org.hypertube.playback.MemberConversionsClock.class)
public abstract class AppTestBase {

    protected static final GreenMail MAIL = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
    protected static final MockOAuth2Server OAUTH = new MockOAuth2Server();
    protected static final Path DATA_DIR;
    /** The REST API client the operator defines by environment (API_CLIENT_ID, API_CLIENT_SECRET). */
    protected static final String OPERATOR_CLIENT = "operator-program";
    protected static final String OPERATOR_SECRET = "operator-secret-" + Long.toHexString(System.nanoTime());
    /** The secret a Prometheus scraper sends for /actuator/prometheus (HYPERTUBE_METRICS_TOKEN). */
    protected static final String METRICS_TOKEN = "metrics-" + UUID.randomUUID();
    /** The secret the instances of a cluster share (HYPERTUBE_CLUSTER_SECRET). */
    protected static final String CLUSTER_SECRET = "cluster-" + UUID.randomUUID();
    /** A username listed in HYPERTUBE_ADMINS; signing up under it gives no role (the list applies at start-up). */
    protected static final String ADMIN = "boss" + Long.toHexString(System.nanoTime());
    /** Another listed username, for the test of the list itself. */
    protected static final String LISTED_ADMIN = "chief" + Long.toHexString(System.nanoTime());
    /** The outside film sources (YTS, Internet Archive, TMDB, OMDb), faked in their documented shapes. */
    protected static final WireMockServer SOURCES = ProviderFakes.start();
    /**
     * OpenSubtitles (REST API v1) in its documented shapes: every film has one English subtitle file,
     * {@link #OPENSUBTITLES_FILE}, whose download link serves {@link #OPENSUBTITLES_VTT}.
     */
    protected static final WireMockServer OPENSUBTITLES = new WireMockServer(
            com.github.tomakehurst.wiremock.core.WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort());
    protected static final long OPENSUBTITLES_FILE = 4242;
    protected static final String OPENSUBTITLES_VTT = "WEBVTT\n\n00:00:05.000 --> 00:00:08.000\nFrom OpenSubtitles 1\n";
    /**
     * mock-oauth2-server is an OpenID Connect server and refuses an authorization request without the
     * {@code openid} scope, which 42 and GitHub (plain OAuth2) never send. This relay adds that scope
     * on the way to it and changes nothing else, so the application still runs its plain OAuth2 path.
     */
    private static final HttpServer SCOPE_RELAY;
    /**
     * The DHT node the engine joins through instead of the public routers (HYPERTUBE_DHT_BOOTSTRAP): tests
     * never reach the public DHT. Its own address, so the engine's table (one node per IP) can hold it.
     */
    protected static final DhtNode DHT_HUB;

    static {
        MAIL.start();
        OPENSUBTITLES.start();
        OPENSUBTITLES.stubFor(com.github.tomakehurst.wiremock.client.WireMock.get(
                        com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo("/api/v1/subtitles"))
                .willReturn(com.github.tomakehurst.wiremock.client.WireMock.okJson("""
                        {"total_pages":1,"total_count":1,"per_page":60,"page":1,"data":[{"id":"9000001","type":"subtitle",
                        "attributes":{"subtitle_id":"9000001","language":"en","download_count":1200,"hearing_impaired":false,
                        "hd":true,"fps":24,"from_trusted":true,"foreign_parts_only":false,"ai_translated":false,
                        "machine_translated":false,"release":"Test.Release.1080p","comments":"",
                        "files":[{"file_id":%d,"cd_number":1,"file_name":"test.release.1080p"}]}}]}
                        """.formatted(OPENSUBTITLES_FILE))));
        OPENSUBTITLES.stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(
                        com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo("/api/v1/download"))
                .willReturn(com.github.tomakehurst.wiremock.client.WireMock.okJson("{\"link\":\"" + OPENSUBTITLES.baseUrl()
                        + "/download/T1/subfile/test.webvtt\",\"file_name\":\"test.webvtt\",\"requests\":1,\"remaining\":99,"
                        + "\"message\":\"Your quota will be renewed in 23 hours\",\"reset_time\":\"23 hours\","
                        + "\"reset_time_utc\":\"2031-01-01T00:00:00.000Z\"}")));
        OPENSUBTITLES.stubFor(com.github.tomakehurst.wiremock.client.WireMock.get(
                        com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo("/download/T1/subfile/test.webvtt"))
                .willReturn(com.github.tomakehurst.wiremock.client.WireMock.aResponse()
                        .withHeader("Content-Type", "text/vtt; charset=utf-8").withBody(OPENSUBTITLES_VTT)));
        ProviderFakes.stubAll(SOURCES);
        try {
            OAUTH.start(InetAddress.getByName("127.0.0.1"), 0);
            DATA_DIR = TestDirs.temporary("hypertube-test");
            SCOPE_RELAY = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
            SCOPE_RELAY.createContext("/", exchange -> {
                String issuer = exchange.getRequestURI().getPath().split("/")[1];
                String query = exchange.getRequestURI().getRawQuery().replaceFirst("(^|&)scope=", "$1scope=openid+");
                exchange.getResponseHeaders().add("Location", OAUTH.authorizationEndpointUrl(issuer) + "?" + query);
                exchange.sendResponseHeaders(302, -1);
                exchange.close();
            });
            SCOPE_RELAY.start();
            DHT_HUB = DhtNode.builder().bind(new InetSocketAddress(InetAddress.getByName("127.0.77.1"), 0)).open();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            MAIL.stop();
            OAUTH.shutdown();
            SCOPE_RELAY.stop(0);
            SOURCES.stop();
            OPENSUBTITLES.stop();
            DHT_HUB.close();
        }));
    }

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        String url = System.getenv("TEST_DATABASE_URL");
        if (url == null || url.isBlank()) {
            throw new IllegalStateException("TEST_DATABASE_URL is not set: run the tests with bin/test, which starts PostgreSQL");
        }
        registry.add("spring.datasource.url", () -> url);
        registry.add("spring.datasource.username", () -> env("TEST_DATABASE_USER", "hypertube"));
        registry.add("spring.datasource.password", () -> env("TEST_DATABASE_PASSWORD", ""));
        registry.add("hypertube.data-dir", DATA_DIR::toString);
        registry.add("hypertube.account.admins", () -> ADMIN + "," + LISTED_ADMIN);
        registry.add("hypertube.api.operator-client-id", () -> OPERATOR_CLIENT);
        registry.add("hypertube.metrics-token", () -> METRICS_TOKEN);
        registry.add("hypertube.api.operator-client-secret", () -> OPERATOR_SECRET);
        registry.add("spring.mail.host", () -> "127.0.0.1");
        registry.add("spring.mail.port", () -> MAIL.getSmtp().getPort());
        registry.add("spring.mail.properties.mail.smtp.starttls.enable", () -> "false");
        // A cold application on a busy two-core machine needs more than the fakes' 2 s budget.
        ProviderFakes.properties(SOURCES).forEach((key, value) -> registry.add(key,
                () -> key.endsWith("http.timeout") ? "8s" : value));
        registry.add("spring.jpa.properties.hibernate.generate_statistics", () -> "true");
        // Our engine talks to loopback peers only, on a free port.
        registry.add("hypertube.playback.bind-address", () -> "127.0.0.1");
        registry.add("hypertube.playback.torrent-port", () -> "0");
        registry.add("hypertube.playback.dht", () -> "on");
        registry.add("hypertube.playback.dht-bootstrap", () -> "127.0.77.1:" + DHT_HUB.localAddress().getPort());
        // ... and so its web seeds are on loopback too (nginx standing in for the Internet Archive), which the
        // engine refuses unless the operator allows it; so are the covers, .torrent files and trackers of every
        // stand-in. 127.0.0.1 is trusted (HYPERTUBE_TRUSTED_ADDRESSES), standing in for the public Internet, while
        // every other inside address (::1, 127.0.0.2, 169.254.169.254...) stays refused as in production.
        registry.add("hypertube.outside.trusted-addresses", () -> "127.0.0.1");
        // A conversion nobody asks anything of stops sooner than the default minute, so a test can see a
        // viewer's leaving.
        registry.add("hypertube.media.idle-timeout", () -> "8s");
        // A torrent without a single peer gives way to the film's next candidate quickly.
        registry.add("hypertube.playback.source-timeout", () -> "3s");
        registry.add("hypertube.subtitles.opensubtitles.api-key", () -> "test-key");
        registry.add("hypertube.subtitles.opensubtitles.base-url", () -> OPENSUBTITLES.baseUrl() + "/api/v1");
        registry.add("hypertube.playback.upkeep-interval", () -> "PT1S");
        // Seek-bar thumbnails are made when a download completes; the sweep for the others (every finished film
        // without them, the fixtures' random bytes too) stays out of the tests' way: ThumbnailsWebTest asks itself.
        registry.add("hypertube.thumbnails.sweep-interval", () -> "PT6H");
        // The cluster listener (ClusterEndpointWebTest): on a free loopback port, requests signed with this secret.
        registry.add("hypertube.leases.listen", () -> "127.0.0.1:0");
        registry.add("hypertube.leases.secret", () -> CLUSTER_SECRET);
        // nginx on 127.0.0.1 stands in for a reverse proxy (BehindReverseProxyTest); nobody else is believed.
        registry.add("hypertube.trusted-proxies", () -> "127.0.0.1");
        // Every reset of the suite comes from 127.0.0.1 into one shared app: 20 an hour would be reached as tests grow.
        registry.add("hypertube.account.reset-mails-per-address", () -> "1000");
        for (String provider : new String[] {"intra42", "github"}) {
            String prefix = "hypertube.account.oauth." + provider + ".";
            registry.add(prefix + "client-id", () -> "hypertube-" + provider);
            registry.add(prefix + "client-secret", () -> "test-secret-" + provider);
            registry.add(prefix + "authorization-uri",
                    () -> "http://127.0.0.1:" + SCOPE_RELAY.getAddress().getPort() + "/" + provider + "/authorize");
            registry.add(prefix + "token-uri", () -> OAUTH.tokenEndpointUrl(provider).toString());
            registry.add(prefix + "user-info-uri", () -> OAUTH.userInfoUrl(provider).toString());
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null ? fallback : value;
    }

    /** A fresh member, signed up and signed in through the forms, in a MockMvc session. */
    protected static org.springframework.mock.web.MockHttpSession signedInMember(
            org.springframework.test.web.servlet.MockMvc mvc, String prefix) throws Exception {
        String username = uniqueName(prefix);
        String password = "violet-harbour-" + username.substring(1, 5);
        var session = new org.springframework.mock.web.MockHttpSession();
        mvc.perform(org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post("/register").session(session)
                        .with(org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf())
                        .param("email", username + "@example.org").param("username", username)
                        .param("firstName", "Q").param("lastName", "L").param("password", password))
                .andExpect(org.springframework.test.web.servlet.result.MockMvcResultMatchers.status().is3xxRedirection());
        mvc.perform(org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post("/login").session(session)
                        .with(org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf())
                        .param("username", username).param("password", password))
                .andExpect(org.springframework.test.web.servlet.result.MockMvcResultMatchers.status().is3xxRedirection());
        return session;
    }

    /** A username no other test uses, so tests never depend on each other's data. */
    protected static String uniqueName(String prefix) {
        return prefix + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    }

    /** The first link to {@code path} (with its ?token=) in a mail to this address, waiting for the mail. */
    protected static String mailedLink(String email, String path) throws Exception {
        Pattern pattern = Pattern.compile("http://\\S+" + Pattern.quote(path) + "\\?token=[A-Za-z0-9_-]+");
        long deadline = System.nanoTime() + 15_000_000_000L;
        while (System.nanoTime() < deadline) {
            for (var message : MAIL.getReceivedMessages()) {
                if (Arrays.stream(message.getRecipients(Message.RecipientType.TO))
                        .anyMatch(a -> a.toString().equals(email))) {
                    var link = pattern.matcher((String) message.getContent());
                    if (link.find()) {
                        return link.group();
                    }
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no mail with a link to " + path + " reached " + email);
    }
}
