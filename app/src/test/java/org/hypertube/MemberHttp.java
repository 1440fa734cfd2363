package org.hypertube;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * A member signed in over real HTTP, as a browser is (one session, given by its cookie; {@link WebSession} keeps
 * its own cookies instead): the session cookie and the CSRF header a page
 * carries, for requests to the running application on 127.0.0.1.
 *
 * @param cookie     {@code JSESSIONID=...}
 * @param csrfHeader the CSRF header's name
 * @param csrfToken  its value
 */
public record MemberHttp(HttpClient http, String base, String cookie, String csrfHeader, String csrfToken) {

    /** Registers a new member through the sign-up form, then signs them in. */
    public static MemberHttp signUp(int port, String username, String password) throws Exception {
        HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
        String base = "http://127.0.0.1:" + port;
        var form = http.send(HttpRequest.newBuilder(URI.create(base + "/register")).build(), HttpResponse.BodyHandlers.ofString());
        String body = "email=" + username + "%40example.org&username=" + username + "&firstName=Viv&lastName=Ewer&password="
                + URLEncoder.encode(password, StandardCharsets.UTF_8) + "&_csrf="
                + URLEncoder.encode(find(form.body(), "name=\"_csrf\" value=\"([^\"]+)\""), StandardCharsets.UTF_8);
        var registered = http.send(HttpRequest.newBuilder(URI.create(base + "/register"))
                .header("Cookie", sessionCookie(form)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.discarding());
        assertThat(registered.statusCode()).as("sign-up of " + username).isEqualTo(302);
        return signIn(port, username, password);
    }

    /** Signs {@code username} in through the login form (redirects are not followed). */
    public static MemberHttp signIn(int port, String username, String password) throws Exception {
        HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
        String base = "http://127.0.0.1:" + port;
        var form = http.send(HttpRequest.newBuilder(URI.create(base + "/login")).build(), HttpResponse.BodyHandlers.ofString());
        String token = find(form.body(), "name=\"_csrf\" value=\"([^\"]+)\"");
        String body = "username=" + username + "&password=" + URLEncoder.encode(password, StandardCharsets.UTF_8)
                + "&_csrf=" + URLEncoder.encode(token, StandardCharsets.UTF_8);
        var signedIn = http.send(HttpRequest.newBuilder(URI.create(base + "/login"))
                .header("Cookie", sessionCookie(form)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.discarding());
        assertThat(signedIn.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).endsWith("/"));
        String cookie = sessionCookie(signedIn);
        var home = http.send(HttpRequest.newBuilder(URI.create(base + "/")).header("Cookie", cookie).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(home.statusCode()).isEqualTo(200);
        return new MemberHttp(http, base, cookie, find(home.body(), "name=\"csrf-header\" content=\"([^\"]+)\""),
                find(home.body(), "name=\"csrf-token\" content=\"([^\"]+)\""));
    }

    /** A request to {@code path} with the session cookie and CSRF header. */
    public HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(base + path)).header("Cookie", cookie).header(csrfHeader, csrfToken);
    }

    public HttpResponse<byte[]> get(String path) throws Exception {
        return http.send(request(path).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static String sessionCookie(HttpResponse<?> response) {
        return response.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("JSESSIONID="))
                .map(c -> c.substring(0, c.indexOf(';'))).findFirst().orElseThrow();
    }

    static String find(String html, String regex) {
        var m = Pattern.compile(regex).matcher(html);
        assertThat(m.find()).as(regex).isTrue();
        return m.group(1);
    }
}
