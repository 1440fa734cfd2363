package org.hypertube.torrent.bencode;

/** Input that is not valid bencoding, or exceeds one of the decoder's bounds. */
public final class BencodeException extends RuntimeException {
    private final int offset;

    public BencodeException(String message, int offset) {
        super(message + " at offset " + offset);
        this.offset = offset;
    }

    /** Byte offset in the input where the fault was found. */
    public int offset() {
        return offset;
    }
}
