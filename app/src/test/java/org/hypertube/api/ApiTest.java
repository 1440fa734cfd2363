package org.hypertube.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.sun.net.httpserver.HttpServer;
import io.swagger.v3.parser.OpenAPIV3Parser;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.hypertube.AppTestBase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The REST API as a program meets it, over real HTTP: tokens from /oauth/token, the consent page
 * in Chromium, then every route with and without the right token.
 */
class ApiTest extends AppTestBase {

    static final ObjectMapper JSON = new ObjectMapper();
    static Playwright playwright;
    static Browser browser;
    static HttpServer callback;
    static final List<String> consoleProblems = new ArrayList<>();

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate jdbc;
    final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @BeforeAll
    static void start() throws Exception {
        playwright = Playwright.create(new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        browser = playwright.chromium().launch(new BrowserType.LaunchOptions().setExecutablePath(Path.of("/usr/bin/chromium"))
                .setHeadless(true).setArgs(List.of("--no-sandbox", "--disable-gpu", "--disable-background-networking",
                        "--disable-component-update", "--disable-sync", "--no-first-run")));
        callback = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        // The program's own page; it answers every path so the browser's favicon request finds something too.
        callback.createContext("/", exchange -> {
            byte[] ok = "ok".getBytes();
            exchange.getResponseHeaders().add("Content-Type", "text/plain");
            exchange.sendResponseHeaders(200, ok.length);
            exchange.getResponseBody().write(ok);
            exchange.close();
        });
        callback.start();
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
            playwright.close();
        }
        if (callback != null) {
            callback.stop(0);
        }
    }

    String url(String path) {
        return "http://localhost:" + port + path;
    }

    String redirectUri() {
        return "http://127.0.0.1:" + callback.getAddress().getPort() + "/cb";
    }

    record Member(String username, String password, long id, String clientId, String secret) {
    }

    /** A member signs up in the browser and creates an API client on their settings. */
    Member memberWithClient(Page page) {
        return memberWithClient(page, uniqueName("api"));
    }

    Member memberWithClient(Page page, String username) {
        String password = "copper-meadow-" + username.substring(3, 7);
        page.navigate(url("/register"));
        page.fill("#email", username + "@example.org");
        page.fill("#username", username);
        page.fill("#firstName", "Api");
        page.fill("#lastName", "User");
        page.fill("#password", password);
        page.click("main button[type=submit]");
        page.waitForURL(url("/login?registered"));
        signIn(page, username, password);
        page.navigate(ApiProgramTestBase.http(() -> mailedLink(username + "@example.org", "/email/verify"))); // only a confirmed address may make a client
        page.navigate(url("/profile"));
        long id = Long.parseLong(page.url().replaceAll(".*/users/(\\d+)/edit$", "$1"));
        page.click("text=API clients");
        page.fill("#client-name", "Test program");
        page.fill("#client-redirects", redirectUri());
        page.click("form[action='/settings/api-clients'] button[type=submit]");
        String clientId = page.textContent("#new-client-id").strip();
        String secret = page.textContent("#new-client-secret").strip();
        return new Member(username, password, id, clientId, secret);
    }

    void signIn(Page page, String username, String password) {
        page.navigate(url("/login"));
        page.fill("#username", username);
        page.fill("#password", password);
        page.click("main button[type=submit]");
        page.waitForURL(url("/"));
    }

