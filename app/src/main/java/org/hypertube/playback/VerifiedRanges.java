package org.hypertube.playback;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;

/**
 * Which parts of a film file the server already holds, for the player's seek bar: [start, end) fractions
 * of the file, at most {@link #MAX} of them (the smallest gaps are closed first when there are more), each
 * figure rounded to four decimals. Computed from the torrent's verified pieces; no reader is opened.
 */
final class VerifiedRanges {

    static final int MAX = 64;
    static final List<List<Double>> WHOLE = List.of(List.of(0.0, 1.0));

    private VerifiedRanges() {
    }

    /**
     * @param have         the torrent's verified pieces
     * @param pieceLength  the torrent's piece length
     * @param fileOffset   where the file starts in the torrent's bytes
     * @param fileLength   the file's length
     */
    static List<List<Double>> of(BitSet have, long pieceLength, long fileOffset, long fileLength) {
        if (fileLength <= 0 || pieceLength <= 0) {
            return List.of();
        }
        List<long[]> ranges = new ArrayList<>();
        int first = (int) (fileOffset / pieceLength);
        int last = (int) ((fileOffset + fileLength - 1) / pieceLength);
        for (int piece = have.nextSetBit(first); piece >= 0 && piece <= last; piece = have.nextSetBit(piece + 1)) {
            int end = Math.min(have.nextClearBit(piece), last + 1);
            long from = Math.max(0, (long) piece * pieceLength - fileOffset);
            long to = Math.min(fileLength, (long) end * pieceLength - fileOffset);
            ranges.add(new long[] {from, to});
            piece = end;
        }
        return fractions(closeSmallestGaps(ranges), fileLength);
    }

    /** The prefix [0, readable) alone: what is known of a file another instance downloads. */
    static List<List<Double>> prefix(long readable, long fileLength) {
        return readable <= 0 || fileLength <= 0 ? List.of() : fractions(List.of(new long[] {0, Math.min(readable, fileLength)}), fileLength);
    }

    private static List<long[]> closeSmallestGaps(List<long[]> ranges) {
        if (ranges.size() <= MAX) {
            return ranges;
        }
        long[] gaps = new long[ranges.size() - 1];
        for (int i = 1; i < ranges.size(); i++) {
            gaps[i - 1] = ranges.get(i)[0] - ranges.get(i - 1)[1];
        }
        long[] sorted = gaps.clone();
        Arrays.sort(sorted);
        // Closing every gap up to this length leaves at most MAX ranges (ties may close a few more).
        long closeUpTo = sorted[ranges.size() - MAX - 1];
        List<long[]> merged = new ArrayList<>();
        long[] open = ranges.get(0).clone();
        for (int i = 1; i < ranges.size(); i++) {
            if (gaps[i - 1] <= closeUpTo) {
                open[1] = ranges.get(i)[1];
            } else {
                merged.add(open);
                open = ranges.get(i).clone();
            }
        }
        merged.add(open);
        return merged;
    }

    private static List<List<Double>> fractions(List<long[]> ranges, long length) {
        List<List<Double>> out = new ArrayList<>(ranges.size());
        for (long[] r : ranges) {
            out.add(List.of(round((double) r[0] / length), round((double) r[1] / length)));
        }
        return List.copyOf(out);
    }

    private static double round(double fraction) {
        return Math.round(fraction * 10_000) / 10_000.0;
    }
}
