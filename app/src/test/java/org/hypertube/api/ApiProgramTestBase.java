package org.hypertube.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Page;
import com.nimbusds.oauth2.sdk.AccessTokenResponse;
import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.id.ClientID;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.hypertube.browser.BrowserTestBase;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * A program written from the subject's table, as a member would write it: the member makes a client
 * under Settings in Chromium, the program gets tokens with Nimbus' OAuth 2.0 SDK (a real client library)
 * and calls the API over HTTP.
 */
abstract class ApiProgramTestBase extends BrowserTestBase {

    static final ObjectMapper JSON = JsonMapper.builder().build();

    @Autowired
    JdbcTemplate jdbc;
    final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    /** A member's key: the client they made under Settings, API clients. */
    record Key(long memberId, String username, String password, String clientId, String secret) {
    }

    /** A new member signs up and makes an API client on their settings; an administrator if {@code admin}. */
    Key memberKey(boolean admin) {
        Page page = browser.open(1280, 800, "en-US");
        Person person = Person.fresh();
        register(page, person);
        page.navigate(http(() -> mailedLink(person.email(), "/email/verify"))); // only a confirmed address may make a client
        page.navigate(url("/settings/api-clients"));
        page.fill("#client-name", "My program");
        page.click("form[action='/settings/api-clients'] button[type=submit]");
        String clientId = page.textContent("#new-client-id").strip();
        String secret = page.textContent("#new-client-secret").strip();
        page.context().close();
        long id = jdbc.queryForObject("select id from members where username = ?", Long.class, person.username());
        // The first member of a fresh database is an administrator: say plainly which one this is.
        jdbc.update("update members set admin = ? where id = ?", admin, id);
        return new Key(id, person.username(), person.password(), clientId, secret);
    }

    /** A client-credentials token response from /oauth/token, asking for {@code scope} (none when null). */
    AccessTokenResponse tokenResponse(String clientId, String secret, String scope) throws Exception {
        var request = new TokenRequest(URI.create(url("/oauth/token")), new ClientSecretBasic(new ClientID(clientId),
                new Secret(secret)), new ClientCredentialsGrant(), scope == null ? null : Scope.parse(scope));
        TokenResponse response = TokenResponse.parse(request.toHTTPRequest().send());
        assertThat(response.indicatesSuccess()).as(() -> response.toErrorResponse().getErrorObject().toString()).isTrue();
        return response.toSuccessResponse();
    }

    /** A token asked for without a scope, as the subject's programs ask. */
    String token(Key key) throws Exception {
        return tokenResponse(key.clientId(), key.secret(), null).getTokens().getAccessToken().getValue();
    }

    String operatorToken() throws Exception {
        return tokenResponse(OPERATOR_CLIENT, OPERATOR_SECRET, null).getTokens().getAccessToken().getValue();
    }

    HttpResponse<String> call(String method, String path, String token, String body) throws Exception {
        return call(method, path, token, body, "application/json");
    }

    HttpResponse<String> call(String method, String path, String token, String body, String accept) throws Exception {
        var request = HttpRequest.newBuilder(URI.create(url(path)))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (accept != null) {
            request.header("Accept", accept);
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode json(HttpResponse<String> response) {
        return JSON.readTree(response.body());
    }

    /** The answer is an RFC 9457 problem of this status, in UTF-8 JSON. */
    static void assertProblem(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).as(response.uri().toString())
                .hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
        assertThat(json(response).get("status").asInt()).isEqualTo(status);
    }

    /** A film of the library (the front page's first), by id. */
    long libraryFilm(String imdbId) {
        Long id = jdbc.query("select id from films where imdb_id = ?", rs -> rs.next() ? rs.getLong(1) : null, imdbId);
        if (id == null) {
            var listed = http(() -> call("GET", "/api/movies", operatorTokenUnchecked(), null));
            assertThat(listed.statusCode()).isEqualTo(200);
            id = jdbc.queryForObject("select id from films where imdb_id = ?", Long.class, imdbId);
        }
        return id;
    }

    private String operatorTokenUnchecked() {
        return http(this::operatorToken);
    }

    interface Call<T> {
        T call() throws Exception;
    }

    static <T> T http(Call<T> call) {
        try {
            return call.call();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
