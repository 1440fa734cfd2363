package org.hypertube.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Page;
import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.hypertube.AppTestServers;
import org.hypertube.browser.BrowserSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Two instances in cluster mode behind nginx on one database and one shared folder (README, "Several
 * instances"), used as a member and a program would: Chromium for pages, HTTP for the API. Requests go
 * through nginx pinned to one instance ({@link ClusterFixture#pinned}), so each step knows which instance
 * answered it.
 */
class SeveralInstancesTest {

    @RegisterExtension
    static final ClusterFixture CLUSTER = ClusterFixture.builder().instances(2).build();

    static final JsonMapper JSON = JsonMapper.builder().build();
    static BrowserSession browser;
    static HttpServer program;
    final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @BeforeAll
    static void start() throws Exception {
        browser = new BrowserSession();
        // The program's own page, where the member's browser is sent back with the authorization code.
        program = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        program.createContext("/", exchange -> {
            byte[] ok = "ok".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, ok.length);
            exchange.getResponseBody().write(ok);
            exchange.close();
        });
        program.start();
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
        if (program != null) {
            program.stop(0);
        }
    }

    record Member(long id, String username, String password, String clientId, String secret) {
    }

    @Test
    void nginxSpreadsRequestsOverBothInstances() throws Exception {
        for (int i = 0; i < 4; i++) {
            var page = http.send(HttpRequest.newBuilder(URI.create(CLUSTER.nginx("/login"))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(page.statusCode()).isEqualTo(200);
        }
        assertThat(CLUSTER.proxied()).filteredOn(line -> line.startsWith("GET /login "))
                .anySatisfy(line -> assertThat(line).endsWith(" 127.0.0.1:" + CLUSTER.port(0)))
                .anySatisfy(line -> assertThat(line).endsWith(" 127.0.0.1:" + CLUSTER.port(1)));
    }

    @Test
    void signedInOnOneInstanceIsSignedInOnTheOtherAndSigningOutOnOneEndsItOnBoth() throws Exception {
        Page page = browser.open(1280, 800, "en-US");
        Member member = signUp(page, false);

        // Signed in on A; the next request lands on B, which knows the session.
        page.navigate(CLUSTER.pinned(1, "/profile"));
        assertThat(page.url()).isEqualTo(CLUSTER.pinned(1, "/users/" + member.id() + "/edit"));
        assertThat(CLUSTER.proxied()).contains("GET /users/" + member.id() + "/edit 200 127.0.0.1:" + CLUSTER.port(1));
        // Kept in the database, with the 12 h timeout of in-memory sessions.
        assertThat(CLUSTER.jdbc().queryForObject("select max_inactive_interval from spring_session where principal_name = ?",
                Integer.class, member.username())).isEqualTo(12 * 3600);

        // The CSRF token of a page from A is good for B: a sign-out posted to B without it is refused, with it done.
        page.navigate(CLUSTER.pinned(0, "/profile"));
        String csrf = page.getAttribute("form.logout input[name=_csrf]", "value");
        String cookie = page.context().cookies().stream().filter(c -> c.name.equals("SESSION"))
                .map(c -> c.name + "=" + c.value).findFirst().orElseThrow();
        assertThat(post(CLUSTER.pinned(1, "/logout"), cookie, "_csrf=forged").statusCode()).isEqualTo(403);
        var signOut = post(CLUSTER.pinned(1, "/logout"), cookie, "_csrf=" + URLEncoder.encode(csrf, StandardCharsets.UTF_8));
        assertThat(signOut.statusCode()).isEqualTo(302);
        assertThat(signOut.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).endsWith("/login?logout"));
        page.navigate(CLUSTER.pinned(0, "/profile"));
        assertThat(page.url()).isEqualTo(CLUSTER.pinned(0, "/login"));

        // A password or role change raises the member's credentials version (here straight in the database):
        // their session ends on every instance.
        logIn(page, 1, member);
        CLUSTER.jdbc().update("update members set credentials_version = credentials_version + 1 where id = ?", member.id());
        page.navigate(CLUSTER.pinned(0, "/"));
        assertThat(page.url()).isEqualTo(CLUSTER.pinned(0, "/login?ended"));
        page.context().close();
    }

    @Test
    void aTokenFromOneInstanceIsAcceptedByTheOther() throws Exception {
        Page page = browser.open(1280, 800, "en-US");
        Member member = signUp(page, true);
        page.context().close();

        var token = token(0, member, Map.of("grant_type", "client_credentials"));
        assertThat(token.statusCode()).as(token.body()).isEqualTo(200);
        String access = JSON.readTree(token.body()).get("access_token").asText();

        var me = api(1, "/api/users/" + member.id(), access);
        assertThat(me.statusCode()).as(me.body()).isEqualTo(200);
        // B read A's token as this member's own: the e-mail is shown to the member only.
        assertThat(JSON.readTree(me.body()).get("email").asText()).isEqualTo(member.username() + "@example.org");
        assertThat(api(1, "/api/users/" + member.id(), access.substring(0, access.length() - 4) + "AAAA").statusCode())
                .isEqualTo(401);
    }

    @Test
    void aRefreshTokenStillWorksAfterTheInstanceThatIssuedItCrashedAndRestarted() throws Exception {
        Page page = browser.open(1280, 800, "en-US");
        Member member = signUp(page, true);
        JsonNode tokens = consent(page, 0, member, true);
        String access = tokens.get("access_token").asText();

        CLUSTER.kill9(0);
        var refreshed = token(1, member, Map.of("grant_type", "refresh_token", "refresh_token", tokens.get("refresh_token").asText()));
        assertThat(refreshed.statusCode()).as(refreshed.body()).isEqualTo(200);
        String refresh = JSON.readTree(refreshed.body()).get("refresh_token").asText();

        CLUSTER.restart(0);
        // The restarted instance still signs and checks with the same key, knows the refresh token and the consent.
        assertThat(api(0, "/api/users/" + member.id(), access).statusCode()).isEqualTo(200);
        var again = token(0, member, Map.of("grant_type", "refresh_token", "refresh_token", refresh));
        assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
        assertThat(api(1, "/api/users/" + member.id(), JSON.readTree(again.body()).get("access_token").asText()).statusCode())
                .isEqualTo(200);
        consent(page, 0, member, false);
        page.context().close();
    }

    /** A new member signs up through nginx and signs in on instance A; with an API client if {@code client}. */
    private Member signUp(Page page, boolean client) throws Exception {
        String username = "cl" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        String password = "copper-meadow-" + username.substring(2, 6);
        page.navigate(CLUSTER.nginx("/register"));
        page.fill("#email", username + "@example.org");
        page.fill("#username", username);
        page.fill("#firstName", "Ada");
        page.fill("#lastName", "Cluster");
        page.fill("#password", password);
        page.click("main button[type=submit]");
        page.waitForURL(CLUSTER.nginx("/login?registered"));
        Member member = new Member(0, username, password, null, null);
        logIn(page, 0, member);
        page.navigate(CLUSTER.pinned(0, "/profile"));
        long id = Long.parseLong(page.url().replaceAll(".*/users/(\\d+)/edit$", "$1"));
        if (!client) {
            return new Member(id, username, password, null, null);
        }
        page.navigate(AppTestServers.mailedLink(username + "@example.org", "/email/verify")); // a confirmed address may make a client
        page.navigate(CLUSTER.pinned(0, "/settings/api-clients"));
        page.fill("#client-name", "Cluster program");
        page.fill("#client-redirects", redirectUri());
        page.click("form[action='/settings/api-clients'] button[type=submit]");
        return new Member(id, username, password, page.textContent("#new-client-id").strip(),
                page.textContent("#new-client-secret").strip());
    }

    private static void logIn(Page page, int instance, Member member) {
        page.navigate(CLUSTER.pinned(instance, "/login"));
        page.fill("#username", member.username());
        page.fill("#password", member.password());
        page.click("main button[type=submit]");
        // The library, or the page asked for before signing in (wherever it was asked for).
        page.waitForURL(url -> !url.contains("/login"));
    }

    /** Authorization code with PKCE on one instance; the consent page is expected only when {@code asked}. */
    private JsonNode consent(Page page, int instance, Member member, boolean asked) throws Exception {
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        String verifier = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        String challenge = Base64.getUrlEncoder().withoutPadding()
                .encodeToString(MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        String state = "st" + System.nanoTime();
        page.navigate(CLUSTER.pinned(instance, "/oauth/authorize?response_type=code&client_id=" + member.clientId()
                + "&scope=read%20write&state=" + state + "&redirect_uri=" + URLEncoder.encode(redirectUri(), StandardCharsets.UTF_8)
                + "&code_challenge=" + challenge + "&code_challenge_method=S256"));
        if (asked) {
            assertThat(page.textContent("h1")).isEqualTo("Allow access?");
            page.click("#consent-allow");
        }
        page.waitForURL(Pattern.compile(Pattern.quote(redirectUri()) + "\\?.*"));
        Map<String, String> query = new HashMap<>();
        for (String pair : URI.create(page.url()).getRawQuery().split("&")) {
            String[] kv = pair.split("=", 2);
            query.put(kv[0], URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
        }
        assertThat(query.get("state")).isEqualTo(state);
        var response = token(instance, member, Map.of("grant_type", "authorization_code", "code", query.get("code"),
                "redirect_uri", redirectUri(), "code_verifier", verifier));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private HttpResponse<String> token(int instance, Member member, Map<String, String> form) throws Exception {
        String body = String.join("&", form.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).toList());
        String basic = Base64.getEncoder().encodeToString((member.clientId() + ":" + member.secret()).getBytes(StandardCharsets.UTF_8));
        return http.send(HttpRequest.newBuilder(URI.create(CLUSTER.pinned(instance, "/oauth/token")))
                .header("Authorization", "Basic " + basic).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> api(int instance, String path, String token) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(CLUSTER.pinned(instance, path))).header("Accept", "application/json")
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String url, String cookie, String form) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).header("Cookie", cookie)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String redirectUri() {
        return "http://127.0.0.1:" + program.getAddress().getPort() + "/cb";
    }
}
