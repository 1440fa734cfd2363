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
import org.hypertube.torrent.OutsideAddressPolicy;
import org.hypertube.torrent.bencode.Bencode;
import org.hypertube.torrent.InfoHash;
import org.hypertube.torrent.testing.ManualClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TrackerTest {
    /** The tests' trackers are on loopback, which the engine refuses unless allowed. */
    private static final OutsideAddressPolicy LOCAL = OutsideAddressPolicy.of(true);
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
        Tracker t = Tracker.forUrl(server.announceUrl(), Duration.ofSeconds(5), Clock.systemUTC(), LOCAL);
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
        Tracker t = Tracker.forUrl(server.udpAnnounceUrl(), Duration.ofSeconds(2), Clock.systemUTC(), LOCAL);
        t.announce(request(7101, 0, AnnounceRequest.Event.STARTED));
        AnnounceResponse r = t.announce(request(7102, 10, AnnounceRequest.Event.STARTED));
        assertThat(r.peers()).containsExactly(new InetSocketAddress("127.0.0.1", 7101));
        assertThat(r.seeders()).hasValue(1);
        assertThat(r.leechers()).hasValue(1);
        assertThat(t.scrape(List.of(HASH)).get(HASH)).isEqualTo(new ScrapeResult(1, 0, 1));
    }

    @Test
    void udpRetryWaitsFollowBep15() {
        // 15·2^n seconds, n = 0..8: 15, 30, 60, 120, 240, 480, 960, 1920, 3840.
        long[] expected = {15, 30, 60, 120, 240, 480, 960, 1920, 3840};
        for (int n = 0; n < expected.length; n++) {
            assertThat(UdpTracker.retryDelay(Duration.ofSeconds(15), n)).isEqualTo(Duration.ofSeconds(expected[n]));
        }
        assertThat(UdpTracker.retryDelay(Duration.ofSeconds(15), 9)).isEqualTo(Duration.ofSeconds(3840));
        assertThat(UdpTracker.SPEC_TRIES).isEqualTo(9);
    }

    @Test
    void udpSilentTrackerIsTriedNineTimesWithDoublingWaits() throws Exception {
        try (DatagramSocket silent = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            long base = 4;
            var t = new UdpTracker("udp://127.0.0.1:" + silent.getLocalPort(), Duration.ofMillis(base), Clock.systemUTC(), LOCAL);
            List<Long> arrivals = new java.util.concurrent.CopyOnWriteArrayList<>();
            Thread listener = Thread.ofPlatform().start(() -> {
                byte[] buf = new byte[200];
                try {
                    while (true) {
                        silent.receive(new java.net.DatagramPacket(buf, buf.length));
                        arrivals.add(System.nanoTime());
                    }
                } catch (java.io.IOException e) {
                    // closed
                }
            });
            long start = System.nanoTime();
            assertThatThrownBy(() -> t.announce(request(1, 0, AnnounceRequest.Event.NONE)))
                    .hasMessageContaining("did not answer after 9 tries");
            long total = (System.nanoTime() - start) / 1_000_000;
            silent.close();
            listener.join();
            // Every try is a connect (no connection id yet); try n waits base·2^n before the next, so
            // try k goes out base·(2^k - 1) after the first at the earliest (timers never fire early).
            assertThat(arrivals).hasSize(9);
            for (int k = 1; k < 9; k++) {
                long since = (arrivals.get(k) - start) / 1_000_000;
                // (1 ms of slack per try for the millisecond clock of socket time-outs)
                assertThat(since).as("try %d", k).isGreaterThanOrEqualTo(base * ((1L << k) - 1) - k);
            }
            // ... and the waits double: the last one is half of the whole.
            long last = (arrivals.get(8) - arrivals.get(7)) / 1_000_000;
            assertThat(last).isGreaterThanOrEqualTo(base * 128 - 20);
            assertThat(total).isGreaterThanOrEqualTo(base * 511).isLessThan(base * 511 + 3_000);
        }
    }

    @Test
    void udpSessionTiersStopAfterThreeTries() throws Exception {
        try (DatagramSocket silent = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            var tiers = new TrackerTiers(List.of(List.of("udp://127.0.0.1:" + silent.getLocalPort())), Duration.ofMillis(20),
                    Clock.systemUTC(), new Random(1), LOCAL);
            assertThatThrownBy(() -> tiers.announce(request(1, 0, AnnounceRequest.Event.NONE))).hasMessageContaining("after 3 tries");
        }
    }

    /** A scripted UDP tracker: answers connects, drops the announces it is told to, counts both. */
    private static final class ScriptedUdpTracker implements AutoCloseable {
        final DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        final java.util.concurrent.atomic.AtomicInteger connects = new java.util.concurrent.atomic.AtomicInteger();
        final java.util.concurrent.atomic.AtomicInteger announces = new java.util.concurrent.atomic.AtomicInteger();
        final List<Long> announceConnectionIds = new java.util.concurrent.CopyOnWriteArrayList<>();
        volatile int dropAnnounces;
        volatile Runnable onDroppedAnnounce = () -> { };
        private final Thread thread;

        ScriptedUdpTracker() throws Exception {
            thread = Thread.ofPlatform().daemon().start(this::serve);
        }

        private void serve() {
            byte[] buf = new byte[2048];
            long nextId = 1000;
            try {
                while (true) {
                    var p = new java.net.DatagramPacket(buf, buf.length);
                    socket.receive(p);
                    var in = java.nio.ByteBuffer.wrap(buf, 0, p.getLength());
                    long cid = in.getLong(0);
                    int action = in.getInt(8);
                    int tx = in.getInt(12);
                    java.nio.ByteBuffer out;
                    if (action == 0) {
                        connects.incrementAndGet();
                        out = java.nio.ByteBuffer.allocate(16).putInt(0).putInt(tx).putLong(nextId++);
                    } else if (action == 2) {
                        out = java.nio.ByteBuffer.allocate(20).putInt(2).putInt(tx).putInt(1).putInt(2).putInt(3);
                    } else {
                        announces.incrementAndGet();
                        announceConnectionIds.add(cid);
                        if (dropAnnounces > 0) {
                            dropAnnounces--;
                            onDroppedAnnounce.run();
                            continue;
                        }
                        out = java.nio.ByteBuffer.allocate(20).putInt(1).putInt(tx).putInt(60).putInt(0).putInt(0);
                    }
                    socket.send(new java.net.DatagramPacket(out.array(), out.position(), p.getSocketAddress()));
                }
            } catch (java.io.IOException e) {
                // closed
            }
        }

        String url() {
            return "udp://127.0.0.1:" + socket.getLocalPort();
        }

        @Override
        public void close() {
            socket.close();
        }
    }

    @Test
    void udpConnectionIdIsReusedForSixtySeconds() throws Exception {
        ManualClock clock = new ManualClock();
        try (ScriptedUdpTracker fake = new ScriptedUdpTracker()) {
            var t = new UdpTracker(fake.url(), Duration.ofSeconds(2), clock, LOCAL);
            t.announce(request(1, 0, AnnounceRequest.Event.STARTED));
            clock.now = clock.now.plusSeconds(59);
            t.announce(request(1, 0, AnnounceRequest.Event.NONE));
            t.scrape(List.of(HASH));
            assertThat(fake.connects.get()).isEqualTo(1);
            clock.now = clock.now.plusSeconds(1);
            t.announce(request(1, 0, AnnounceRequest.Event.NONE));
            assertThat(fake.connects.get()).isEqualTo(2);
            assertThat(fake.announceConnectionIds).containsExactly(1000L, 1000L, 1001L);
        }
    }

    @Test
    void udpAnnounceRetriedAfterTheConnectionIdExpiredAsksForANewOneFirst() throws Exception {
        ManualClock clock = new ManualClock();
        try (ScriptedUdpTracker fake = new ScriptedUdpTracker()) {
            var t = new UdpTracker(fake.url(), Duration.ofMillis(300), clock, LOCAL);
            // The first announce is lost, and a minute passes before the retry: the id must be renewed.
            fake.dropAnnounces = 1;
            fake.onDroppedAnnounce = () -> clock.now = clock.now.plusSeconds(61);
            AnnounceResponse r = t.announce(request(1, 0, AnnounceRequest.Event.STARTED));
            assertThat(r.interval()).isEqualTo(60);
            assertThat(fake.connects.get()).isEqualTo(2);
            assertThat(fake.announceConnectionIds).containsExactly(1000L, 1001L);
            // A lost announce within the minute is retried with the same id, without connecting again.
            fake.dropAnnounces = 1;
            fake.onDroppedAnnounce = () -> { };
            t.announce(request(1, 0, AnnounceRequest.Event.NONE));
            assertThat(fake.connects.get()).isEqualTo(2);
            assertThat(fake.announceConnectionIds).containsExactly(1000L, 1001L, 1001L, 1001L);
        }
    }

    @Test
    void tiersFallBackToTheNextTierAndRememberTheWorkingTracker() throws Exception {
        int deadPort;
        try (var s = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            deadPort = s.getLocalPort();
        }
        var tiers = new TrackerTiers(List.of(List.of("http://127.0.0.1:" + deadPort + "/announce"), List.of(server.announceUrl())),
                Duration.ofSeconds(2), Clock.systemUTC(), new Random(1), LOCAL);
        TrackerTiers.Answer a = tiers.announce(request(7201, 0, AnnounceRequest.Event.STARTED));
        assertThat(a.tracker().url()).isEqualTo(server.announceUrl());
        var none = new TrackerTiers(List.of(List.of("http://127.0.0.1:" + deadPort + "/announce")), Duration.ofSeconds(1),
                Clock.systemUTC(), new Random(1), LOCAL);
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
