package org.hypertube.playback;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.BitSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class VerifiedRangesTest {

    static BitSet pieces(int... set) {
        BitSet b = new BitSet();
        for (int i : set) {
            b.set(i);
        }
        return b;
    }

    @Test
    void runsOfVerifiedPiecesBecomeFractionsOfTheFile() {
        // 10 pieces of 100 bytes, the file is the whole torrent: pieces 0-1 and 5 are here.
        assertThat(VerifiedRanges.of(pieces(0, 1, 5), 100, 0, 1000))
                .isEqualTo(List.of(List.of(0.0, 0.2), List.of(0.5, 0.6)));
        assertThat(VerifiedRanges.of(new BitSet(), 100, 0, 1000)).isEmpty();
    }

    @Test
    void aFileInsideATorrentCountsOnlyItsOwnBytes() {
        // The file starts at byte 150 of the torrent and is 500 bytes long (pieces 1 to 6).
        // Piece 0 (another file) is ignored; piece 1 holds the file's first 50 bytes; piece 6 its last 50.
        assertThat(VerifiedRanges.of(pieces(0, 1, 6, 7), 100, 150, 500))
                .isEqualTo(List.of(List.of(0.0, 0.1), List.of(0.9, 1.0)));
    }

    @Test
    void manyRangesAreBoundedByClosingTheSmallestGaps() {
        BitSet every = new BitSet();
        for (int i = 0; i < 1000; i += 2) {
            every.set(i);
        }
        every.clear(500, 600); // one big gap that stays open
        List<List<Double>> ranges = VerifiedRanges.of(every, 10, 0, 10_000);
        assertThat(ranges).hasSizeLessThanOrEqualTo(VerifiedRanges.MAX).isNotEmpty();
        assertThat(ranges.get(0).get(0)).isEqualTo(0.0);
        assertThat(ranges).anySatisfy(r -> assertThat(r.get(1)).isEqualTo(0.4990));
        assertThat(ranges).anySatisfy(r -> assertThat(r.get(0)).isEqualTo(0.6));
    }

    @Test
    void aPrefixIsOneRange() {
        assertThat(VerifiedRanges.prefix(250, 1000)).isEqualTo(List.of(List.of(0.0, 0.25)));
        assertThat(VerifiedRanges.prefix(0, 1000)).isEmpty();
    }
}
