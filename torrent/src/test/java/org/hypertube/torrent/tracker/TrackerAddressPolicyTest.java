package org.hypertube.torrent.tracker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import org.hypertube.torrent.InfoHash;
import org.hypertube.torrent.OutsideAddressPolicy;
import org.hypertube.torrent.bencode.Bencode;
import org.hypertube.torrent.testing.StandInHttpServer;
import org.junit.jupiter.api.Test;

/**
 * Tracker URLs come from torrents: by default neither an HTTP nor a UDP tracker on an inside address
 * is contacted, nor a redirect that leads to one; the operator's setting allows them.
 */
class TrackerAddressPolicyTest {
    private static final InfoHash HASH = InfoHash.parse("c12fe1c06bba254a9dc9f519b335aa7c1367a88a");
    private static final OutsideAddressPolicy STRICT = OutsideAddressPolicy.outsideOnly();
    private static final byte[] NO_PEERS = Bencode.encode(Bencode.dict("interval", 1800, "peers", new byte[0]));

    private static AnnounceRequest request() {
        return new AnnounceRequest(HASH, "-HT0001-000000000001".getBytes(), 6881, 0, 0, 100, AnnounceRequest.Event.STARTED, 50, 1);
    }

    @Test
    void httpTrackerOnLoopbackIsRefusedUnlessAllowed() throws Exception {
        try (var tracker = StandInHttpServer.serving("127.0.0.1", null, NO_PEERS)) {
            String url = tracker.url("/announce");
            assertThatThrownBy(() -> Tracker.forUrl(url, Duration.ofSeconds(5), Clock.systemUTC(), STRICT).announce(request()))
                    .isInstanceOf(TrackerException.class)
                    .hasMessageContaining("tracker refused, an inside address")
                    .hasMessageContaining("127.0.0.1, a loopback address");
            assertThat(tracker.hits()).isZero();

            Tracker.forUrl(url, Duration.ofSeconds(5), Clock.systemUTC(), OutsideAddressPolicy.of(true)).announce(request());
            assertThat(tracker.hits()).isEqualTo(1);
        }
    }

    @Test
    void udpTrackerOnLoopbackIsRefused() throws Exception {
        try (TrackerServer server = TrackerServer.start(InetAddress.getLoopbackAddress(), 0, Duration.ofSeconds(5), Clock.systemUTC())) {
            assertThatThrownBy(() -> Tracker.forUrl(server.udpAnnounceUrl(), Duration.ofSeconds(2), Clock.systemUTC(), STRICT)
                    .announce(request()))
                    .hasMessageContaining("tracker refused, an inside address")
                    .hasMessageContaining("a loopback address");
            assertThatThrownBy(() -> Tracker.forUrl(server.udpAnnounceUrl(), Duration.ofSeconds(2), Clock.systemUTC(), STRICT)
                    .scrape(java.util.List.of(HASH)))
                    .hasMessageContaining("a loopback address");
        }
    }

    @Test
    void aRefusedTrackerBeforeAWorkingOneIsReportedWithTheAnswer() throws Exception {
        OutsideAddressPolicy trustingOne = STRICT.trusting(InetAddress.getByName("127.0.0.1"));
        try (TrackerServer server = TrackerServer.start(InetAddress.getByName("127.0.0.1"), 0, Duration.ofSeconds(5), Clock.systemUTC());
             var inside = StandInHttpServer.serving("127.0.0.2", null, NO_PEERS)) {
            String refused = inside.url("/announce");
            var tiers = new TrackerTiers(java.util.List.of(java.util.List.of(refused), java.util.List.of(server.announceUrl())),
                    Duration.ofSeconds(5), Clock.systemUTC(), new java.util.Random(1), trustingOne);
            TrackerTiers.Answer answer = tiers.announce(request());
            assertThat(answer.tracker().url()).isEqualTo(server.announceUrl());
            assertThat(answer.failedBefore()).singleElement().satisfies(f -> {
                assertThat(f.url()).isEqualTo(refused);
                assertThat(f.reason()).contains("tracker refused, an inside address").contains("127.0.0.2");
            });
            assertThat(inside.hits()).isZero();
        }
    }

    @Test
    void cloudMetadataAddressIsRefusedBeforeAnyConnection() {
        assertThatThrownBy(() -> Tracker.forUrl("http://169.254.169.254/announce", Duration.ofSeconds(30), Clock.systemUTC(), STRICT)
                .announce(request()))
                .hasMessageContaining("169.254.169.254, a link-local address");
        assertThatThrownBy(() -> Tracker.forUrl("udp://169.254.169.254:80", Duration.ofSeconds(30), Clock.systemUTC(), STRICT)
                .announce(request()))
                .hasMessageContaining("169.254.169.254, a link-local address");
    }

    @Test
    void redirectFromAnAllowedTrackerToLoopbackIsRefused() throws Exception {
        try (var inside = StandInHttpServer.serving("::1", null, NO_PEERS);
             var allowed = StandInHttpServer.redirecting("127.0.0.1", inside.url("/announce"))) {
            // The stand-in at 127.0.0.1 plays a public tracker; its redirect to ::1 must still be checked.
            OutsideAddressPolicy policy = STRICT.trusting(InetAddress.getByName("127.0.0.1"));
            String url = allowed.url("/announce");
            assertThatThrownBy(() -> Tracker.forUrl(url, Duration.ofSeconds(5), Clock.systemUTC(), policy).announce(request()))
                    .hasMessageContaining("0:0:0:0:0:0:0:1, a loopback address");
            assertThat(inside.hits()).isZero();

            AnnounceResponse r = Tracker.forUrl(url, Duration.ofSeconds(5), Clock.systemUTC(), OutsideAddressPolicy.of(true))
                    .announce(request());
            assertThat(r.interval()).isEqualTo(1800);
            assertThat(inside.hits()).isEqualTo(1);
        }
    }

    @Test
    void anOversizedReplyIsRefused() throws Exception {
        HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        s.createContext("/", ex -> {
            ex.sendResponseHeaders(200, 0); // chunked, no length announced
            byte[] block = "x".repeat(64 * 1024).getBytes(StandardCharsets.US_ASCII);
            try (var out = ex.getResponseBody()) {
                for (int i = 0; i < 40; i++) {
                    out.write(block);
                }
            } catch (java.io.IOException closedByClient) {
                // the client stopped reading at the bound
            }
        });
        s.start();
        try {
            String url = "http://127.0.0.1:" + s.getAddress().getPort() + "/announce";
            assertThatThrownBy(() -> Tracker.forUrl(url, Duration.ofSeconds(5), Clock.systemUTC(), OutsideAddressPolicy.of(true))
                    .announce(request()))
                    .hasMessageContaining("longer than " + TrackerReplies.MAX_REPLY);
        } finally {
            s.stop(0);
        }
    }
}
