package org.hypertube.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.sun.net.httpserver.HttpServer;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import javax.imageio.ImageIO;
import org.hypertube.AppTestBase;
import org.hypertube.WebSession;
import org.hypertube.system.OutsideFetch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Cover URLs come from film sources, outside input: the server never fetches one from an inside
 * address, checked on the address it connects to and again after every redirect. The tests' setting
 * trusts 127.0.0.1 (standing in for the Internet); ::1 and 169.254.169.254 stay inside, as in production.
 */
class OutsideAddressWebTest extends AppTestBase {

    @LocalServerPort
    int port;
    @Autowired
    Catalog catalog;
    @Autowired
    JdbcTemplate jdbc;

    private final List<HttpServer> servers = new ArrayList<>();
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private static byte[] png;

    @BeforeEach
    void listen() throws Exception {
        log.start();
        ((Logger) LoggerFactory.getLogger(OutsideFetch.class)).addAppender(log);
        if (png == null) {
            var out = new ByteArrayOutputStream();
            ImageIO.write(new BufferedImage(4, 6, BufferedImage.TYPE_INT_RGB), "png", out);
            png = out.toByteArray();
        }
    }

    @AfterEach
    void stop() {
        ((Logger) LoggerFactory.getLogger(OutsideFetch.class)).detachAppender(log);
        servers.forEach(s -> s.stop(0));
    }

    /** An image host on {@code bind} that counts what it is asked. */
    private String imageHost(String bind, AtomicInteger hits) throws Exception {
        HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getByName(bind), 0), 0);
        s.createContext("/", ex -> {
            hits.incrementAndGet();
            ex.getResponseHeaders().set("Content-Type", "image/png");
            ex.sendResponseHeaders(200, png.length);
            ex.getResponseBody().write(png);
            ex.close();
        });
        return start(s) + "/cover-" + UUID.randomUUID() + ".png";
    }

    private String redirectTo(String location) throws Exception {
        HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        s.createContext("/", ex -> {
            ex.getResponseHeaders().set("Location", location);
            ex.sendResponseHeaders(302, -1);
            ex.close();
        });
        return start(s) + "/moved-" + UUID.randomUUID();
    }

    private String start(HttpServer s) {
        s.start();
        servers.add(s);
        InetAddress a = s.getAddress().getAddress();
        String host = a instanceof java.net.Inet6Address ? "[" + a.getHostAddress() + "]" : a.getHostAddress();
        return "http://" + host + ":" + s.getAddress().getPort();
    }

    /** The cover a signed-in member's browser gets for a film whose source gave {@code coverUrl}. */
    private java.net.http.HttpResponse<byte[]> coverOf(String coverUrl) throws Exception {
        long film = catalog.popular(1).films().getFirst().getId();
        jdbc.update("update films set cover_url = ? where id = ?", coverUrl, film);
        return member().get("/films/" + film + "/cover");
    }

    private WebSession member;

    private WebSession member() throws Exception {
        if (member == null) {
            member = WebSession.signUp(port, uniqueName("c"), "amber-lantern-cover");
        }
        return member;
    }

    private List<String> refusals() {
        return log.list.stream().map(ILoggingEvent::getFormattedMessage).filter(m -> m.startsWith("outside fetch refused")).toList();
    }

    @Test
    void aCoverOnLoopbackIsNeverFetched() throws Exception {
        AtomicInteger hits = new AtomicInteger();
        var answer = coverOf(imageHost("::1", hits));
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("image/svg+xml"));
        assertThat(hits).hasValue(0);
        assertThat(refusals()).anySatisfy(m -> assertThat(m).contains("0:0:0:0:0:0:0:1, a loopback address"));
    }

    @Test
    void aCoverAtTheCloudMetadataAddressIsRefusedWithoutAConnection() throws Exception {
        var answer = coverOf("http://169.254.169.254/latest/meta-data/cover-" + UUID.randomUUID() + ".png");
        assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("image/svg+xml"));
        assertThat(refusals()).anySatisfy(m -> assertThat(m).contains("169.254.169.254, a link-local address"));
    }

    @Test
    void aRedirectFromAnAllowedHostToLoopbackIsRefused() throws Exception {
        AtomicInteger inside = new AtomicInteger();
        var answer = coverOf(redirectTo(imageHost("::1", inside)));
        assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("image/svg+xml"));
        assertThat(inside).hasValue(0);
        assertThat(refusals()).anySatisfy(m -> assertThat(m).contains("a loopback address"));
    }

    @Test
    void anAllowedHostsCoverIsServedRedirectsIncluded() throws Exception {
        AtomicInteger hits = new AtomicInteger();
        var answer = coverOf(redirectTo(imageHost("127.0.0.1", hits)));
        assertThat(answer.headers().firstValue("Content-Type")).hasValue("image/png");
        assertThat(answer.body()).isEqualTo(png);
        assertThat(hits).hasValue(1);
        assertThat(refusals()).isEmpty();
    }
}
