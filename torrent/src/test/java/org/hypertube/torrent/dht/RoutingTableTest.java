package org.hypertube.torrent.dht;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.hypertube.torrent.dht.RoutingTable.Added;
import org.hypertube.torrent.dht.RoutingTable.PingFirst;
import org.hypertube.torrent.dht.RoutingTable.Refreshed;
import org.hypertube.torrent.dht.RoutingTable.Refused;
import org.hypertube.torrent.dht.RoutingTable.Replaced;
import org.hypertube.torrent.dht.RoutingTable.Status;
import org.hypertube.torrent.testing.ManualClock;
import org.junit.jupiter.api.Test;

class RoutingTableTest {
    private static final NodeId OWN = NodeId.ofHex("0000000000000000000000000000000000000000");
    private final ManualClock clock = new ManualClock();
    private final RoutingTable table = new RoutingTable(OWN, clock, new Random(1));
    private int nextAddress = 1;

    @Test
    void bucketsSplitOnlyOnOurSideAndAFullFarBucketTurnsNewcomersAway() {
        List<NodeContact> far = new ArrayList<>();
        for (int i = 0; i < RoutingTable.K; i++) {
            far.add(node(0, i));
            assertThat(table.responded(far.getLast())).isEqualTo(new Added());
        }
        assertThat(table.bucketCount()).isEqualTo(1);
        // A ninth far node splits the only bucket; the far half stays full of good nodes.
        assertThat(table.responded(node(0, 100))).isEqualTo(new Refused("bucket full of good nodes"));
        assertThat(table.bucketCount()).isEqualTo(2);
        assertThat(table.bucket(0)).containsExactlyInAnyOrderElementsOf(far);
        // Nodes nearer to us keep being taken, the table splitting again as our side fills.
        for (int depth = 1; depth <= 3; depth++) {
            for (int i = 0; i < RoutingTable.K; i++) {
                assertThat(table.responded(node(depth, i))).isEqualTo(new Added());
            }
        }
        assertThat(table.size()).isEqualTo(4 * RoutingTable.K);
        assertThat(table.bucketCount()).isEqualTo(4);
        for (int depth = 0; depth < 3; depth++) {
            int d = depth;
            assertThat(table.bucket(depth)).hasSize(RoutingTable.K).allMatch(n -> OWN.commonPrefixLength(n.id()) == d);
        }
        assertThat(table.responded(node(1, 100))).isInstanceOf(Refused.class);
        assertThat(table.size()).isEqualTo(4 * RoutingTable.K);
    }

    @Test
    void reseatingAroundANewIdKeepsTheNodesAndTheirTimesAndTheNewestWhereABucketOverflows() {
        for (int depth = 0; depth <= 1; depth++) {
            for (int i = 0; i < RoutingTable.K; i++) {
                assertThat(table.responded(node(depth, i))).isEqualTo(new Added());
            }
        }
        clock.advance(Duration.ofMinutes(10));
        List<NodeContact> newest = new ArrayList<>();
        for (int i = 0; i < RoutingTable.K; i++) {
            newest.add(node(2, i));
            assertThat(table.responded(newest.getLast())).isEqualTo(new Added());
        }
        NodeId newOwn = idAt(0, 0x55); // the depth-0 nodes are its neighbours; the 16 others now share one far bucket
        table.reseat(newOwn);
        assertThat(table.own()).isEqualTo(newOwn);
        assertThat(table.bucket(0)).containsExactlyInAnyOrderElementsOf(newest);
        assertThat(table.size()).isEqualTo(2 * RoutingTable.K);
        assertThat(table.closest(newOwn, RoutingTable.K)).allMatch(n -> n.id().bit(0));
        clock.advance(Duration.ofMinutes(6));
        assertThat(table.status(node(0, 1))).isEqualTo(Status.QUESTIONABLE); // heard 16 minutes ago, as before
        assertThat(table.status(node(2, 1))).isEqualTo(Status.GOOD);
    }

