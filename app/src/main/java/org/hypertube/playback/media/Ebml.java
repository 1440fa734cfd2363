package org.hypertube.playback.media;

import java.util.function.Consumer;

/**
 * The few EBML (Matroska) primitives the Cues reader needs, over a byte array that came from the file.
 * Nothing read is trusted: variable-size integers longer than 8 bytes, sizes past the buffer and
 * unknown sizes end the walk instead of being followed.
 */
final class Ebml {

    static final long UNKNOWN = -1;

    private Ebml() {
    }

    /** An element: its ID (marker bits kept, as Matroska specs write IDs), where its data starts, its size. */
    record Element(int id, int dataStart, long size) {

        int dataEnd() {
            return (int) (dataStart + size);
        }
    }

    /**
     * The element header at {@code pos}, or null when the header does not fit before {@code end} or is
     * malformed. The size may be {@link #UNKNOWN} or reach past {@code end}: callers check.
     */
    static Element header(byte[] b, int pos, int end) {
        if (pos >= end) {
            return null;
        }
        int first = b[pos] & 0xff;
        int idLength = Integer.numberOfLeadingZeros(first) - 23;
        if (first == 0 || idLength > 4 || pos + idLength > end) {
            return null;
        }
        int id = 0;
        for (int i = 0; i < idLength; i++) {
            id = (id << 8) | (b[pos + i] & 0xff);
        }
        int p = pos + idLength;
        if (p >= end) {
            return null;
        }
        int sizeFirst = b[p] & 0xff;
        int sizeLength = Integer.numberOfLeadingZeros(sizeFirst) - 23;
        if (sizeFirst == 0 || sizeLength > 8 || p + sizeLength > end) {
            return null;
        }
        long size = sizeFirst & (0xff >> sizeLength);
        boolean allOnes = size == (0xff >> sizeLength);
        for (int i = 1; i < sizeLength; i++) {
            int v = b[p + i] & 0xff;
            allOnes &= v == 0xff;
            size = (size << 8) | v;
        }
        return new Element(id, p + sizeLength, allOnes ? UNKNOWN : size);
    }

    /** Calls {@code visit} for each complete child in [from, to); stops at the first broken one. */
    static void children(byte[] b, int from, int to, Consumer<Element> visit) {
        int pos = from;
        while (pos < to) {
            Element e = header(b, pos, to);
            if (e == null || e.size() == UNKNOWN || e.dataStart() + e.size() > to) {
                return;
            }
            visit.accept(e);
            pos = e.dataEnd();
        }
    }

    /** An unsigned integer element's value (up to 8 bytes). */
    static long uint(byte[] b, Element e) {
        long v = 0;
        for (int i = 0; i < Math.min(8, e.size()); i++) {
            v = (v << 8) | (b[e.dataStart() + i] & 0xff);
        }
        return v;
    }
}
