package org.hypertube.torrent.pieces;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * String-driven picker tests in the style of libtorrent's test_piece_picker: one character per
 * piece. Availability "2031" = 2, 0, 3, 1 peers; have "* " = piece 0 verified; priority "4070".
 * Pieces are 4 blocks (64 KiB) unless a test says otherwise.
 */
class PiecePickerTest {
    private static final int BLOCKS = 4;
    private static final int PIECE = BLOCKS * Block.SIZE;

    static PiecePicker picker(String availability, String have, String priority, long seed) {
        int n = availability.length();
        PiecePicker p = new PiecePicker(n, PIECE, (long) n * PIECE, new Random(seed));
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < availability.charAt(i) - '0'; k++) {
                p.peerHas(i);
            }
            if (i < have.length() && have.charAt(i) == '*') {
                p.pieceVerified(i);
            }
            if (i < priority.length()) {
                p.setPriority(i, priority.charAt(i) - '0');
            }
        }
        return p;
    }

    static BitSet all(int n) {
        BitSet b = new BitSet();
        b.set(0, n);
        return b;
    }

    static BitSet bits(String s) {
        BitSet b = new BitSet();
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == '*') {
                b.set(i);
            }
        }
        return b;
    }

    static List<Block> pick(PiecePicker p, BitSet has, int max) {
        return p.pick(has, false, max, 1000, i -> true, b -> false);
    }

    static int firstPiece(PiecePicker p, BitSet has) {
        return pick(p, has, 1).getFirst().piece();
    }

    @Test
    void picksTheRarestPieceFirst() {
        PiecePicker p = picker("3323334", "", "", 1);
        assertThat(firstPiece(p, all(7))).isEqualTo(2);
    }

    @Test
    void breaksTiesBetweenEquallyRarePiecesAtRandom() {
        Set<Integer> firsts = new HashSet<>();
        for (long seed = 0; seed < 40; seed++) {
            firsts.add(firstPiece(picker("2212122", "", "", seed), all(7)));
        }
        assertThat(firsts).containsExactlyInAnyOrder(2, 4);
    }

    @Test
    void onlyPicksPiecesThePeerHasAndWeLack() {
        PiecePicker p = picker("1111", "* * ", "", 1);
        List<Block> blocks = pick(p, bits("**  "), 100);
        assertThat(blocks).extracting(Block::piece).containsOnly(1);
        assertThat(blocks).hasSize(BLOCKS);
        assertThat(pick(p, bits("* * "), 100)).isEmpty();
    }

    @Test
    void higherPriorityBeatsRarityAndZeroIsNeverPicked() {
        PiecePicker p = picker("1599", "", "4060", 1);
        assertThat(pick(p, all(4), 100)).extracting(Block::piece).containsExactly(2, 2, 2, 2, 0, 0, 0, 0);
        assertThat(p.wanted(1)).isFalse();
    }

    @Test
    void deadlinesComeBeforeEverythingElse() {
        PiecePicker p = picker("1119", "", "7774", 1);
        p.setDeadline(3, 10);
        p.setDeadline(2, 20);
        assertThat(pick(p, all(4), 8)).extracting(Block::piece).containsExactly(3, 3, 3, 3, 2, 2, 2, 2);
    }

    @Test
    void finishesPartialPiecesBeforeStartingNewOnes() {
        PiecePicker p = picker("5551", "", "", 1);
        List<Block> first = pick(p, all(4), 2);
        assertThat(first).extracting(Block::piece).containsExactly(3, 3);
        // Another peer without piece 3 starts a new piece; one that has it continues piece 3.
        assertThat(firstPiece(p, all(4))).isEqualTo(3);
        assertThat(pick(p, bits("*** "), 1).getFirst().piece()).isNotEqualTo(3);
    }

    @Test
    void boundsThePiecesInProgress() {
        PiecePicker p = picker("1111", "", "", 1);
        List<Block> got = p.pick(all(4), false, 100, 2, i -> true, b -> false);
        assertThat(got).hasSize(2 * BLOCKS);
        assertThat(p.partialCount()).isEqualTo(2);
    }

    @Test
    void abortedBlocksAreRequestedAgainAndReceivingAllCompletesThePiece() {
        PiecePicker p = picker("1", "", "", 1);
        List<Block> got = pick(p, all(1), 10);
        assertThat(got).hasSize(BLOCKS);
        Set<Block> asked = new HashSet<>(got);
        assertThat(p.pick(all(1), false, 10, 10, i -> true, asked::contains)).isEmpty();
        p.abort(got.get(1));
        assertThat(p.pick(all(1), false, 10, 10, i -> true, b -> false)).containsExactly(got.get(1));
        assertThat(p.received(got.get(0))).isFalse();
        assertThat(p.received(got.get(0))).as("duplicate").isFalse();
        p.received(got.get(1));
        p.received(got.get(2));
        assertThat(p.received(got.get(3))).isTrue();
        p.pieceVerified(0);
        assertThat(p.isComplete()).isTrue();
        assertThat(p.bytesLeft()).isZero();
    }

    @Test
    void failedPiecesBecomeRequestableAgain() {
        PiecePicker p = picker("1", "", "", 1);
        pick(p, all(1), 10).forEach(p::received);
        p.pieceFailed(0);
        assertThat(pick(p, all(1), 10)).hasSize(BLOCKS);
        assertThat(p.have(0)).isFalse();
    }

    @Test
    void strictEndgameDuplicatesOnlyWhenEverythingIsRequested() {
        PiecePicker p = picker("22", "", "", 1);
        List<Block> a = pick(p, all(2), 2 * BLOCKS - 1);
        assertThat(p.inEndgame()).isFalse();
        Set<Block> askedByA = new HashSet<>(a);
        List<Block> b = p.pick(all(2), false, 10, 100, i -> true, askedByA::contains);
        assertThat(b).hasSize(1).doesNotContainAnyElementsOf(a);
        assertThat(p.inEndgame()).isTrue();
        Set<Block> askedByB = new HashSet<>(b);
        List<Block> dup = p.pick(all(2), false, 100, 100, i -> true, askedByB::contains);
        assertThat(dup).containsExactlyInAnyOrderElementsOf(a);
        // A third peer gets nothing: each block is asked of at most two peers.
        assertThat(p.pick(all(2), false, 100, 100, i -> true, blk -> false)).containsExactlyElementsOf(b);
        // What the session reads to know whether another peer must be sent a cancel.
        assertThat(p.requestCount(a.getFirst())).isEqualTo(2);
        assertThat(p.requestCount(b.getFirst())).as("asked of B and the third peer").isEqualTo(2);
        p.abort(a.getFirst());
        assertThat(p.requestCount(a.getFirst())).isEqualTo(1);
    }

    @Test
    void lastPieceAndLastBlockAreShort() {
        PiecePicker p = new PiecePicker(2, PIECE, PIECE + 20_000, new Random(1));
        assertThat(p.pieceSize(1)).isEqualTo(20_000);
        assertThat(p.blockCount(1)).isEqualTo(2);
        assertThat(p.block(1, 1)).isEqualTo(new Block(1, Block.SIZE, 20_000 - Block.SIZE));
    }

    @Test
    void seedsCountTowardsAvailabilityAndInterest() {
        PiecePicker p = picker("000", "*  ", "", 1);
        p.seedJoined();
        assertThat(p.availability(1)).isEqualTo(1);
        assertThat(p.interesting(new BitSet(), true)).isTrue();
        assertThat(p.interesting(bits("*"), false)).isFalse();
        assertThat(p.pick(new BitSet(), true, 1, 10, i -> true, b -> false)).hasSize(1);
    }

    @Test
    void allowedFastLimitsWhatAChokedPeerIsAskedFor() {
        PiecePicker p = picker("1111", "", "", 1);
        assertThat(p.pick(all(4), false, 100, 100, i -> i == 2, b -> false)).extracting(Block::piece).containsOnly(2);
    }

    @Test
    void aNewDeadlinePieceOutranksPartialPiecesWithoutOneAndThePartialBound() {
        PiecePicker p = picker("1111", "", "", 1);
        // Piece 0 is in progress (2 of 4 blocks asked), then a reader wishes for piece 3.
        List<Block> first = p.pick(bits("*   "), false, 2, 1, i -> true, b -> false);
        assertThat(first).extracting(Block::piece).containsExactly(0, 0);
        p.setDeadline(3, 5);
        assertThat(p.hasDeadlines()).isTrue();
        assertThat(p.unrequestedDeadlineBlocks(all(4), false, Long.MAX_VALUE, 100)).isEqualTo(BLOCKS);
        assertThat(p.unrequestedDeadlineBlocks(all(4), false, 4, 100)).as("beyond the horizon").isZero();
        // maxPartials 1 is already used by piece 0: the deadline piece starts anyway, and first.
        List<Block> next = p.pick(all(4), false, 6, 1, i -> true, b -> false);
        assertThat(next).extracting(Block::piece).containsExactly(3, 3, 3, 3, 0, 0);
        assertThat(p.unrequestedDeadlineBlocks(all(4), false, Long.MAX_VALUE, 100)).isZero();
        next.stream().filter(b -> b.piece() == 3).forEach(p::received);
        p.pieceVerified(3);
        assertThat(p.hasDeadline(3)).as("a verified piece loses its deadline").isFalse();
    }

    @Test
    void aLateDeadlineBlockMayBeAskedOfOneMorePeerOnly() {
        PiecePicker p = picker("2", "", "", 1);
        p.setDeadline(0, 1);
        Block b = pick(p, all(1), 1).getFirst();
        assertThat(p.requestCount(b)).isEqualTo(1);
        assertThat(p.requestAgain(b)).isTrue();
        assertThat(p.requestCount(b)).isEqualTo(2);
        assertThat(p.requestAgain(b)).as("at most two peers").isFalse();
        assertThat(p.requestAgain(p.block(0, 3))).as("never requested").isFalse();
        assertThat(p.requestCount(p.block(0, 3))).isZero();
        p.abort(b);
        assertThat(p.isRequested(b)).as("still asked of the second peer").isTrue();
        p.received(b);
        assertThat(p.requestAgain(b)).as("arrived").isFalse();
    }
}