    @Test
    void nodesAreGoodForFifteenMinutesKeptGoodByTheirQueriesAndBadAfterThreeFailures() {
        NodeContact n = node(0, 1);
        table.responded(n);
        clock.advance(Duration.ofMinutes(14));
        assertThat(table.status(n)).isEqualTo(Status.GOOD);
        clock.advance(Duration.ofMinutes(2));
        assertThat(table.status(n)).isEqualTo(Status.QUESTIONABLE);
        table.queried(n); // it answered once, and queries us now: good again
        assertThat(table.status(n)).isEqualTo(Status.GOOD);
        clock.advance(Duration.ofMinutes(16));
        assertThat(table.status(n)).isEqualTo(Status.QUESTIONABLE);
        table.failed(n);
        table.failed(n);
        assertThat(table.status(n)).isEqualTo(Status.QUESTIONABLE);
        table.failed(n);
        assertThat(table.status(n)).isEqualTo(Status.BAD);
        assertThat(table.closest(OWN, 8)).isEmpty();
        assertThat(table.responded(n)).isEqualTo(new Refreshed()); // an answer wipes the failures
        assertThat(table.status(n)).isEqualTo(Status.GOOD);
    }

    @Test
    void aFullBucketTakesANewcomerInPlaceOfABadNodeAtOnce() {
        List<NodeContact> far = fillFarBucket();
        for (int i = 0; i < RoutingTable.BAD_AFTER_FAILURES; i++) {
            table.failed(far.get(3));
        }
        NodeContact newcomer = node(0, 50);
        assertThat(table.responded(newcomer)).isEqualTo(new Replaced(far.get(3)));
        assertThat(table.bucket(0)).contains(newcomer).doesNotContain(far.get(3));
    }

    @Test
    void questionableNodesArePingedFirstAndOnlyOneThatFailsMakesRoom() {
        List<NodeContact> far = fillFarBucket();
        clock.advance(Duration.ofMinutes(10));
        table.responded(far.get(0)); // answered lately: stays good
        clock.advance(Duration.ofMinutes(6));
        NodeContact newcomer = node(0, 50);
        var ping = (PingFirst) table.responded(newcomer);
        assertThat(ping.questionable()).hasSize(RoutingTable.K - 1).doesNotContain(far.get(0));
        assertThat(table.bucket(0)).doesNotContain(newcomer);
        // A second newcomer waits too; the pings are already out.
        assertThat(table.responded(node(0, 51))).isEqualTo(new PingFirst(List.of()));
        // The pinged nodes answer, except far[5]: the newest waiting node takes its place.
        for (NodeContact n : ping.questionable()) {
            if (n.equals(far.get(5))) {
                table.failed(n);
            } else {
                assertThat(table.responded(n)).isEqualTo(new Refreshed());
            }
        }
        assertThat(table.bucket(0)).doesNotContain(far.get(5)).contains(node(0, 51)).hasSize(RoutingTable.K);
        // Everyone is good again: the next newcomer is turned away.
        assertThat(table.responded(node(0, 52))).isEqualTo(new Refused("bucket full of good nodes"));
    }

    @Test
    void oneEntryPerAddressAndNoEntryFromUnsolicitedQueries() throws Exception {
        NodeContact n = node(0, 1);
        table.responded(n);
        // Another id from the same IP (another port too): both are out.
        NodeContact sameIp = new NodeContact(idAt(0, 2), new InetSocketAddress(n.address().getAddress(), 7000));
        assertThat(table.responded(sameIp)).isInstanceOf(Refused.class);
        assertThat(table.size()).isZero();
        table.responded(n);
        // The same id from another address is refused; the first stays.
        assertThat(table.responded(new NodeContact(n.id(), address()))).isInstanceOf(Refused.class);
        assertThat(table.bucket(0)).containsExactly(n);
        // Queries never add a node, and ours is never taken.
        table.queried(node(0, 9));
        assertThat(table.size()).isEqualTo(1);
        assertThat(table.responded(new NodeContact(OWN, address()))).isEqualTo(new Refused("our own id"));
        // A node behind a NAT that changed its port is the same node.
        NodeContact moved = new NodeContact(n.id(), new InetSocketAddress(n.address().getAddress(), 9999));
        assertThat(table.responded(moved)).isEqualTo(new Refreshed());
        assertThat(table.bucket(0)).containsExactly(moved);
    }

