package org.hypertube.api;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.hypertube.TestPictures;
import org.hypertube.account.PictureUrls;
import org.hypertube.torrent.testing.StandInHttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * A member's program sets their picture by URL ({@code PATCH /users/{id}} with {@code pictureUrl}): the server
 * fetches it only from public addresses (the tests trust 127.0.0.1 as the Internet; ::1 and 169.254.169.254 stay
 * inside, as in production), only images within an upload's bounds, and serves it re-encoded.
 */
class ApiPictureUrlTest extends ApiProgramTestBase {

    private final List<StandInHttpServer> hosts = new ArrayList<>();
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();

    @BeforeEach
    void listen() {
        log.start();
        ((Logger) LoggerFactory.getLogger(PictureUrls.class)).addAppender(log);
    }

    @AfterEach
    void stop() {
        ((Logger) LoggerFactory.getLogger(PictureUrls.class)).detachAppender(log);
        hosts.forEach(StandInHttpServer::close);
    }

    private StandInHttpServer host(String bind, String type, byte[] body) throws Exception {
        var host = StandInHttpServer.serving(bind, type, body);
        hosts.add(host);
        return host;
    }

    private static String patch(String url) {
        return "{\"pictureUrl\":\"" + url + "\"}";
    }

    /** The member's picture as their program gets it: its URL from GET /users/{id}, then the image with the token. */
    private HttpResponse<byte[]> picture(Key key, String token) throws Exception {
        String url = json(call("GET", "/users/" + key.memberId(), token, null)).get("pictureUrl").asString();
        return http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    private List<String> refusals(Key key) {
        return log.list.stream().map(ILoggingEvent::getFormattedMessage)
                .filter(m -> m.startsWith("member " + key.memberId() + " picture URL refused")).toList();
    }

    @Test
    void aPictureFromAPublicAddressIsFetchedAndServedReEncoded() throws Exception {
        Key key = memberKey(false);
        String token = token(key);
        var source = new BufferedImage(60, 40, BufferedImage.TYPE_INT_RGB);
        var g = source.createGraphics();
        g.setColor(new Color(200, 30, 40));
        g.fillRect(0, 0, 60, 40);
        g.dispose();
        var jpeg = new ByteArrayOutputStream();
        ImageIO.write(source, "jpg", jpeg);
        var image = host("127.0.0.1", "image/jpeg", jpeg.toByteArray());
        var redirect = StandInHttpServer.redirecting("127.0.0.1", image.url("/me.jpg"));
        hosts.add(redirect);

        var changed = call("PATCH", "/users/" + key.memberId(), token, patch(redirect.url("/moved")));
        assertThat(changed.statusCode()).as(changed.body()).isEqualTo(200);
        assertThat(image.hits()).isEqualTo(1);

        var served = picture(key, token);
        assertThat(served.statusCode()).isEqualTo(200);
        assertThat(served.headers().firstValue("Content-Type")).hasValue("image/png");
        BufferedImage stored = ImageIO.read(new ByteArrayInputStream(served.body()));
        assertThat(stored.getWidth()).isEqualTo(256);
        assertThat(stored.getHeight()).isEqualTo(256);
        Color centre = new Color(stored.getRGB(128, 128));
        assertThat(centre.getRed()).isGreaterThan(150);
        assertThat(centre.getGreen()).isLessThan(80);
        assertThat(refusals(key)).isEmpty();
    }

    @Test
    void insideAddressesAreRefusedWithoutAConnectionAndChangeNothing() throws Exception {
        Key key = memberKey(false);
        String token = token(key);
        byte[] png = TestPictures.blackPng(8, 8);
        var loopback = host("::1", "image/png", png);
        var publicOne = host("127.0.0.1", "image/png", png);
        var toLoopback = StandInHttpServer.redirecting("127.0.0.1", loopback.url("/me.png"));
        hosts.add(toLoopback);

        assertProblem(call("PATCH", "/users/" + key.memberId(), token, patch(loopback.url("/me.png"))), 422);
        assertProblem(call("PATCH", "/api/users/" + key.memberId(), token, patch(toLoopback.url("/moved"))), 422);
        var metadata = call("PATCH", "/api/users/" + key.memberId(), token,
                "{\"username\":\"" + key.username() + "z\",\"pictureUrl\":\"http://169.254.169.254/latest/meta-data/me.png\"}");
        assertProblem(metadata, 422);
        assertThat(json(metadata).get("detail").asString()).contains("not a public address");
        assertThat(loopback.hits()).isZero();
        // Nothing changed: neither the picture (still the default avatar) nor the username sent beside the URL.
        assertThat(picture(key, token).headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("image/svg+xml"));
        assertThat(json(call("GET", "/users/" + key.memberId(), token, null)).get("username").asString()).isEqualTo(key.username());
        assertThat(refusals(key)).hasSize(3).allSatisfy(m -> assertThat(m).contains("INSIDE_ADDRESS"));

        // Another member's account is refused before anything is fetched.
        Key other = memberKey(false);
        assertProblem(call("PATCH", "/users/" + other.memberId(), token, patch(publicOne.url("/me.png"))), 403);
        assertThat(publicOne.hits()).isZero();
        assertThat(picture(other, token).headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("image/svg+xml"));
    }

    @Test
    void whatIsNotAPictureWithinAnUploadsBoundsIsRefused() throws Exception {
        Key key = memberKey(false);
        String token = token(key);
        String path = "/users/" + key.memberId();
        var page = host("127.0.0.1", "text/html", "<html><body>me</body></html>".getBytes());
        var lying = host("127.0.0.1", "image/png", "<html><body>me</body></html>".getBytes());
        var svg = host("127.0.0.1", "image/svg+xml", "<svg xmlns='http://www.w3.org/2000/svg'/>".getBytes());
        var oversized = host("127.0.0.1", "image/png", new byte[2 * 1024 * 1024 + 1]);
        var tooManyPixels = host("127.0.0.1", "image/png", TestPictures.blackPng(9000, 9000));
        var missing = StandInHttpServer.redirecting("127.0.0.1", "ftp://example.org/me.png");
        hosts.add(missing);

        for (var refused : List.of(page, lying, svg, oversized, tooManyPixels)) {
            var answer = call("PATCH", path, token, patch(refused.url("/me.png")));
            assertProblem(answer, 422);
            assertThat(refused.hits()).isEqualTo(1);
        }
        assertThat(json(call("PATCH", path, token, patch(oversized.url("/me.png")))).get("detail").asString()).contains("too large");
        assertThat(json(call("PATCH", path, token, patch(page.url("/me.png")))).get("detail").asString()).contains("PNG, JPEG");
        // A redirect to another scheme is not followed: no picture there.
        assertProblem(call("PATCH", path, token, patch(missing.url("/moved"))), 422);
        // Not an http(s) URL at all: a bad request, nothing fetched.
        for (String bad : List.of("ftp://127.0.0.1/me.png", "file:///etc/passwd", "not a url", "http:///me.png")) {
            assertProblem(call("PATCH", path, token, patch(bad)), 400);
        }
        assertThat(picture(key, token).headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("image/svg+xml"));
        assertThat(refusals(key)).hasSize(12);
    }
}
