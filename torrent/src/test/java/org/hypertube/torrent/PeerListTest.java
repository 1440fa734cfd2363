package org.hypertube.torrent;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** Whom a torrent dials and when, on a manual clock (the {@code now} arguments, in ms). */
class PeerListTest {
    private static final long T = 1_000_000;
    private static final Predicate<InetSocketAddress> NONE = a -> false;

    private final PeerList list = new PeerList();

    private static InetSocketAddress addr(int i) {
        try {
            return new InetSocketAddress(InetAddress.getByAddress(new byte[] {10, 0, (byte) (i >> 8), (byte) i}), 6881);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private List<InetSocketAddress> dial(long now) {
        return list.toDial(100, now, false, NONE, NONE);
    }

    /** The earliest time from {@code from} on, in whole seconds, at which {@code a} is dialled. */
    private long nextDial(InetSocketAddress a, long from) {
        for (long t = from; t <= from + 3_600_000; t += 1_000) {
            if (dial(t).contains(a)) {
                return t;
            }
        }
        return -1;
    }

    @Test
    void anOfferedPeerIsDialledOnceUntilTheAttemptEnds() {
        assertThat(list.offer(List.of(addr(1), addr(2)), "tracker")).isEqualTo(2);
        assertThat(list.offer(List.of(addr(1)), "pex")).as("known already").isZero();
        assertThat(list.source(addr(1))).isEqualTo("tracker");
        assertThat(list.toDial(1, T, false, NONE, NONE)).containsExactly(addr(1));
        assertThat(dial(T)).containsExactly(addr(2));
        assertThat(dial(T + 600_000)).as("both attempts under way").isEmpty();
        assertThat(list.connectingCount()).isEqualTo(2);
    }

    /*
     * The back-off is 5 s << failures: the first wait is 10 s, not 5 s. The 5-minute cap only
     * applies at the sixth failure, and that address is given up once that wait ends (a bounded set,
     * not a failure count kept for ever).
     */
    @Test
    void eachFailedDialDoublesTheWaitFromTenSecondsAndTheSixthForgetsThePeer() {
        InetSocketAddress a = addr(1);
        list.offer(List.of(a), "tracker");
        long now = T;
        assertThat(dial(now)).containsExactly(a);
        List<Long> waits = new ArrayList<>();
        for (int failure = 1; failure <= 5; failure++) {
            list.dialFailed(a, now);
            long next = nextDial(a, now);
            waits.add((next - now) / 1_000);
            now = next;
        }
        assertThat(waits).containsExactly(10L, 20L, 40L, 80L, 160L);

        list.dialFailed(a, now);
        assertThat(dial(now + 299_999)).isEmpty();
        assertThat(list.size()).as("kept while it waits").isEqualTo(1);
        assertThat(dial(now + 300_000)).as("the sixth failure").isEmpty();
        assertThat(list.size()).isZero();

        assertThat(list.offer(List.of(a), "tracker")).as("offered again by a tracker: given up").isZero();
        assertThat(dial(now + 400_000)).as("still forgotten").isEmpty();
        list.connectNow(a);
        assertThat(dial(now + 400_000)).as("unless the application asks for it").containsExactly(a);
    }

    @Test
    void aPeerThatDroppedUsWaitsThirtySecondsPerFailureAndOneWeClosedMayComeBackAtOnce() {
        InetSocketAddress a = addr(1);
        InetSocketAddress b = addr(2);
        list.offer(List.of(a, b), "tracker");
        dial(T);
        list.dialDone(a);
        list.dialDone(b);
        list.connected(a);
        list.connected(b);
        list.disconnected(a, false, T + 1_000);
        list.disconnected(b, true, T + 1_000);
        assertThat(dial(T + 1_000)).containsExactly(b);
        assertThat(nextDial(a, T + 1_000)).isEqualTo(T + 31_000);
        list.dialDone(a);
        list.disconnected(a, false, T + 40_000);
        assertThat(nextDial(a, T + 40_000)).as("the second time").isEqualTo(T + 100_000);
    }

    @Test
    void ourOwnAddressesOurselvesAndBannedPeersAreNeverDialled() {
        InetSocketAddress own = addr(1);
        InetSocketAddress self = addr(2);
        InetSocketAddress banned = addr(3);
        InetSocketAddress bannedWhileDialling = addr(4);
        list.offer(List.of(own, self, banned, bannedWhileDialling, addr(5)), "tracker");
        list.ban(banned);
        assertThat(list.toDial(100, T, false, NONE, Set.of(own)::contains))
                .containsExactly(self, bannedWhileDialling, addr(5));
        list.connectedToSelf(self);
        list.ban(bannedWhileDialling);
        list.dialFailed(bannedWhileDialling, T + 1); // the attempt ends after the ban

        assertThat(list.offer(List.of(own, self, banned, bannedWhileDialling), "pex"))
                .as("only our own address is learned again; it is dropped when due").isEqualTo(1);
        for (long t = T; t < T + 3_600_000; t += 60_000) {
            assertThat(list.toDial(100, t, false, NONE, Set.of(own)::contains)).isEmpty();
        }
    }

    @Test
    void theCandidateCapHoldsAgainstAFlood() {
        List<InetSocketAddress> flood = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            flood.add(addr(i));
        }
        assertThat(list.offer(flood, "pex")).isEqualTo(PeerList.MAX_CANDIDATES);
        assertThat(list.offer(List.of(addr(60_000)), "tracker")).isZero();
        list.rememberListenAddress(addr(60_001));
        assertThat(list.size()).isEqualTo(2_000);
    }

    @Test
    void retryAllMakesEveryKnownPeerDialableAtOnce() {
        List<InetSocketAddress> all = List.of(addr(1), addr(2), addr(3));
        list.offer(all, "tracker");
        dial(T);
        for (InetSocketAddress a : all) {
            list.dialFailed(a, T);
        }
        list.dialFailed(addr(1), T); // one with more failures
        assertThat(dial(T + 1_000)).isEmpty();
        list.retryAll();
        assertThat(dial(T + 1_000)).containsExactlyElementsOf(all);
    }

    @Test
    void retryAllForgivesPastFailures() {
        InetSocketAddress a = addr(1);
        list.offer(List.of(a), "tracker");
        long now = T;
        dial(now);
        for (int failure = 1; failure <= 5; failure++) {
            list.dialFailed(a, now);
            now = nextDial(a, now);
        }
        list.retryAll();
        list.dialFailed(a, now); // the sixth failure in all, the first since the retry
        assertThat(nextDial(a, now)).as("back to the first wait, not forgotten").isEqualTo(now + 10_000);
    }

    @Test
    void aSeedingTorrentDoesNotRedialFailedPeersButDialsNewOnes() {
        InetSocketAddress failed = addr(1);
        InetSocketAddress fresh = addr(2);
        list.offer(List.of(failed), "tracker");
        dial(T);
        list.dialFailed(failed, T);
        list.offer(List.of(fresh), "tracker");
        assertThat(list.toDial(100, T + 600_000, true, NONE, NONE)).containsExactly(fresh);
        assertThat(list.toDial(100, T + 600_000, false, NONE, NONE)).as("downloading again").containsExactly(failed);
    }

    @Test
    void aConnectedPeerIsNotDialledAndAPostponedDialIsNotHeldAgainstThePeer() {
        InetSocketAddress connected = addr(1);
        InetSocketAddress postponed = addr(2);
        list.offer(List.of(connected, postponed), "tracker");
        assertThat(list.toDial(100, T, false, connected::equals, NONE)).containsExactly(postponed);
        list.dialPostponed(postponed, T);
        assertThat(list.toDial(100, T + 29_999, true, connected::equals, NONE)).isEmpty();
        assertThat(list.toDial(100, T + 30_000, true, connected::equals, NONE))
                .as("not a failure: a seeding torrent dials it again").containsExactly(postponed);
        assertThat(list.size()).as("the connected peer stays known").isEqualTo(2);
    }
}