    HttpResponse<String> token(String clientId, String secret, Map<String, String> form) throws Exception {
        String body = String.join("&", form.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).toList());
        String basic = Base64.getEncoder().encodeToString((clientId + ":" + secret).getBytes(StandardCharsets.UTF_8));
        return http.send(HttpRequest.newBuilder(URI.create(url("/oauth/token")))
                .header("Authorization", "Basic " + basic)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> call(String method, String path, String token, String json) throws Exception {
        var request = HttpRequest.newBuilder(URI.create(url(path))).header("Accept", "application/json");
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        request.method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode json(HttpResponse<String> response) throws Exception {
        return JSON.readTree(response.body());
    }

    /** Authorization code with PKCE: the member consents in the browser; returns the token response. */
    JsonNode consent(Page page, Member m) throws Exception {
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        String verifier = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        String state = "st" + System.nanoTime(); // a real client's state is random per request
        String challenge = Base64.getUrlEncoder().withoutPadding()
                .encodeToString(MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        page.navigate(url("/oauth/authorize?response_type=code&client_id=" + m.clientId() + "&scope=read%20write&state=" + state
                + "&redirect_uri=" + URLEncoder.encode(redirectUri(), StandardCharsets.UTF_8)
                + "&code_challenge=" + challenge + "&code_challenge_method=S256"));
        assertThat(page.textContent("h1")).isEqualTo("Allow access?");
        assertThat(page.textContent("main")).contains("Test program").contains("Change your account and your comments");
        page.click("#consent-allow");
        try {
            page.waitForURL(url -> url.startsWith(redirectUri()), new Page.WaitForURLOptions().setTimeout(10_000));
        } catch (com.microsoft.playwright.TimeoutError e) {
            throw new AssertionError("consent did not reach the program; at " + page.url() + ", console: " + consoleProblems, e);
        }
        Map<String, String> query = new HashMap<>();
        for (String pair : URI.create(page.url()).getRawQuery().split("&")) {
            String[] kv = pair.split("=", 2);
            query.put(kv[0], URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
        }
        assertThat(query.get("state")).isEqualTo(state);
        var response = token(m.clientId(), m.secret(), Map.of("grant_type", "authorization_code", "code", query.get("code"),
                "redirect_uri", redirectUri(), "code_verifier", verifier));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return json(response);
    }

    Page page() {
        Page page = browser.newContext(new Browser.NewContextOptions().setLocale("en-US")).newPage();
        page.onConsoleMessage(msg -> {
            if ("error".equals(msg.type()) || "warning".equals(msg.type())) {
                consoleProblems.add(msg.text());
            }
        });
        return page;
    }

    long film() {
        String imdb = "tt" + (7_000_000 + (int) (Math.random() * 1_000_000));
        jdbc.update("insert into films (imdb_id, title, title_key, release_year, rating, runtime_minutes, created_at, updated_at)"
                + " values (?, 'Api Test Film', 'api test film', 1950, 7.1, 88, now(), now())", imdb);
        return jdbc.queryForObject("select id from films where imdb_id = ?", Long.class, imdb);
    }

    @Test
    void aProgramGetsATokenWithItsCredentialsAndActsOnlyForTheMemberWhoMadeIt() throws Exception {
        Page page = page();
        Member m = memberWithClient(page);
        var refused = token(m.clientId(), "wrong-secret", Map.of("grant_type", "client_credentials", "scope", "read"));
        assertThat(refused.statusCode()).isEqualTo(401);

        var issued = token(m.clientId(), m.secret(), Map.of("grant_type", "client_credentials", "scope", "read write"));
        assertThat(issued.statusCode()).as(issued.body()).isEqualTo(200);
        String token = json(issued).get("access_token").asText();

        // Resource servers can check our tokens: the signing keys are published, and introspection answers.
        var jwks = http.send(HttpRequest.newBuilder(URI.create(url("/oauth/jwks"))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(json(jwks).get("keys").get(0).get("kty").asText()).isEqualTo("RSA");
        var introspected = http.send(HttpRequest.newBuilder(URI.create(url("/oauth/introspect")))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString((m.clientId() + ":" + m.secret()).getBytes()))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("token=" + token)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(json(introspected).get("active").asBoolean()).isTrue();
        assertThat(json(introspected).get("client_id").asText()).isEqualTo(m.clientId());

        var users = call("GET", "/api/users?size=5", token, null);
        assertThat(users.statusCode()).isEqualTo(200);
        assertThat(json(users).get("items").size()).isBetween(1, 5);
        assertThat(json(users).get("links").get("self").asText()).contains("/api/users");

        var user = call("GET", "/api/users/" + m.id(), token, null);
        assertThat(user.statusCode()).isEqualTo(200);
        assertThat(json(user).get("username").asText()).isEqualTo(m.username());
        // The member's own client is their key: it sees their e-mail, and nobody else's.
        assertThat(json(user).get("email").asText()).isEqualTo(m.username() + "@example.org");
        Page otherPage = page();
        long other = memberWithClient(otherPage).id();
        otherPage.context().close();
        assertThat(json(call("GET", "/api/users/" + other, token, null)).get("username").asText()).isNotBlank();
        assertThat(json(call("GET", "/api/users/" + other, token, null)).has("email")).isFalse();

        var patch = call("PATCH", "/api/users/" + other, token, "{\"username\":\"taken-over\"}");
        assertThat(patch.statusCode()).isEqualTo(403);
        assertThat(patch.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).contains("problem+json"));

        var none = call("GET", "/api/users", null, null);
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(h -> assertThat(h).startsWith("Bearer"));
        var forged = call("GET", "/api/users", token.substring(0, token.length() - 4) + "AAAA", null);
        assertThat(forged.statusCode()).isEqualTo(401);

        var readOnly = json(token(m.clientId(), m.secret(), Map.of("grant_type", "client_credentials", "scope", "read")))
                .get("access_token").asText();
        var wrongScope = call("POST", "/api/comments", readOnly, "{\"comment\":\"hi\",\"movie_id\":1}");
        assertThat(wrongScope.statusCode()).isEqualTo(403);
        page.context().close();
        assertThat(consoleProblems).isEmpty();
    }

    @Test
    void aMemberConsentsThenTheProgramActsForThemWithinTheirRights() throws Exception {
        Page page = page();
        Member m = memberWithClient(page);
        JsonNode tokens = consent(page, m);
        String token = tokens.get("access_token").asText();
        long filmId = film();

        var me = call("GET", "/api/users/" + m.id(), token, null);
        assertThat(json(me).get("email").asText()).isEqualTo(m.username() + "@example.org");
        var renamed = call("PATCH", "/api/users/" + m.id(), token, "{\"username\":\"" + m.username() + "x\"}");
        assertThat(renamed.statusCode()).as(renamed.body()).isEqualTo(200);
        assertThat(json(renamed).get("username").asText()).isEqualTo(m.username() + "x");
        var other = call("PATCH", "/api/users/1", token, "{\"username\":\"nope\"}");
        assertThat(other.statusCode()).isIn(403, 404);
        assertThat(call("PATCH", "/api/users/" + m.id(), token, "{\"email\":\"not-an-email\"}").statusCode()).isEqualTo(422);
        assertThat(call("PATCH", "/api/users/" + m.id(), token, "{\"username\":").statusCode()).isEqualTo(400);
        // bcrypt takes 72 bytes: 70 letters and a 3-byte euro sign are refused with the reason, not a 500.
        var overlong = call("PATCH", "/api/users/" + m.id(), token, "{\"password\":\"" + "x".repeat(70) + "\u20ac\",\"currentPassword\":\""
                + m.password() + "\"}");
        assertThat(overlong.statusCode()).as(overlong.body()).isEqualTo(422);
        assertThat(overlong.body()).contains("password.tooLong");

        var posted = call("POST", "/api/movies/" + filmId + "/comments", token, "{\"comment\":\"Great <b>film</b>\"}");
        assertThat(posted.statusCode()).as(posted.body()).isEqualTo(201);
        long commentId = json(posted).get("id").asLong();
        assertThat(posted.headers().firstValue("Location")).hasValue("/api/comments/" + commentId);
        assertThat(json(call("GET", "/api/comments/" + commentId, token, null)).get("content").asText()).isEqualTo("Great <b>film</b>");
        assertThat(json(call("GET", "/api/movies/" + filmId, token, null)).get("comments").asLong()).isEqualTo(1);
        assertThat(call("POST", "/api/comments", token, "{\"comment\":\"" + "x".repeat(1001) + "\",\"movie_id\":" + filmId + "}")
                .statusCode()).isEqualTo(422);
        assertThat(call("POST", "/api/comments", token, "{\"comment\":\"hi\",\"movie_id\":987654321}").statusCode()).isEqualTo(404);
        assertThat(call("PATCH", "/api/comments/" + commentId, token, "{\"comment\":\"Edited\"}").statusCode()).isEqualTo(200);

        // Someone else's comment can be neither edited nor deleted.
        Page otherPage = page();
        Member stranger = memberWithClient(otherPage);
        String strangerToken = consent(otherPage, stranger).get("access_token").asText();
        assertThat(call("PATCH", "/api/comments/" + commentId, strangerToken, "{\"comment\":\"mine now\"}").statusCode()).isEqualTo(403);
        assertThat(call("DELETE", "/api/comments/" + commentId, strangerToken, null).statusCode()).isEqualTo(403);
        assertThat(call("DELETE", "/api/comments/" + commentId, token, null).statusCode()).isEqualTo(204);
        assertThat(call("GET", "/api/comments/" + commentId, token, null).statusCode()).isEqualTo(404);

        var wrongVerb = call("PUT", "/api/comments/" + commentId, token, "{}");
        assertThat(wrongVerb.statusCode()).isEqualTo(405);
        assertThat(wrongVerb.headers().firstValue("Allow")).isPresent();
        assertThat(call("GET", "/api/nothing-here", token, null).statusCode()).isEqualTo(404);

        // A refresh token gives a new access token until it is revoked.
        String refresh = tokens.get("refresh_token").asText();
        var refreshed = token(m.clientId(), m.secret(), Map.of("grant_type", "refresh_token", "refresh_token", refresh));
        assertThat(refreshed.statusCode()).isEqualTo(200);
        String newRefresh = json(refreshed).get("refresh_token").asText();
        var revoke = http.send(HttpRequest.newBuilder(URI.create(url("/oauth/revoke")))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString((m.clientId() + ":" + m.secret()).getBytes()))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("token=" + newRefresh + "&token_type_hint=refresh_token")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(revoke.statusCode()).isEqualTo(200);
        assertThat(token(m.clientId(), m.secret(), Map.of("grant_type", "refresh_token", "refresh_token", newRefresh)).statusCode())
                .isEqualTo(400);
        page.context().close();
        otherPage.context().close();
        assertThat(consoleProblems).isEmpty();
    }

    @Test
    void theConsentPageSaysWhoMadeTheProgramWhereItSendsTheBrowserAndWhatEachPermissionAllows() throws Exception {
        Page page = page();
        Member m = memberWithClient(page);
        page.navigate(url("/oauth/authorize?response_type=code&client_id=" + m.clientId() + "&scope=read%20write&state=s1"
                + "&redirect_uri=" + URLEncoder.encode(redirectUri(), StandardCharsets.UTF_8)
                + "&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256"));
        assertThat(page.textContent("h1")).isEqualTo("Allow access?");
        assertThat(page.textContent("#consent-maker")).contains("Made by a member").contains("Made by the member " + m.username())
                .contains("not by this server's operator");
        assertThat(page.textContent("#consent-redirect")).contains("127.0.0.1");
        assertThat(page.textContent("#consent-form")).contains("It can read the list of members")
                .contains("Changing your e-mail address or password also needs your current password");

        // The operator's client from the environment says so, in the member's language.
        page.navigate(url("/oauth/consent?client_id=" + OPERATOR_CLIENT + "&scope=read&state=s2"));
        assertThat(page.textContent("#consent-maker")).isEqualTo("Set up by this server's operator.");
        page.context().close();
        jdbc.update("update members set language = 'fr' where id = ?", m.id());
        Page french = page();
        signIn(french, m.username(), m.password());
        french.navigate(url("/oauth/consent?client_id=" + m.clientId() + "&scope=write&state=s3"));
        assertThat(french.textContent("#consent-maker")).contains("Créé par le membre " + m.username());
        assertThat(french.textContent("#consent-form")).contains("votre mot de passe actuel");
        french.context().close();
    }

    @Test
    void aNewEmailOrPasswordThroughTheApiNeedsTheCurrentPasswordAndAPasswordChangeRevokesTokensAndSessions() throws Exception {
        Page page = page();
        Member m = memberWithClient(page);
        JsonNode tokens = consent(page, m);
        String token = tokens.get("access_token").asText();
        String path = "/api/users/" + m.id();

        var withoutCurrent = call("PATCH", path, token, "{\"password\":\"amber-kettle-7731\"}");
        assertThat(withoutCurrent.statusCode()).as(withoutCurrent.body()).isEqualTo(400);
        assertThat(withoutCurrent.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).contains("problem+json"));
        assertThat(call("PATCH", path, token, "{\"email\":\"thief@example.net\"}").statusCode()).isEqualTo(400);
        var wrong = call("PATCH", path, token, "{\"email\":\"thief@example.net\",\"currentPassword\":\"guess-1234\"}");
        assertThat(wrong.statusCode()).as(wrong.body()).isEqualTo(403);
        assertThat(json(call("GET", path, token, null)).get("email").asText()).isEqualTo(m.username() + "@example.org");
        page.navigate(url("/"));
        assertThat(page.url()).isEqualTo(url("/"));

        var changed = call("PATCH", path, token, "{\"password\":\"amber-kettle-7731\",\"currentPassword\":\"" + m.password() + "\"}");
        assertThat(changed.statusCode()).as(changed.body()).isEqualTo(200);
        // The refresh token is revoked, the access token refused, and the member's browser signed out.
        assertThat(token(m.clientId(), m.secret(), Map.of("grant_type", "refresh_token", "refresh_token",
                tokens.get("refresh_token").asText())).statusCode()).isEqualTo(400);
        assertThat(call("GET", path, token, null).statusCode()).isEqualTo(401);
        page.navigate(url("/"));
        assertThat(page.url()).isEqualTo(url("/login?ended"));
        assertThat(page.textContent("main")).contains("You were signed out because your password or your role changed.");
        signIn(page, m.username(), "amber-kettle-7731");
        page.context().close();
        assertThat(consoleProblems).isEmpty();
    }

    @Test
    void theOpenApiDocumentIsValidAndListsExactlyTheServedRoutes() throws Exception {
        var doc = http.send(HttpRequest.newBuilder(URI.create(url("/api/docs"))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(doc.statusCode()).isEqualTo(200);
        var parsed = new OpenAPIV3Parser().readContents(doc.body());
        assertThat(parsed.getMessages()).isEmpty();
        Set<String> routes = new TreeSet<>();
        parsed.getOpenAPI().getPaths().forEach((path, item) -> item.readOperationsMap().keySet()
                .forEach(method -> routes.add(method + " " + path)));
        assertThat(routes).containsExactlyInAnyOrder(
                "GET /api/users", "GET /api/users/{id}", "PATCH /api/users/{id}", "GET /api/users/{id}/picture",
                "GET /api/movies", "POST /api/movies", "GET /api/movies/{id}", "DELETE /api/movies/{id}",
                "GET /api/movies/{id}/cover", "GET /api/movies/{movieId}/comments", "POST /api/movies/{movieId}/comments",
                "GET /api/comments", "POST /api/comments", "GET /api/comments/{id}", "PATCH /api/comments/{id}",
                "DELETE /api/comments/{id}");
        assertThat(parsed.getOpenAPI().getComponents().getSecuritySchemes()).containsKey("oauth2");
    }

    @Test
    void everyRouteWantsATokenAndAnswersAWrongVerbWithAllow() throws Exception {
        String[][] routes = {{"GET", "/api/users"}, {"GET", "/api/users/1"}, {"PATCH", "/api/users/1"}, {"GET", "/api/movies"},
                {"GET", "/api/movies/1"}, {"POST", "/api/movies/1/comments"}, {"GET", "/api/comments"}, {"POST", "/api/comments"},
                {"GET", "/api/comments/1"}, {"PATCH", "/api/comments/1"}, {"DELETE", "/api/comments/1"}};
        for (String[] route : routes) {
            var answer = call(route[0], route[1], null, route[0].equals("GET") || route[0].equals("DELETE") ? null : "{}");
            assertThat(answer.statusCode()).as("%s %s", route[0], route[1]).isEqualTo(401);
            assertThat(answer.headers().firstValue("WWW-Authenticate")).as(route[1]).isPresent();
            assertThat(answer.body()).as(route[1]).contains("\"status\":401");
        }
        Page page = page();
        Member m = memberWithClient(page);
        page.context().close();
        String token = json(token(m.clientId(), m.secret(), Map.of("grant_type", "client_credentials", "scope", "read write")))
                .get("access_token").asText();
        for (String[] wrong : new String[][] {{"DELETE", "/api/users/1"}, {"PUT", "/api/movies/1"}, {"PATCH", "/api/movies"},
                {"PUT", "/api/comments"}}) {
            var answer = call(wrong[0], wrong[1], token, wrong[0].equals("DELETE") ? null : "{}");
            assertThat(answer.statusCode()).as("%s %s", wrong[0], wrong[1]).isEqualTo(405);
            assertThat(answer.headers().firstValue("Allow")).as(wrong[1]).isPresent();
            assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).contains("problem+json"));
        }
        assertThat(call("GET", "/api/users?size=1000", token, null).statusCode()).isEqualTo(400);
        assertThat(call("GET", "/api/movies/999999999", token, null).statusCode()).isEqualTo(404);
    }

    @Test
    void anAdministratorMayDeleteAnyCommentButNotEditIt() throws Exception {
        Page page = page();
        Member author = memberWithClient(page);
        String authorToken = consent(page, author).get("access_token").asText();
        long filmId = film();
        long commentId = json(call("POST", "/api/movies/" + filmId + "/comments", authorToken, "{\"comment\":\"Spoilers!\"}"))
                .get("id").asLong();

        Page adminPage = page();
        Member admin = memberWithClient(adminPage, ADMIN);
        // Signing up under a listed name gives no role (HYPERTUBE_ADMINS applies at start-up); made one here, then signs in again.
        jdbc.update("update members set admin = true where id = ?", admin.id());
        adminPage.context().clearCookies();
        signIn(adminPage, admin.username(), admin.password());
        String adminToken = consent(adminPage, admin).get("access_token").asText();
        assertThat(call("PATCH", "/api/comments/" + commentId, adminToken, "{\"comment\":\"censored\"}").statusCode()).isEqualTo(403);
        var adminView = call("GET", "/api/users/" + author.id(), adminToken, null);
        assertThat(json(adminView).get("email").asText()).isEqualTo(author.username() + "@example.org");
        assertThat(call("DELETE", "/api/comments/" + commentId, adminToken, null).statusCode()).isEqualTo(204);
        assertThat(call("GET", "/api/comments/" + commentId, authorToken, null).statusCode()).isEqualTo(404);
        page.context().close();
        adminPage.context().close();
        assertThat(consoleProblems).isEmpty();
    }

    @Test
    void theOperatorsClientFromTheEnvironmentGetsTokens() throws Exception {
        assertThat(token(OPERATOR_CLIENT, "not-the-secret", Map.of("grant_type", "client_credentials")).statusCode()).isEqualTo(401);
        var issued = token(OPERATOR_CLIENT, OPERATOR_SECRET, Map.of("grant_type", "client_credentials", "scope", "read"));
        assertThat(issued.statusCode()).as(issued.body()).isEqualTo(200);
        assertThat(call("GET", "/api/movies", json(issued).get("access_token").asText(), null).statusCode()).isEqualTo(200);
        // Only its hash is stored.
        String stored = jdbc.queryForObject("select client_secret from oauth2_registered_client where client_id = ?", String.class,
                OPERATOR_CLIENT);
        assertThat(stored).startsWith("{bcrypt}").doesNotContain(OPERATOR_SECRET);
    }
    @Test
    void swaggerUiAndTheAuthorizationEndpointCarryOurContentSecurityPolicyAndTheUiStillWorks() throws Exception {
        var follow = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();
        var ui = follow.send(HttpRequest.newBuilder(URI.create(url("/api/docs/ui"))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(ui.statusCode()).isEqualTo(200);
        assertThat(ui.body()).contains("<div id=\"swagger-ui\">").contains("swagger-ui-bundle.js");
        assertThat(ui.headers().firstValue("Content-Security-Policy")).get().asString()
                .contains("script-src 'self'").contains("object-src 'none'").contains("frame-ancestors 'none'");
        var script = follow.send(HttpRequest.newBuilder(ui.uri().resolve("swagger-initializer.js")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(script.statusCode()).isEqualTo(200);
        assertThat(script.headers().firstValue("Content-Security-Policy")).isPresent();
        // The authorization endpoint, before anyone signs in, sends to the sign-in page, with the policy too.
        var authorize = call("GET", "/oauth/authorize?response_type=code&client_id=nobody&scope=read&state=x", null, null);
        assertThat(authorize.headers().firstValue("Content-Security-Policy")).get().asString().contains("script-src 'self'");

        // In Chromium the UI draws the API's description under that policy, without a complaint.
        List<String> problems = new ArrayList<>();
        Page page = browser.newContext().newPage();
        page.onConsoleMessage(msg -> {
            if ("error".equals(msg.type()) || "warning".equals(msg.type())) {
                problems.add(msg.text());
            }
        });
        page.navigate(url("/api/docs/ui"));
        page.waitForSelector(".swagger-ui .opblock", new Page.WaitForSelectorOptions().setTimeout(20_000));
        assertThat(page.textContent(".swagger-ui")).contains("/api/movies");
        page.context().close();
        assertThat(problems).noneMatch(p -> p.contains("Content Security Policy"));
    }
}
