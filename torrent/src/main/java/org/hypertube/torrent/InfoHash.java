package org.hypertube.torrent;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;

/** The SHA-1 of a torrent's bencoded info dictionary (BEP 3): the torrent's identity. Immutable. */
public final class InfoHash implements Comparable<InfoHash> {
    public static final int LENGTH = 20;
    private final byte[] bytes;

    private InfoHash(byte[] bytes) {
        this.bytes = bytes;
    }

    public static InfoHash of(byte[] bytes) {
        if (bytes.length != LENGTH) {
            throw new IllegalArgumentException("info-hash must be 20 bytes, got " + bytes.length);
        }
        return new InfoHash(bytes.clone());
    }

    /** The info-hash of exactly these info-dictionary bytes. */
    public static InfoHash ofInfo(byte[] rawInfo) {
        return new InfoHash(sha1(rawInfo));
    }

    /** Parses 40 hex digits or 32 base32 characters (the two forms of a magnet's btih). */
    public static InfoHash parse(String text) {
        if (text.length() == 40) {
            try {
                return new InfoHash(HexFormat.of().parseHex(text));
            } catch (IllegalArgumentException e) {
                throw new MetainfoException("info-hash is not 40 hex digits: " + text);
            }
        }
        if (text.length() == 32) {
            return new InfoHash(base32(text));
        }
        throw new MetainfoException("info-hash must be 40 hex or 32 base32 characters, got " + text.length() + ": " + text);
    }

    private static byte[] base32(String text) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        byte[] out = new byte[LENGTH];
        int buffer = 0;
        int bits = 0;
        int n = 0;
        for (char c : text.toUpperCase(Locale.ROOT).toCharArray()) {
            int v = alphabet.indexOf(c);
            if (v < 0) {
                throw new MetainfoException("info-hash is not base32: " + text);
            }
            buffer = (buffer << 5) | v;
            bits += 5;
            if (bits >= 8) {
                out[n++] = (byte) (buffer >> (bits - 8));
                bits -= 8;
            }
        }
        return out;
    }

    static byte[] sha1(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-1").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is required by every JDK", e);
        }
    }

    public byte[] bytes() {
        return bytes.clone();
    }

    public String hex() {
        return HexFormat.of().formatHex(bytes);
    }

    /** First 8 hex digits, enough to tell torrents apart in a log line. */
    public String shortHex() {
        return hex().substring(0, 8);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof InfoHash h && Arrays.equals(bytes, h.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public int compareTo(InfoHash o) {
        return Arrays.compareUnsigned(bytes, o.bytes);
    }

    @Override
    public String toString() {
        return hex();
    }
}
