package org.hypertube.torrent.bencode;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A bencoded value: integer, byte string, list or dictionary. */
public sealed interface BValue permits BValue.BInt, BValue.BBytes, BValue.BList, BValue.BDict {

    /** A bencoded integer; the decoder bounds it to a signed 64-bit value. */
    record BInt(long value) implements BValue {}

    /** A byte string; often text but not always (piece hashes, compact peers). */
    record BBytes(byte[] bytes) implements BValue {
        public BBytes {
            bytes = bytes.clone();
        }

        public static BBytes of(String utf8) {
            return new BBytes(utf8.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public byte[] bytes() {
            return bytes.clone();
        }

        /** The bytes without a defensive copy, for callers in this library that only read them. */
        public byte[] unsafeBytes() {
            return bytes;
        }

        public int length() {
            return bytes.length;
        }

        public String utf8() {
            return new String(bytes, StandardCharsets.UTF_8);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof BBytes b && Arrays.equals(bytes, b.bytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }

        @Override
        public String toString() {
            for (byte b : bytes) {
                if (b < 0x20 || b > 0x7e) {
                    return "BBytes[" + bytes.length + " bytes: "
                            + HexFormat.of().formatHex(bytes, 0, Math.min(bytes.length, 32))
                            + (bytes.length > 32 ? "...]" : "]");
                }
            }
            return "BBytes[\"" + new String(bytes, StandardCharsets.US_ASCII) + "\"]";
        }
    }

    /** A list of values. */
    record BList(List<BValue> values) implements BValue {
        public BList {
            values = List.copyOf(values);
        }
    }

    /**
     * A dictionary. Keys are kept as ISO-8859-1 strings so that each char is exactly one byte of the
     * original key, which makes sorting by char the same as sorting by raw bytes. {@code raw} holds
     * the exact encoded bytes this dictionary was decoded from (empty when built in code).
     */
    record BDict(Map<String, BValue> entries, byte[] raw) implements BValue {
        public BDict {
            entries = Collections.unmodifiableMap(new LinkedHashMap<>(entries));
        }

        public BDict(Map<String, BValue> entries) {
            this(entries, new byte[0]);
        }

        /** The bytes this dictionary was decoded from, or its canonical encoding if built in code. */
        @Override
        public byte[] raw() {
            return raw.length > 0 ? raw.clone() : Bencode.encode(this);
        }

        public Optional<BValue> get(String key) {
            return Optional.ofNullable(entries.get(key));
        }

        public boolean has(String key) {
            return entries.containsKey(key);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof BDict d && entries.equals(d.entries);
        }

        @Override
        public int hashCode() {
            return entries.hashCode();
        }

        @Override
        public String toString() {
            return "BDict" + entries;
        }
    }
}
