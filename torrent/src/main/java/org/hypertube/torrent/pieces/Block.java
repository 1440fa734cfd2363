package org.hypertube.torrent.pieces;

/** A request-sized part of a piece: {@code length} bytes at {@code begin}. */
public record Block(int piece, int begin, int length) {
    public static final int SIZE = 16 * 1024;

    public int index() {
        return begin / SIZE;
    }
}
