package org.hypertube.torrent.dht;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.hypertube.torrent.testing.ManualClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Our node against our node on loopback; each node on its own 127.0.0.x, as the table keeps one entry per IP. */
class DhtNodeTest {
    private final List<DhtNode> nodes = new ArrayList<>();

    @AfterEach
    void closeAll() {
        nodes.forEach(DhtNode::close);
    }

    private DhtNode node(int host) throws Exception {
        return node(host, Clock.systemUTC());
    }

    private DhtNode node(int host, Clock clock) throws Exception {
        return nodeAt("127.0.0." + host, clock);
    }

    /** {@code count} nodes on {@code prefix}1, {@code prefix}2, ... */
    private List<DhtNode> network(String prefix, int count) throws Exception {
        List<DhtNode> net = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            net.add(nodeAt(prefix + i, Clock.systemUTC()));
        }
        return net;
    }

    private DhtNode nodeAt(String ip, Clock clock) throws Exception {
        DhtNode n = DhtNode.builder()
                .bind(new InetSocketAddress(InetAddress.getByName(ip), 0))
                .clock(clock)
                .queryTimeout(Duration.ofMillis(500))
                .open();
        nodes.add(n);
        return n;
    }

    private static KrpcMessage.Response response(KrpcMessage m) {
        assertThat(m).isInstanceOf(KrpcMessage.Response.class);
        return (KrpcMessage.Response) m;
    }

    @Test
    void pingIsAnsweredAndTheQuerierEntersTheTableOnlyByAnsweringAPingBack() throws Exception {
        DhtNode a = node(1);
        DhtNode b = node(2);
        KrpcMessage.Response r = response(a.ping(b.localAddress()).get(2, TimeUnit.SECONDS));
        assertThat(r.sender()).isEqualTo(b.id());
        assertThat(r.ip()).contains(a.localAddress());
        assertThat(a.routingTableSize()).isEqualTo(1); // b answered our query
        waitUntil(() -> b.routingTableSize() == 1); // b pinged a back, and a answered

        // A querier that never answers stays out.
        try (DatagramSocket mute = new DatagramSocket(new InetSocketAddress("127.0.0.5", 0))) {
            byte[] q = Krpc.encode(new KrpcMessage.Ping(TransactionId.of(1), NodeId.random(new SplittableRandom(5))));
            mute.send(new DatagramPacket(q, q.length, b.localAddress()));
            mute.setSoTimeout(2000);
            assertThat(receive(mute)).isInstanceOf(KrpcMessage.Response.class);
            assertThat(receive(mute)).isInstanceOf(KrpcMessage.Ping.class); // the ping back, left unanswered
        }
        Thread.sleep(700); // b's ping back times out (500 ms here)
        assertThat(b.routingTableSize()).isEqualTo(1);
    }

    @Test
    void findNodeReturnsTheClosestNodesAndBootstrapFillsTheTable() throws Exception {
        DhtNode hub = node(1);
        List<DhtNode> others = new ArrayList<>();
        for (int i = 2; i <= 6; i++) {
            DhtNode n = node(i);
            others.add(n);
            response(hub.ping(n.localAddress()).get(2, TimeUnit.SECONDS)); // hub now knows n
        }
        assertThat(hub.routingTableSize()).isEqualTo(5);

        DhtNode newcomer = node(20);
        KrpcMessage.Response r = response(newcomer.findNode(hub.localAddress(), newcomer.id()).get(2, TimeUnit.SECONDS));
        assertThat(r.nodes()).extracting(NodeContact::id)
                .containsExactlyInAnyOrderElementsOf(others.stream().map(DhtNode::id).toList());
        assertThat(r.nodes().getFirst().id()).isEqualTo(others.stream().map(DhtNode::id)
                .min((x, y) -> newcomer.id().closer(x, y)).orElseThrow());

        int size = newcomer.bootstrap(List.of(hub.localAddress())).get(10, TimeUnit.SECONDS);
        assertThat(size).isEqualTo(6); // the hub and the five it named, all of which answered
    }

    @Test
    void announcedPeerIsReturnedByGetPeers() throws Exception {
        DhtNode a = node(1);
        DhtNode b = node(2);
        NodeId infoHash = NodeId.random(new SplittableRandom(7));

        KrpcMessage.Response first = response(a.getPeers(b.localAddress(), infoHash).get(2, TimeUnit.SECONDS));
        assertThat(first.values()).isEmpty();
        assertThat(first.token()).isPresent();

        response(a.announcePeer(b.localAddress(), infoHash, 6881, false, first.token().orElseThrow()).get(2, TimeUnit.SECONDS));
        response(a.announcePeer(b.localAddress(), infoHash, 0, true, first.token().orElseThrow()).get(2, TimeUnit.SECONDS));

        KrpcMessage.Response second = response(a.getPeers(b.localAddress(), infoHash).get(2, TimeUnit.SECONDS));
        assertThat(second.values()).containsExactlyInAnyOrder(
                new InetSocketAddress("127.0.0.1", 6881), a.localAddress()); // implied_port: the UDP source port
        assertThat(second.token()).isPresent();

        // The same lookup through the iterative search, from a third node that knows only b.
        DhtNode c = node(3);
        c.bootstrap(List.of(b.localAddress())).get(10, TimeUnit.SECONDS);
        DhtNode.LookupResult found = c.lookup(infoHash).get(10, TimeUnit.SECONDS);
        assertThat(found.peers()).contains(new InetSocketAddress("127.0.0.1", 6881));
        assertThat(found.closest()).extracting(h -> h.node().id()).contains(b.id());
    }

    @Test
    void aDhtOfOnlyOurNodesFormsThroughOneHubAndFindsAnAnnouncedPeer() throws Exception {
        List<DhtNode> net = network("127.0.1.", 24);
        DhtNode hub = net.getFirst();
        for (DhtNode n : net.subList(1, net.size())) {
            n.bootstrap(List.of(hub.localAddress())).get(10, TimeUnit.SECONDS); // the hub pings each newcomer back
        }
        for (DhtNode n : net.subList(1, net.size())) {
            n.bootstrap(List.of()).get(10, TimeUnit.SECONDS); // a second round, as refresh would, now that all are known
        }
        NodeId infoHash = NodeId.random(new SplittableRandom(21));
        DhtNode announcer = net.get(5);
        DhtNode.LookupResult first = announcer.lookup(infoHash).get(10, TimeUnit.SECONDS);
        assertThat(first.closest()).hasSizeGreaterThanOrEqualTo(RoutingTable.K);
        for (DhtNode.TokenHolder h : first.closest()) {
            response(announcer.announcePeer(h.node().address(), infoHash, 7777, false, h.token()).get(2, TimeUnit.SECONDS));
        }
        List<InetSocketAddress> early = new java.util.concurrent.CopyOnWriteArrayList<>();
        DhtNode.LookupResult found = net.get(17).lookup(infoHash, early::addAll).get(10, TimeUnit.SECONDS);
        InetSocketAddress peer = new InetSocketAddress("127.0.1.6", 7777);
        assertThat(found.peers()).containsExactly(peer);
        assertThat(early).containsExactly(peer); // handed on as it came, once
    }

    @Test
    void aLiarNamingMadeUpCloserNodesDoesNotStopALookup() throws Exception {
        List<DhtNode> honest = network("127.0.2.", 6);
        NodeId infoHash = NodeId.random(new SplittableRandom(31));
        DhtNode holder = honest.get(1);
        Token token = response(honest.get(2).getPeers(holder.localAddress(), infoHash).get(2, TimeUnit.SECONDS)).token().orElseThrow();
        response(honest.get(2).announcePeer(holder.localAddress(), infoHash, 7777, false, token).get(2, TimeUnit.SECONDS));

        // The liar answers everything with 8 nodes closer to any target than anyone: made up, silent.
        List<NodeContact> madeUp = new ArrayList<>();
        for (int i = 1; i <= 8; i++) {
            byte[] id = infoHash.bytes();
            id[NodeId.LENGTH - 1] ^= (byte) i;
            madeUp.add(new NodeContact(NodeId.of(id), new InetSocketAddress("127.0.77." + i, 6881)));
        }
        DhtNode searcher = honest.getFirst();
        try (DatagramSocket liar = new DatagramSocket(new InetSocketAddress("127.0.2.100", 0))) {
            NodeId liarId = NodeId.random(new SplittableRandom(32));
            Thread t = respond(liar, searcher, q -> new KrpcMessage.Response(q.t(), liarId, madeUp, List.of(), List.of(),
                    java.util.Optional.of(new Token(new byte[] {9, 9, 9, 9})), java.util.Optional.empty()));
            response(searcher.ping((InetSocketAddress) liar.getLocalSocketAddress()).get(2, TimeUnit.SECONDS));
            for (DhtNode n : honest.subList(1, honest.size())) {
                response(searcher.ping(n.localAddress()).get(2, TimeUnit.SECONDS));
            }
            DhtNode.LookupResult found = searcher.lookup(infoHash).get(10, TimeUnit.SECONDS);
            assertThat(found.peers()).containsExactly(new InetSocketAddress("127.0.2.3", 7777));
            assertThat(found.closest()).extracting(h -> h.node().address().getAddress().getHostAddress())
                    .doesNotContain("127.0.77.1", "127.0.77.8");
            liar.close();
            t.join(2000);
        }
    }

    @Test
    void aLookupGivenSeedsAsksThemAllAtOnceAndHandsOnPeersWithoutWaitingForASilentOne() throws Exception {
        NodeId infoHash = NodeId.random(new SplittableRandom(41));
        DhtNode holder = nodeAt("127.0.3.2", Clock.systemUTC());
        DhtNode announcer = nodeAt("127.0.3.3", Clock.systemUTC());
        Token token = response(announcer.getPeers(holder.localAddress(), infoHash).get(2, TimeUnit.SECONDS)).token().orElseThrow();
        response(announcer.announcePeer(holder.localAddress(), infoHash, 7777, false, token).get(2, TimeUnit.SECONDS));
        // A whole minute before a query counts as lost: a lookup that waited for each seed in turn would hold the peers that long.
        DhtNode searcher = DhtNode.builder().bind(new InetSocketAddress(InetAddress.getByName("127.0.3.1"), 0))
                .queryTimeout(Duration.ofMinutes(1)).open();
        nodes.add(searcher);
        try (DatagramSocket silent = new DatagramSocket(new InetSocketAddress("127.0.3.100", 0))) {
            java.util.concurrent.CompletableFuture<List<InetSocketAddress>> first = new java.util.concurrent.CompletableFuture<>();
            searcher.lookup(infoHash, List.of((InetSocketAddress) silent.getLocalSocketAddress(), holder.localAddress()), first::complete);
            assertThat(first.get(10, TimeUnit.SECONDS)).containsExactly(new InetSocketAddress("127.0.3.3", 7777));
        }
    }

    @Test
    void wrongTokenIsRefusedWith203() throws Exception {
        DhtNode a = node(1);
        DhtNode b = node(2);
        NodeId infoHash = NodeId.random(new SplittableRandom(8));
        NodeId otherHash = NodeId.random(new SplittableRandom(9));
        Token token = response(a.getPeers(b.localAddress(), infoHash).get(2, TimeUnit.SECONDS)).token().orElseThrow();

        for (Token wrong : List.of(new Token(new byte[] {1, 2, 3, 4}), token)) {
            NodeId target = wrong == token ? otherHash : infoHash; // a token is bound to its info-hash
            KrpcMessage m = a.announcePeer(b.localAddress(), target, 6881, false, wrong).get(2, TimeUnit.SECONDS);
            assertThat(m).isInstanceOfSatisfying(KrpcMessage.Error.class, e -> assertThat(e.code()).isEqualTo(203));
        }
        // A third node may not reuse a's token either: it is bound to a's address.
        DhtNode c = node(3);
        KrpcMessage m = c.announcePeer(b.localAddress(), infoHash, 6881, false, token).get(2, TimeUnit.SECONDS);
        assertThat(m).isInstanceOf(KrpcMessage.Error.class);
        assertThat(response(a.getPeers(b.localAddress(), infoHash).get(2, TimeUnit.SECONDS)).values()).isEmpty();
    }

    @Test
    void queryFloodFromOneAddressIsBounded() throws Exception {
        Clock frozen = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
        DhtNode b = node(2, frozen); // no time passes: exactly one burst (40) is answered
        try (DatagramSocket raw = new DatagramSocket(new InetSocketAddress("127.0.0.5", 0))) {
            raw.setSoTimeout(500);
            NodeId sender = NodeId.random(new SplittableRandom(1));
            for (int i = 0; i < 100; i++) {
                byte[] q = Krpc.encode(new KrpcMessage.Ping(TransactionId.of(i), sender));
                raw.send(new DatagramPacket(q, q.length, b.localAddress()));
            }
            int answers = 0;
            try {
                while (true) {
                    if (receive(raw) instanceof KrpcMessage.Response) {
                        answers++; // (b also pings the raw socket back once)
                    }
                }
            } catch (SocketTimeoutException done) {
                // counted
            }
            assertThat(answers).isEqualTo(40);
        }
        assertThat(b.rateLimitedCount()).isPositive().isLessThanOrEqualTo(60);
        // Another address is not affected.
        DhtNode a = node(1);
        response(a.ping(b.localAddress()).get(2, TimeUnit.SECONDS));
    }

    @Test
    void responsesToQueriesNeverSentAreIgnored() throws Exception {
        DhtNode a = node(1);
        DhtNode b = node(2);
        try (DatagramSocket raw = new DatagramSocket(new InetSocketAddress("127.0.0.5", 0))) {
            NodeId liar = NodeId.random(new SplittableRandom(2));
            byte[] r = Krpc.encode(new KrpcMessage.Response(TransactionId.of(77), liar));
            raw.send(new DatagramPacket(r, r.length, a.localAddress()));

            // A response with a live transaction id, but from an address the query did not go to.
            var inFlight = a.ping(b.localAddress());
            // (the id is random: the forger cannot guess it; simulate a wrong-address reply by b's id)
            byte[] forged = Krpc.encode(new KrpcMessage.Response(TransactionId.of(78), b.id()));
            raw.send(new DatagramPacket(forged, forged.length, a.localAddress()));
            response(inFlight.get(2, TimeUnit.SECONDS));
        }
        waitUntil(() -> a.unsolicitedCount() == 2);
        assertThat(a.routingTableSize()).isEqualTo(1); // b only
    }

    @Test
    void aResponseFromAnotherAddressDoesNotCompleteTheQuery() throws Exception {
        DhtNode a = node(1);
        // A silent "node": a raw socket that reads our query, then answers from a second socket.
        try (DatagramSocket silent = new DatagramSocket(new InetSocketAddress("127.0.0.6", 0));
                DatagramSocket other = new DatagramSocket(new InetSocketAddress("127.0.0.7", 0))) {
            silent.setSoTimeout(2000);
            var future = a.ping((InetSocketAddress) silent.getLocalSocketAddress());
            KrpcMessage q = receive(silent);
            byte[] r = Krpc.encode(new KrpcMessage.Response(q.t(), NodeId.random(new SplittableRandom(3))));
            other.send(new DatagramPacket(r, r.length, a.localAddress()));
            assertThatThrownBy(() -> future.get(3, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(TimeoutException.class);
        }
        assertThat(a.unsolicitedCount()).isEqualTo(1);
        assertThat(a.routingTableSize()).isZero();
    }

    @Test
    void garbageDatagramsAreIgnored() throws Exception {
        DhtNode a = node(1);
        DhtNode b = node(2);
        try (DatagramSocket raw = new DatagramSocket(new InetSocketAddress("127.0.0.5", 0))) {
            List<byte[]> garbage = List.of(
                    new byte[0],
                    "not bencode".getBytes(),
                    "d1:ti1e1:y1:qe".getBytes(), // t is not a string
                    "d1:t2:aa1:y1:q1:q4:ping1:ad2:id3:abcee".getBytes(), // id too short
                    "d1:t2:aa1:y1:re".getBytes(), // no r
                    new byte[3000],
                    "l".repeat(1000).getBytes());
            for (byte[] g : garbage) {
                raw.send(new DatagramPacket(g, g.length, b.localAddress()));
            }
        }
        waitUntil(() -> b.malformedCount() == 7);
        response(a.ping(b.localAddress()).get(2, TimeUnit.SECONDS));
        assertThat(b.closestKnown(b.id())).extracting(n -> n.address().getAddress().getHostAddress())
                .doesNotContain("127.0.0.5");
    }

    @Test
    void aNodeThatAnswersWithGarbageIsNotAdded() throws Exception {
        DhtNode a = node(1);
        try (DatagramSocket liar = new DatagramSocket(new InetSocketAddress("127.0.0.6", 0))) {
            liar.setSoTimeout(2000);
            var future = a.ping((InetSocketAddress) liar.getLocalSocketAddress());
            KrpcMessage q = receive(liar);
            byte[] t = q.t().bytes();
            // Right transaction id, but the id is 3 bytes long: it does not decode.
            byte[] r = ("d1:t" + t.length + ":" + new String(t, java.nio.charset.StandardCharsets.ISO_8859_1)
                    + "1:y1:r1:rd2:id3:abcee").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
            liar.send(new DatagramPacket(r, r.length, a.localAddress()));
            assertThatThrownBy(() -> future.get(3, TimeUnit.SECONDS)).hasCauseInstanceOf(TimeoutException.class);
        }
        assertThat(a.malformedCount()).isEqualTo(1);
        assertThat(a.routingTableSize()).isZero();
    }

    @Test
    void unknownMethodGets204AndAQueryTimesOut() throws Exception {
        DhtNode a = node(1);
        DhtNode b = node(2);
        KrpcMessage m = a.query(b.localAddress(), null, t -> new KrpcMessage.UnknownQuery(t, a.id(), "get")).get(2, TimeUnit.SECONDS);
        assertThat(m).isInstanceOfSatisfying(KrpcMessage.Error.class, e -> assertThat(e.code()).isEqualTo(204));

        try (DatagramSocket silent = new DatagramSocket(new InetSocketAddress("127.0.0.6", 0))) {
            assertThatThrownBy(() -> a.ping((InetSocketAddress) silent.getLocalSocketAddress()).get(3, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(TimeoutException.class);
        }
    }

    @Test
    void peerStoreIsBoundedAndExpires() throws Exception {
        ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
        DhtNode b = node(2, clock);
        NodeId infoHash = NodeId.random(new SplittableRandom(4));
        List<DhtNode> announcers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            announcers.add(node(10 + i));
        }
        for (DhtNode a : announcers) {
            Token token = response(a.getPeers(b.localAddress(), infoHash).get(2, TimeUnit.SECONDS)).token().orElseThrow();
            response(a.announcePeer(b.localAddress(), infoHash, 7000, false, token).get(2, TimeUnit.SECONDS));
        }
        assertThat(b.storedPeers(infoHash)).hasSize(3);
        clock.advance(DhtNode.PEER_TTL);
        assertThat(b.storedPeers(infoHash)).isEmpty();
        assertThat(b.storedPeerCount()).isZero();
    }

    @Test
    void bucketsUnchangedFor15MinutesAreRefreshedWithFindNode() throws Exception {
        ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
        DhtNode a = node(1, clock);
        List<KrpcMessage> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (DatagramSocket other = new DatagramSocket(new InetSocketAddress("127.0.0.8", 0))) {
            NodeId otherId = NodeId.random(new SplittableRandom(12));
            Thread responder = respond(other, a, q -> {
                seen.add(q);
                return new KrpcMessage.Response(q.t(), otherId);
            });
            response(a.ping((InetSocketAddress) other.getLocalSocketAddress()).get(2, TimeUnit.SECONDS));
            assertThat(a.refresh()).isZero(); // the bucket just changed
            clock.advance(Duration.ofMinutes(16));
            assertThat(a.refresh()).isEqualTo(1);
            assertThat(seen).hasSize(2).last().isInstanceOf(KrpcMessage.FindNode.class);
            other.close();
            responder.join(2000);
        }
    }

    @Test
    void nodeIdIsKeptInAFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("state/dht-id");
        NodeId first;
        try (DhtNode n = DhtNode.builder().idFile(file).open()) {
            first = n.id();
        }
        assertThat(Files.readString(file).strip()).isEqualTo(first.toString());
        try (DhtNode n = DhtNode.builder().idFile(file).open()) {
            assertThat(n.id()).isEqualTo(first);
        }
    }

    @Test
    void knownNodesAreSavedAndRejoinedAfterARestart(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("dht-nodes");
        DhtNode b = node(2);
        DhtNode c = node(3);
        InetSocketAddress at = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0);
        try (DhtNode a = DhtNode.builder().bind(at).nodesFile(file).open()) {
            response(a.ping(b.localAddress()).get(2, TimeUnit.SECONDS));
            response(a.ping(c.localAddress()).get(2, TimeUnit.SECONDS));
        }
        assertThat(Files.readAllLines(file)).containsExactlyInAnyOrder(
                "127.0.0.2:" + b.localAddress().getPort(), "127.0.0.3:" + c.localAddress().getPort());
        Files.writeString(file, "garbage\n999.1.1.1:5\n127.0.0.9:0\n", java.nio.file.StandardOpenOption.APPEND);
        try (DhtNode again = DhtNode.builder().bind(at).nodesFile(file).open()) {
            assertThat(again.bootstrap(List.of()).get(10, TimeUnit.SECONDS)).isEqualTo(2); // no bootstrap node given
        }
    }

    @Test
    void ourIdBecomesBep42sOnceThreeNodesAgreeOnOurExternalAddressAndIsKept(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("dht-id");
        InetAddress external = InetAddress.getByName("203.0.113.5");
        List<DatagramSocket> voters = new ArrayList<>();
        try (DhtNode a = DhtNode.builder().bind(new InetSocketAddress("127.0.0.1", 0)).idFile(file).open()) {
            NodeId first = a.id();
            SplittableRandom random = new SplittableRandom(7);
            for (int i = 1; i <= 4; i++) {
                DatagramSocket voter = new DatagramSocket(new InetSocketAddress("127.0.7." + i, 0));
                voters.add(voter);
                NodeId voterId = NodeId.random(random);
                // The fourth one lies about where we are; three honest votes still carry it.
                InetAddress said = i == 2 ? InetAddress.getByName("198.51.100.7") : external;
                respond(voter, a, q -> new KrpcMessage.Response(q.t(), voterId, List.of(), List.of(), List.of(),
                        java.util.Optional.empty(), java.util.Optional.of(new InetSocketAddress(said, 6881))));
            }
            for (int i = 0; i < 3; i++) {
                response(a.ping((InetSocketAddress) voters.get(i).getLocalSocketAddress()).get(2, TimeUnit.SECONDS));
            }
            // Two say 203.0.113.5, one says otherwise: nothing agreed yet.
            assertThat(a.externalAddress()).isEmpty();
            assertThat(a.id()).isEqualTo(first);
            response(a.ping((InetSocketAddress) voters.get(3).getLocalSocketAddress()).get(2, TimeUnit.SECONDS));
            assertThat(a.externalAddress()).contains(external);
            assertThat(a.id()).isNotEqualTo(first);
            assertThat(a.id().derivedFrom(external)).isTrue();
            assertThat(a.routingTableSize()).isEqualTo(4); // the table was laid out again around the new id, not emptied
            assertThat(Files.readString(file).strip()).isEqualTo(a.id().toString());
            // A node that answers us now sees the new id.
            DhtNode b = node(9);
            assertThat(response(b.ping(a.localAddress()).get(2, TimeUnit.SECONDS)).sender()).isEqualTo(a.id());
        } finally {
            voters.forEach(DatagramSocket::close);
        }
        try (DhtNode again = DhtNode.builder().idFile(file).open()) {
            assertThat(again.id().derivedFrom(external)).isTrue(); // kept across a restart
        }
    }

    @Test
    void votersFlippingOurAgreedAddressChangeTheIdOnlyOnceARun(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("dht-id");
        InetAddress first = InetAddress.getByName("203.0.113.5");
        InetAddress second = InetAddress.getByName("198.51.100.9");
        try (DhtNode a = DhtNode.builder().bind(new InetSocketAddress("127.0.0.1", 0)).idFile(file).open()) {
            for (int i = 1; i <= 3; i++) {
                a.externalAddressSeen(InetAddress.getByName("127.0.9." + i), first);
            }
            NodeId changed = a.id();
            assertThat(changed.derivedFrom(first)).isTrue();
            // The same voters (and one more) now all say otherwise, then back: the address follows, the id does not.
            for (int i = 1; i <= 4; i++) {
                a.externalAddressSeen(InetAddress.getByName("127.0.9." + i), second);
            }
            assertThat(a.externalAddress()).contains(second);
            for (int i = 1; i <= 4; i++) {
                a.externalAddressSeen(InetAddress.getByName("127.0.9." + i), first);
            }
            assertThat(a.id()).isEqualTo(changed);
            assertThat(Files.readString(file).strip()).isEqualTo(changed.toString());
        }
    }

    @Test
    void aFixedIdOrAPrivateExternalAddressKeepsTheId() throws Exception {
        NodeId fixed = NodeId.ofHex("00112233445566778899aabbccddeeff00112233");
        try (DhtNode a = DhtNode.builder().bind(new InetSocketAddress("127.0.0.1", 0)).id(fixed).open();
                DhtNode b = DhtNode.builder().bind(new InetSocketAddress("127.0.0.2", 0)).open()) {
            for (int i = 1; i <= 3; i++) {
                a.externalAddressSeen(InetAddress.getByName("127.0.8." + i), InetAddress.getByName("203.0.113.5"));
                b.externalAddressSeen(InetAddress.getByName("127.0.8." + i), InetAddress.getByName("192.168.1.20"));
            }
            NodeId bFirst = b.id();
            assertThat(a.externalAddress()).contains(InetAddress.getByName("203.0.113.5"));
            assertThat(a.id()).isEqualTo(fixed);
            assertThat(b.externalAddress()).contains(InetAddress.getByName("192.168.1.20"));
            assertThat(b.id()).isEqualTo(bFirst); // BEP 42 exempts private addresses
        }
    }

    @Test
    void aPeersPortMessagePingsItsNodeWhichEntersTheTableButNeverUsOrANodeWeKnow() throws Exception {
        DhtNode a = node(1);
        DhtNode b = node(2);
        assertThat(a.peerPort(b.localAddress())).isTrue();
        waitUntil(() -> a.routingTableSize() == 1);
        assertThat(a.peerPort(b.localAddress())).isFalse(); // known now
        assertThat(a.peerPort(a.localAddress())).isFalse(); // ourselves
        assertThat(a.peerPort(new InetSocketAddress("127.0.0.3", 0))).isFalse();
        assertThat(a.peerPort(new InetSocketAddress("::1", 6881))).isFalse();
    }

    @Test
    void portMessagePingsAreRateLimited() throws Exception {
        ManualClock clock = new ManualClock();
        DhtNode a = node(1, clock);
        int sent = 0;
        for (int i = 1; i <= DhtNode.PORT_PING_BURST + 10; i++) {
            sent += a.peerPort(new InetSocketAddress("127.0.9." + i, 9)) ? 1 : 0;
        }
        assertThat(sent).isEqualTo(DhtNode.PORT_PING_BURST);
        assertThat(a.peerPort(new InetSocketAddress("127.0.10.1", 9))).isFalse();
        clock.advance(Duration.ofSeconds(1));
        sent = 0;
        for (int i = 1; i <= 5; i++) {
            sent += a.peerPort(new InetSocketAddress("127.0.10." + i, 9)) ? 1 : 0;
        }
        assertThat(sent).isEqualTo(DhtNode.PORT_PINGS_PER_SECOND);
        // One address is pinged once, however often peers name it.
        clock.advance(Duration.ofMinutes(1));
        assertThat(a.peerPort(new InetSocketAddress("127.0.9.1", 9))).isFalse();
    }

    @Test
    void bootstrapResolvesAHostNameWhenItRuns() throws Exception {
        DhtNode hub = node(1);
        DhtNode a = node(4);
        List<InetSocketAddress> seeds = List.of(InetSocketAddress.createUnresolved("localhost", hub.localAddress().getPort()));
        assertThat(a.bootstrap(seeds).get(10, TimeUnit.SECONDS)).isEqualTo(1);
        assertThat(a.resolve(List.of(InetSocketAddress.createUnresolved("localhost", 7), new InetSocketAddress("127.0.0.3", 7))))
                .containsExactly(new InetSocketAddress("127.0.0.1", 7), new InetSocketAddress("127.0.0.3", 7));
    }

    /** A raw KRPC "node" on {@code socket}: answers every datagram to {@code node} with {@code answer}, until closed. */
    private static Thread respond(DatagramSocket socket, DhtNode node, java.util.function.Function<KrpcMessage, KrpcMessage> answer) {
        return Thread.ofVirtual().start(() -> {
            while (!socket.isClosed()) {
                try {
                    byte[] r = Krpc.encode(answer.apply(receive(socket)));
                    socket.send(new DatagramPacket(r, r.length, node.localAddress()));
                } catch (Exception e) {
                    // closed, or not KRPC
                }
            }
        });
    }

    private static KrpcMessage receive(DatagramSocket socket) throws Exception {
        byte[] buf = new byte[2048];
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        socket.receive(p);
        return Krpc.decode(java.util.Arrays.copyOf(p.getData(), p.getLength()));
    }

    private static void waitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met in 3 s");
            }
            Thread.sleep(10);
        }
    }
}
