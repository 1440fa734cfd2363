package org.hypertube.torrent;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.hypertube.torrent.pieces.PiecePicker;
import org.junit.jupiter.api.Test;

/**
 * Streaming deadlines from open readers, applied to a real picker. Pieces are 1 MiB; the film is
 * 20 MiB at the start of the torrent; a reader's window is 8 MiB, so a piece k MiB past the
 * position is due after k × 30 s / 8 = k × 3.75 s of media (deadline 1 + 3750 k ms).
 */
class ReaderWishesTest {
    private static final long MIB = 1 << 20;
    private static final long WINDOW = 8 * MIB;

    private final PiecePicker picker = new PiecePicker(24, (int) MIB, 24 * MIB, new Random(1));
    private final ReaderWishes wishes = new ReaderWishes();

    private static ReaderWishes.Reader film(long position) {
        return new ReaderWishes.Reader(0, 20 * MIB, position, WINDOW);
    }

    private void apply(ReaderWishes.Reader... readers) {
        wishes.apply(List.of(readers), picker, MIB);
    }

    /** Piece → deadline as the picker has them now. */
    private Map<Integer, Long> deadlines() {
        Map<Integer, Long> m = new TreeMap<>();
        BitSet d = picker.deadlinePieces();
        for (int i = d.nextSetBit(0); i >= 0; i = d.nextSetBit(i + 1)) {
            m.put(i, picker.deadline(i));
        }
        return m;
    }

    @Test
    void aNewReaderWantsTheHeadAtOnceItsWindowSoonerTheNearerAndTheTailAsMediaTenSecondsAway() {
        apply(film(0));
        assertThat(deadlines()).isEqualTo(Map.of(
                0, 0L, 1, 0L, // head: 2 MiB
                2, 7_501L, 3, 11_251L, 4, 15_001L, 5, 18_751L, 6, 22_501L, 7, 26_251L, // the rest of the window
                18, 10_000L, 19, 10_000L)); // tail: 2 MiB, after the window's first ten seconds (a reader that needs it blocks on it)
    }

    @Test
    void theWindowStartsAtThePositionAndEndsAWindowLater() {
        apply(film(5 * MIB + MIB / 2)); // half-way through piece 5
        Map<Integer, Long> d = deadlines();
        assertThat(d).containsOnlyKeys(0, 1, 5, 6, 7, 8, 9, 10, 11, 12, 13, 18, 19);
        assertThat(d.get(5)).as("the piece being read").isEqualTo(1);
        assertThat(d.get(6)).as("half a MiB ahead").isEqualTo(1 + 1_875);
        for (int p = 6; p <= 13; p++) {
            assertThat(d.get(p)).isGreaterThan(d.get(p - 1));
        }
    }

    @Test
    void theWindowStopsAtTheEndOfTheFileAndAReaderAtTheEndWantsOnlyHeadAndTail() {
        apply(film(15 * MIB));
        assertThat(deadlines()).containsOnlyKeys(0, 1, 15, 16, 17, 18, 19);
        apply(film(20 * MIB));
        assertThat(deadlines()).containsOnlyKeys(0, 1, 18, 19);
    }

    @Test
    void verifiedPiecesAreNotWanted() {
        picker.pieceVerified(0);
        picker.pieceVerified(6);
        picker.pieceVerified(19);
        apply(film(5 * MIB));
        assertThat(deadlines()).containsOnlyKeys(1, 5, 7, 8, 9, 10, 11, 12, 18);
    }

    @Test
    void aFileInsideTheTorrentWantsThePiecesItsBytesLieIn() {
        // 10 MiB starting half-way through piece 2: head 2.5..4.5 MiB, tail 10.5..12.5 MiB.
        apply(new ReaderWishes.Reader(2 * MIB + MIB / 2, 10 * MIB, 10 * MIB, WINDOW));
        assertThat(deadlines()).isEqualTo(Map.of(2, 0L, 3, 0L, 4, 0L, 10, 10_000L, 11, 10_000L, 12, 10_000L));
    }

