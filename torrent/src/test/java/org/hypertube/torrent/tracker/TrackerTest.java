package org.hypertube.torrent.tracker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.hypertube.torrent.bencode.Bencode;
import org.hypertube.torrent.metainfo.InfoHash;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TrackerTest {
    private static final InfoHash HASH = InfoHash.parse("c12fe1c06bba254a9dc9f519b335aa7c1367a88a");
    private TrackerServer server;

    @BeforeEach
    void start() throws Exception {
        server = TrackerServer.start(InetAddress.getLoopbackAddress(), 0, Duration.ofSeconds(5), Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static AnnounceRequest request(int port, long left, AnnounceRequest.Event e) {
        byte[] id = ("-HT0001-" + String.format("%012d", port)).getBytes();
        return new AnnounceRequest(HASH, id, port, 0, 0, left, e, 50, port);
    }

    @Test
    void parsesCompactAndDictionaryPeersIpv4AndIpv6() throws Exception {
        byte[] body = Bencode.encode(Bencode.dict("interval", 1800, "min interval", 60, "tracker id", "abc",
                "complete", 3, "incomplete", 4,
                "peers", new byte[] {127, 0, 0, 1, 0x1a, (byte) 0xe1, 10, 0, 0, 2, 0, 80},
                "peers6", new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0x1a, (byte) 0xe2}));
        AnnounceResponse r = TrackerReplies.parseAnnounce(body);
        assertThat(r.interval()).isEqualTo(1800);
        assertThat(r.minInterval()).hasValue(60);
        assertThat(r.trackerId()).contains("abc");
        assertThat(r.seeders()).hasValue(3);
        assertThat(r.peers()).containsExactly(new InetSocketAddress("127.0.0.1", 6881), new InetSocketAddress("10.0.0.2", 80),
                new InetSocketAddress("::1", 6882));
        byte[] dict = Bencode.encode(Bencode.dict("interval", 10, "peers", Bencode.list(List.of(
                Bencode.dict("ip", "::1", "peer id", "x", "port", 5), Bencode.dict("ip", "evil.example", "port", 6),
                Bencode.dict("ip", "1.2.3.4", "port", 7)))));
        assertThat(TrackerReplies.parseAnnounce(dict).peers()).containsExactly(new InetSocketAddress("::1", 5), new InetSocketAddress("1.2.3.4", 7));
    }

    @Test
    void refusesFailuresAndMalformedReplies() {
        assertThatThrownBy(() -> TrackerReplies.parseAnnounce(Bencode.encode(Bencode.dict("failure reason", "torrent not registered"))))
                .hasMessage("tracker failure: torrent not registered");
        assertThatThrownBy(() -> TrackerReplies.parseAnnounce(Bencode.encode(Bencode.dict("interval", 5, "peers", new byte[7]))))
                .hasMessageContaining("not a multiple of 6");
        assertThatThrownBy(() -> TrackerReplies.parseAnnounce(Bencode.encode(Bencode.dict("peers", new byte[0]))))
                .hasMessageContaining("interval");
        assertThatThrownBy(() -> TrackerReplies.parseAnnounce("<html>".getBytes())).hasMessageContaining("not valid bencoding");
        assertThatThrownBy(() -> TrackerReplies.parseAnnounce(Bencode.encode(Bencode.dict("interval", 5, "peers", new byte[6 * 10_001]))))
                .hasMessageContaining("more than 10000");
    }

    @Test
    void httpAnnounceFindsOtherPeersAndScrapeCountsThem() throws Exception {
        Tracker t = Tracker.forUrl(server.announceUrl(), Duration.ofSeconds(5), Clock.systemUTC());
        AnnounceResponse first = t.announce(request(7001, 0, AnnounceRequest.Event.STARTED));
        assertThat(first.peers()).isEmpty();
        AnnounceResponse second = t.announce(request(7002, 100, AnnounceRequest.Event.STARTED));
        assertThat(second.peers()).containsExactly(new InetSocketAddress("127.0.0.1", 7001));
        assertThat(second.interval()).isEqualTo(5);
        var scrape = t.scrape(List.of(HASH));
        assertThat(scrape.get(HASH)).isEqualTo(new ScrapeResult(1, 0, 1));
        t.announce(request(7002, 0, AnnounceRequest.Event.COMPLETED));
        assertThat(t.scrape(List.of(HASH)).get(HASH)).isEqualTo(new ScrapeResult(2, 1, 0));
        t.announce(request(7001, 0, AnnounceRequest.Event.STOPPED));
        assertThat(server.peers(HASH)).containsExactly(new InetSocketAddress("127.0.0.1", 7002));
    }

    @Test
    void udpAnnounceAndScrapeOnTheSamePort() throws Exception {
        Tracker t = Tracker.forUrl(server.udpAnnounceUrl(), Duration.ofSeconds(2), Clock.systemUTC());
        t.announce(request(7101, 0, AnnounceRequest.Event.STARTED));
        AnnounceResponse r = t.announce(request(7102, 10, AnnounceRequest.Event.STARTED));
        assertThat(r.peers()).containsExactly(new InetSocketAddress("127.0.0.1", 7101));
        assertThat(r.seeders()).hasValue(1);
        assertThat(r.leechers()).hasValue(1);
        assertThat(t.scrape(List.of(HASH)).get(HASH)).isEqualTo(new ScrapeResult(1, 0, 1));
    }

    @Test
    void udpRetriesWithDoublingWaitsThenGivesUp() throws Exception {
        assertThat(UdpTracker.retryDelay(Duration.ofSeconds(15), 0)).isEqualTo(Duration.ofSeconds(15));
        assertThat(UdpTracker.retryDelay(Duration.ofSeconds(15), 3)).isEqualTo(Duration.ofSeconds(120));
        assertThat(UdpTracker.retryDelay(Duration.ofSeconds(15), 8)).isEqualTo(Duration.ofSeconds(3840));
        try (DatagramSocket silent = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            var t = new UdpTracker("udp://127.0.0.1:" + silent.getLocalPort(), Duration.ofMillis(50), Clock.systemUTC(), 2);
            assertThatThrownBy(() -> t.announce(request(1, 0, AnnounceRequest.Event.NONE))).hasMessageContaining("did not answer");
        }
    }

    @Test
    void tiersFallBackToTheNextTierAndRememberTheWorkingTracker() throws Exception {
        int deadPort;
        try (var s = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            deadPort = s.getLocalPort();
        }
        var tiers = new TrackerTiers(List.of(List.of("http://127.0.0.1:" + deadPort + "/announce"), List.of(server.announceUrl())),
                Duration.ofSeconds(2), Clock.systemUTC(), new Random(1));
        TrackerTiers.Answer a = tiers.announce(request(7201, 0, AnnounceRequest.Event.STARTED));
        assertThat(a.tracker().url()).isEqualTo(server.announceUrl());
        var none = new TrackerTiers(List.of(List.of("http://127.0.0.1:" + deadPort + "/announce")), Duration.ofSeconds(1),
                Clock.systemUTC(), new Random(1));
        assertThatThrownBy(() -> none.announce(request(1, 0, AnnounceRequest.Event.NONE))).hasMessageContaining("unreachable");
    }

    @Test
    void serverRefusesAnnouncesWithoutInfoHash() throws Exception {
        var http = java.net.http.HttpClient.newHttpClient();
        var resp = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(server.announceUrl() + "?port=5")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofByteArray());
        assertThatThrownBy(() -> TrackerReplies.parseAnnounce(resp.body())).hasMessageContaining("needs info_hash");
    }
}
