package org.hypertube.torrent.dht;

import java.util.Arrays;
import java.util.HexFormat;

/** A KRPC transaction id ({@code t}): opaque bytes a response echoes, 1 to {@value #MAX_LENGTH} of them. */
public record TransactionId(byte[] bytes) {
    public static final int MAX_LENGTH = 16;

    public TransactionId {
        if (bytes.length == 0 || bytes.length > MAX_LENGTH) {
            throw new IllegalArgumentException("a transaction id is 1 to " + MAX_LENGTH + " bytes, not " + bytes.length);
        }
        bytes = bytes.clone();
    }

    /** Two bytes, as the BEP's examples and most nodes use. */
    public static TransactionId of(int n) {
        return new TransactionId(new byte[] {(byte) (n >>> 8), (byte) n});
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TransactionId t && Arrays.equals(bytes, t.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "t=" + HexFormat.of().formatHex(bytes);
    }
}
