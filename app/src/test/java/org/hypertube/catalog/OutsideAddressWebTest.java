package org.hypertube.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.imageio.ImageIO;
import org.hypertube.AppTestBase;
import org.hypertube.MemberHttp;
import org.hypertube.system.OutsideFetch;
import org.hypertube.torrent.testing.StandInHttpServer;
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

    private final List<StandInHttpServer> servers = new ArrayList<>();
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
        servers.forEach(StandInHttpServer::close);
    }

    private <T extends StandInHttpServer> T track(T server) {
        servers.add(server);
        return server;
    }

    /** An image host on {@code bind} that counts what it is asked. */
    private StandInHttpServer imageHost(String bind) throws Exception {
        return track(StandInHttpServer.serving(bind, "image/png", png));
    }

    private static String cover(StandInHttpServer host) {
        return host.url("/cover-" + UUID.randomUUID() + ".png");
    }

    private String redirectTo(String location) throws Exception {
        return track(StandInHttpServer.redirecting("127.0.0.1", location)).url("/moved-" + UUID.randomUUID());
    }

    /** The cover a signed-in member's browser gets for a film whose source gave {@code coverUrl}. */
    private java.net.http.HttpResponse<byte[]> coverOf(String coverUrl) throws Exception {
        long film = catalog.popular(1).films().getFirst().getId();
        jdbc.update("update films set cover_url = ? where id = ?", coverUrl, film);
        return member().get("/films/" + film + "/cover");
    }

    private MemberHttp member;

    private MemberHttp member() throws Exception {
        if (member == null) {
            member = MemberHttp.signUp(port, uniqueName("c"), "amber-lantern-cover");
        }
        return member;
    }

    private List<String> refusals() {
        return log.list.stream().map(ILoggingEvent::getFormattedMessage).filter(m -> m.startsWith("outside fetch refused")).toList();
    }

    @Test
    void aCoverOnLoopbackIsNeverFetched() throws Exception {
        var inside = imageHost("::1");
        var answer = coverOf(cover(inside));
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("image/svg+xml"));
        assertThat(inside.hits()).isZero();
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
        var inside = imageHost("::1");
        var answer = coverOf(redirectTo(cover(inside)));
        assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("image/svg+xml"));
        assertThat(inside.hits()).isZero();
        assertThat(refusals()).anySatisfy(m -> assertThat(m).contains("a loopback address"));
    }

    @Test
    void anAllowedHostsCoverIsServedRedirectsIncluded() throws Exception {
        var allowed = imageHost("127.0.0.1");
        var answer = coverOf(redirectTo(cover(allowed)));
        assertThat(answer.headers().firstValue("Content-Type")).hasValue("image/png");
        assertThat(answer.body()).isEqualTo(png);
        assertThat(allowed.hits()).isEqualTo(1);
        assertThat(refusals()).isEmpty();
    }
}