    @Test
    void aBlockedReadersPieceOutranksTheHeadAndEveryWindowAndGoesBackOnceItIsNoLongerBlocked() {
        // The MKV cues case: a reader (ffmpeg) blocked in the tail while another reader's window is wanted.
        apply(film(0), new ReaderWishes.Reader(0, 20 * MIB, 19 * MIB + 500, WINDOW, 1));
        Map<Integer, Long> d = deadlines();
        assertThat(d.get(19)).isEqualTo(ReaderWishes.BLOCKED).isLessThan(d.get(0));
        assertThat(d.values().stream().filter(v -> v < 0)).as("only the piece it waits for").hasSize(1);

        apply(film(0), new ReaderWishes.Reader(0, 20 * MIB, 19 * MIB + 500, WINDOW, 0));
        assertThat(deadlines().get(19)).isEqualTo(1);
    }

    @Test
    void ofTwoBlockedReadersTheOneThatBlockedLastComesFirst() {
        // A range request the browser gave up on after a seek still waits at the old place.
        apply(new ReaderWishes.Reader(0, 20 * MIB, 3 * MIB, WINDOW, 1), new ReaderWishes.Reader(0, 20 * MIB, 12 * MIB, WINDOW, 2));
        Map<Integer, Long> d = deadlines();
        assertThat(d.get(12)).isLessThan(d.get(3));
        assertThat(d.get(3)).isEqualTo(ReaderWishes.BLOCKED);
    }

    @Test
    void twoReadersOfOnePieceGiveItTheMoreUrgentDeadline() {
        apply(film(0), film(3 * MIB));
        Map<Integer, Long> d = deadlines();
        assertThat(d.get(3)).as("the second reader is at piece 3").isEqualTo(1);
        assertThat(d.get(5)).as("2 MiB past the second reader, 5 MiB past the first").isEqualTo(7_501);
        assertThat(d.get(1)).as("head").isZero();
        assertThat(d).containsKey(10).doesNotContainKey(11);
    }

    @Test
    void aReaderThatClosesTakesItsWishesWithItAndTheLastOneClearsThemAll() {
        apply(film(0), film(12 * MIB));
        assertThat(deadlines()).containsKeys(7, 12, 13);
        apply(film(0));
        assertThat(deadlines()).containsKey(7).doesNotContainKeys(12, 13);
        apply();
        assertThat(picker.hasDeadlines()).isFalse();
    }

    @Test
    void theLastReaderToCloseLeavesItsWishesAWhileUnlessAnotherOpens() {
        long t = 1_000_000;
        // The film's header reader (blocked on piece 1 when it closed) closes: the player's request comes a moment later.
        wishes.lastReaderClosed(new ReaderWishes.Reader(0, 20 * MIB, MIB + 10, WINDOW, 3), t);
        apply(wishes.effective(List.of(), t + ReaderWishes.LINGER_MS - 1).toArray(ReaderWishes.Reader[]::new));
        assertThat(deadlines()).as("head, window from its place, tail; its block is not kept")
                .containsKeys(0, 1, 2, 9, 18, 19).doesNotContainKey(10).doesNotContainValue(ReaderWishes.BLOCKED);
        assertThat(wishes.lingerEnded(t + ReaderWishes.LINGER_MS - 1)).isFalse();

        // Once its time is over, nothing is wished any more (and the session is told once to recompute).
        assertThat(wishes.lingerEnded(t + ReaderWishes.LINGER_MS)).isTrue();
        assertThat(wishes.lingerEnded(t + ReaderWishes.LINGER_MS + 1)).isFalse();
        assertThat(wishes.effective(List.of(), t + ReaderWishes.LINGER_MS)).isEmpty();

        // Another reader opening ends the lingering at once: only the open readers count.
        wishes.lastReaderClosed(film(12 * MIB), t);
        wishes.readerOpened();
        assertThat(wishes.effective(List.of(film(0)), t + 1)).containsExactly(film(0));
        assertThat(wishes.effective(List.of(), t + 1)).isEmpty();
        // While others are open, a closed reader's wishes go with it (a seek's old request must not linger).
        wishes.lastReaderClosed(film(12 * MIB), t);
        assertThat(wishes.effective(List.of(film(3 * MIB)), t + 1)).containsExactly(film(3 * MIB));
    }
}
