package org.hypertube.torrent;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.hypertube.torrent.RequesterTest.FakePeer;
import org.hypertube.torrent.pieces.Block;
import org.hypertube.torrent.pieces.PiecePicker;
import org.junit.jupiter.api.Test;

/**
 * A critical block held by a stalled peer is asked of a peer sending now, through the requester, on a
 * manual clock: stalled means silent for {@code max(40 ms, rtt + 40 ms, 3 blocks at its rate)}, and the
 * copy is asked only when the sending peer would deliver it sooner (review 1200, item 1), and only while a
 * reader is blocked. Pieces are four
 * blocks; every peer is a seed; a peer's rate is fed to its meter as bytes in the second of {@code T}.
 */
class SecondRequestsTest {
    private static final int BLOCKS = 4;
    private static final int PIECE = BLOCKS * Block.SIZE;
    private static final long T = 1_000_000;
    private static final long KIB = 1024;

    private final List<FakePeer> peers = new ArrayList<>();
    private final PiecePicker picker = new PiecePicker(64, PIECE, 64L * PIECE, new Random(1));
    private final Requester requester = new Requester(picker, PIECE, InfoHash.parse("0123456789abcdef0123456789abcdef01234567"), 0, true);

    private FakePeer seed(String key, long bytesPerSecond) {
        FakePeer p = new FakePeer(key);
        p.seed = true;
        picker.seedJoined();
        p.down.add(bytesPerSecond, T);
        peers.add(p);
        return p;
    }

    /** A reader's window: pieces 0-11 due within the critical 2 s. */
    private void window() {
        for (int i = 0; i < 12; i++) {
            picker.setDeadline(i, 100 + i * 100L);
        }
    }

    /**
     * A reader waits on piece 40, asked in full of a peer that has nothing else (so the rule is on, and
     * the blocked piece's own endgame plays no part: the other peers of these tests lack piece 40).
     */
    private void aReaderWaitsElsewhere(long at) {
        FakePeer other = new FakePeer("other");
        other.has.set(40);
        picker.peerBitfield(other.has);
        other.down.add(1024 * KIB, T);
        peers.add(other);
        picker.setDeadline(40, ReaderWishes.BLOCKED);
        requester.fill(other, true, peers, at);
        assertThat(other.outstanding).extracting(Block::piece).containsOnly(40).hasSize(BLOCKS);
    }

    /** A peer sending now that has every piece but 40. */
    private FakePeer sending(long bytesPerSecond) {
        FakePeer p = new FakePeer("sending");
        p.has.set(0, 40);
        picker.peerBitfield(p.has);
        p.down.add(bytesPerSecond, T);
        peers.add(p);
        return p;
    }

    /** {@code p} delivers everything it has outstanding at {@code at}, then the requester tops it up. */
    private void deliversAll(FakePeer p, long at) {
        for (Block b : List.copyOf(p.outstanding)) {
            p.delivered(b, picker, at);
        }
        requester.fill(p, true, peers, at);
    }

    private List<Block> askedTwice() {
        List<Block> twice = new ArrayList<>();
        for (FakePeer p : peers) {
            for (Block b : p.outstanding) {
                if (picker.requestCount(b) > 1) {
                    twice.add(b);
                }
            }
        }
        return twice;
    }

    @Test
    void aPeerAskedWhileIdleWithARoundTripOf150MsIsNotDuplicatedWithinItsRoundTrip() {
        window();
        FakePeer far = seed("far", 1024 * KIB);
        far.askedIdle(T - 2_000);
        far.answered(T - 1_850); // its round trip: 150 ms
        requester.fill(far, false, peers, T);
        List<Block> farBlocks = List.copyOf(far.outstanding);
        assertThat(farBlocks).extracting(Block::piece).containsOnly(0, 1);
        aReaderWaitsElsewhere(T);
        FakePeer sending = sending(1024 * KIB);
        requester.fill(sending, false, peers, T);

        deliversAll(sending, T + 41);
        deliversAll(sending, T + 150);
        assertThat(sending.requested()).as("silent for its round trip only: not stalled").doesNotContainAnyElementsOf(farBlocks);
        assertThat(askedTwice()).isEmpty();

        deliversAll(sending, T + 400); // 400 ms without an answer is more than its round trip
        assertThat(sending.requested()).as("then it is").containsAll(farBlocks);
    }

    @Test
    void aSlowPeersCriticalBlocksAreNotDuplicatedBetweenItsBlocks() {
        window();
        FakePeer slow = seed("slow", 200_000); // one block every 82 ms
        requester.fill(slow, false, peers, T); // alone: nobody faster takes the critical pieces from it
        assertThat(slow.outstanding).hasSize(8);
        aReaderWaitsElsewhere(T);
        FakePeer sending = sending(1024 * KIB);
        requester.fill(sending, false, peers, T);

        for (int k = 1; k <= 6; k++) {
            long at = T + k * 82L;
            slow.delivered(slow.outstanding.getFirst(), picker, at);
            deliversAll(sending, at + 60); // 60 ms after slow's last block: more than 40 ms, less than three blocks' time
            assertThat(askedTwice()).as("after slow's block %d", k).isEmpty();
            assertThat(sending.requested()).doesNotContainAnyElementsOf(slow.outstanding);
        }
    }

    @Test
    void aPeerSilentFor460MsAfterItsBurstIsDuplicatedMostUrgentFirstByAPeerSendingNowWhileAReaderWaits() {
        window();
        FakePeer bursty = seed("bursty", 2048 * KIB);
        bursty.askedIdle(T - 1_000);
        bursty.answered(T - 999); // a round trip of 1 ms (loopback)
        requester.fill(bursty, false, peers, T);
        List<Block> held = List.copyOf(bursty.outstanding); // 0.1 s of 2 MiB/s: 12 blocks
        FakePeer sending = sending(1024 * KIB);
        requester.fill(sending, false, peers, T);
        bursty.delivered(held.getFirst(), picker, T + 10); // its burst ends

        deliversAll(sending, T + 300);
        assertThat(askedTwice()).as("stalled, but no reader waits: steady playback").isEmpty();
        aReaderWaitsElsewhere(T + 300);
        requester.fill(sending, true, peers, T + 301);
        assertThat(askedTwice()).as("a reader waits, but sending's queue is full").isEmpty();
        deliversAll(sending, T + 470);
        List<Block> again = sending.batches.getLast(); // its queue (8 blocks) is full of copies: no top-up after them
        assertThat(again).as("bursty's blocks, the most urgent first").isNotEmpty()
                .containsExactlyElementsOf(held.subList(1, 9));
        assertThat(held).containsAll(again);
        for (Block b : again) {
            assertThat(picker.requestCount(b)).isEqualTo(2);
        }

        Requester off = new Requester(picker, PIECE, InfoHash.parse("0123456789abcdef0123456789abcdef01234567"), 0);
        FakePeer other = seed("the same, rule off (the default)", 1024 * KIB);
        other.lastBlockAt = T + 470;
        off.fill(other, true, peers, T + 470);
        assertThat(other.requested()).doesNotContainAnyElementsOf(held);

        FakePeer quiet = seed("quiet, idle", 4096 * KIB);
        requester.fill(quiet, true, peers, T + 470);
        assertThat(quiet.requested()).as("a peer that sent nothing lately is no better a bet").doesNotContainAnyElementsOf(held);
    }
}