    @Test
    void bucketsUnchangedForFifteenMinutesAreRefreshedWithAnIdInTheirRange() {
        fillFarBucket();
        for (int i = 0; i < RoutingTable.K; i++) {
            table.responded(node(1, i));
        }
        table.responded(node(2, 0)); // splits: buckets 0, 1 and the last (2 or more)
        assertThat(table.bucketCount()).isEqualTo(3);
        assertThat(table.refreshTargets()).isEmpty();
        clock.advance(Duration.ofMinutes(10));
        table.responded(node(1, 0)); // bucket 1 changes
        clock.advance(Duration.ofMinutes(5));
        List<NodeId> targets = table.refreshTargets();
        assertThat(targets).hasSize(2);
        assertThat(OWN.commonPrefixLength(targets.get(0))).isEqualTo(0);
        assertThat(OWN.commonPrefixLength(targets.get(1))).isGreaterThanOrEqualTo(2);
        assertThat(table.refreshTargets()).isEmpty(); // named once per 15 minutes
        clock.advance(Duration.ofMinutes(10));
        assertThat(table.refreshTargets()).hasSize(1).allMatch(t -> OWN.commonPrefixLength(t) == 1);
    }

    @Test
    void closestReturnsTheKNearestKnownNodesByXorDistance() {
        Random random = new Random(5);
        RoutingTable t = new RoutingTable(NodeId.random(random), clock, random);
        for (int i = 0; i < 500; i++) {
            t.responded(new NodeContact(NodeId.random(random), address()));
        }
        List<NodeContact> all = new ArrayList<>();
        for (int i = 0; i < t.bucketCount(); i++) {
            all.addAll(t.bucket(i));
        }
        assertThat(all).hasSize(t.size());
        for (int round = 0; round < 20; round++) {
            NodeId target = NodeId.random(random);
            List<NodeContact> expected = all.stream()
                    .sorted(Comparator.comparing(n -> n.id().distance(target)))
                    .limit(RoutingTable.K)
                    .toList();
            assertThat(t.closest(target, RoutingTable.K)).containsExactlyElementsOf(expected);
        }
        // Our own neighbourhood is the best known: the table splits only there.
        assertThat(t.bucketCount()).isGreaterThan(5);
        assertThat(t.closest(t.own(), RoutingTable.K)).hasSize(RoutingTable.K);
    }

    private List<NodeContact> fillFarBucket() {
        List<NodeContact> far = new ArrayList<>();
        for (int i = 0; i < RoutingTable.K; i++) {
            far.add(node(0, i));
            table.responded(far.getLast());
        }
        return far;
    }

    /** The i-th node sharing exactly {@code depth} leading bits with our id; the same (depth, i) is the same node. */
    private final java.util.Map<NodeId, NodeContact> nodes = new java.util.HashMap<>();

    private NodeContact node(int depth, int i) {
        return nodes.computeIfAbsent(idAt(depth, i), id -> new NodeContact(id, address()));
    }

    private static NodeId idAt(int depth, int i) {
        byte[] b = new byte[20];
        b[depth / 8] |= (byte) (0x80 >>> (depth % 8));
        b[19] = (byte) i;
        b[18] = (byte) (i >>> 8);
        return NodeId.of(b);
    }

    private InetSocketAddress address() {
        int a = nextAddress++;
        try {
            return new InetSocketAddress(InetAddress.getByAddress(new byte[] {1, 2, (byte) (a >>> 8), (byte) a}), 6881);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
