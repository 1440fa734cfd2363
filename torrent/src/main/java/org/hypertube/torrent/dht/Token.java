package org.hypertube.torrent.dht;

import java.security.MessageDigest;
import java.util.HexFormat;

/** An {@code announce_peer} token: opaque bytes, 1 to {@value #MAX_LENGTH} of them (libtorrent's are 4). */
public record Token(byte[] bytes) {
    public static final int MAX_LENGTH = 20;

    public Token {
        if (bytes.length == 0 || bytes.length > MAX_LENGTH) {
            throw new IllegalArgumentException("a token is 1 to " + MAX_LENGTH + " bytes, not " + bytes.length);
        }
        bytes = bytes.clone();
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    /** Constant-time, so a forger learns nothing from how fast a wrong token is refused. */
    @Override
    public boolean equals(Object o) {
        return o instanceof Token t && MessageDigest.isEqual(bytes, t.bytes);
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "token=" + HexFormat.of().formatHex(bytes);
    }
}
