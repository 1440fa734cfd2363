package org.hypertube.torrent.pieces;

/** A request-sized part of a piece: {@code length} bytes at {@code begin}. */
public record Block(int piece, int begin, int length) {
    public static final int SIZE = 16 * 1024;

    public int index() {
        return begin / SIZE;
    }

    // Written out rather than the record's generated ones: those go through method handles
    // (ObjectMethods), which the JIT has to inline into every hash-set lookup of the per-block path.
    @Override
    public boolean equals(Object o) {
        return o instanceof Block b && b.piece == piece && b.begin == begin && b.length == length;
    }

    @Override
    public int hashCode() {
        return (piece * 31 + begin) * 31 + length;
    }
}
