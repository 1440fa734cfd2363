package org.hypertube.torrent.bencode;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Bencode decoding with explicit bounds and canonical encoding.
 *
 * <p>The decoder recurses only to a bounded depth ({@link Limits#maxDepth}) and refuses non-string
 * keys and strings longer than the input or than {@link Limits#maxStringLength}. In {@link
 * Syntax#STRICT} it also refuses leading zeros, {@code -0}, integers outside 64 bits, duplicate
 * dictionary keys and trailing data; {@link Syntax#LIBTORRENT} accepts what libtorrent's decoder
 * accepts, for .torrent files. Unsorted keys are accepted (many real torrents have them) but the raw
 * bytes are kept, so the info-hash is still right.
 */
public final class Bencode {

    /** Bounds applied while decoding; every parser of outside data uses one. */
    public record Limits(int maxDepth, int maxStringLength, int maxTokens) {
        /** Defaults sized for .torrent files and tracker replies (cf. libtorrent's bdecode limits). */
        public static final Limits DEFAULT = new Limits(64, 64 << 20, 2_500_000);
    }

    /** How forgiving the decoder is beyond the bounds of {@link Limits}. */
    public enum Syntax {
        /** Refuses leading zeros, {@code -0}, integers outside 64 bits and duplicate keys: for protocol messages. */
        STRICT,
        /**
         * What libtorrent 2.0's decoder accepts, for .torrent files: leading zeros, {@code -0}, the first
         * of duplicate keys, an integer of up to 20 digits outside 64 bits read as 0 (as libtorrent
         * reads it); tokens (keys and ends included) counted as libtorrent counts them.
         */
        LIBTORRENT,
        /** {@link #LIBTORRENT} without its "soft errors" (leading zeros, unsorted or duplicate keys), as it requires of v2 info dictionaries. */
        LIBTORRENT_CANONICAL;

        boolean lenient() {
            return this != STRICT;
        }
    }

    private Bencode() {}

    public static BValue decode(byte[] input) {
        return decode(input, Limits.DEFAULT);
    }

    public static BValue decode(byte[] input, Limits limits) {
        return decode(input, 0, input.length, limits);
    }

    /** Decodes exactly one value occupying {@code input[from, to)}. */
    public static BValue decode(byte[] input, int from, int to, Limits limits) {
        return decode(input, from, to, limits, Syntax.STRICT);
    }

    /** Decodes exactly one value occupying {@code input[from, to)} in the given syntax. */
    public static BValue decode(byte[] input, int from, int to, Limits limits, Syntax syntax) {
        Decoder d = new Decoder(input, from, to, limits, syntax);
        BValue v = d.value(0);
        if (d.pos != to) {
            throw new BencodeException("trailing data after value", d.pos);
        }
        return v;
    }

    /**
     * Decodes one value at the start of {@code input[from, to)} and returns it with the offset just
     * after it; used where a bencoded header is followed by raw bytes (BEP 9 metadata pieces).
     */
    public static Prefix decodePrefix(byte[] input, int from, int to, Limits limits) {
        return decodePrefix(input, from, to, limits, Syntax.STRICT);
    }

    /** {@link #decodePrefix(byte[], int, int, Limits)} in the given syntax; libtorrent ignores what follows a .torrent's value too. */
    public static Prefix decodePrefix(byte[] input, int from, int to, Limits limits, Syntax syntax) {
        Decoder d = new Decoder(input, from, to, limits, syntax);
        BValue v = d.value(0);
        return new Prefix(v, d.pos);
    }

    /** A value decoded from the front of a buffer and where it ended. */
    public record Prefix(BValue value, int end) {}

    public static byte[] encode(BValue value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        encode(value, out);
        return out.toByteArray();
    }

    private static void encode(BValue value, ByteArrayOutputStream out) {
        switch (value) {
            case BValue.BInt(long v) -> out.writeBytes(("i" + v + "e").getBytes(StandardCharsets.US_ASCII));
            case BValue.BBytes b -> {
                out.writeBytes((b.length() + ":").getBytes(StandardCharsets.US_ASCII));
                out.writeBytes(b.unsafeBytes());
            }
            case BValue.BList(List<BValue> values) -> {
                out.write('l');
                values.forEach(v -> encode(v, out));
                out.write('e');
            }
            case BValue.BDict d -> {
                out.write('d');
                // Canonical: keys sorted as raw byte strings; ISO-8859-1 chars compare like unsigned bytes.
                for (Map.Entry<String, BValue> e : new TreeMap<>(d.entries()).entrySet()) {
                    byte[] k = e.getKey().getBytes(StandardCharsets.ISO_8859_1);
                    out.writeBytes((k.length + ":").getBytes(StandardCharsets.US_ASCII));
                    out.writeBytes(k);
                    encode(e.getValue(), out);
                }
                out.write('e');
            }
        }
    }

    /** Builder helpers so protocol code reads like the structure it writes. */
    public static BValue.BInt integer(long v) {
        return new BValue.BInt(v);
    }

    public static BValue.BBytes string(String utf8) {
        return BValue.BBytes.of(utf8);
    }

    public static BValue.BBytes bytes(byte[] b) {
        return new BValue.BBytes(b);
    }

    public static BValue.BList list(List<? extends BValue> values) {
        return new BValue.BList(new ArrayList<>(values));
    }

    /** A dictionary from alternating key/value arguments; null values are left out. */
    public static BValue.BDict dict(Object... keyValues) {
        Map<String, BValue> m = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            Object v = keyValues[i + 1];
            if (v == null) {
                continue;
            }
            String key = (String) keyValues[i];
            // Keys given in code are UTF-8 text; store them as their raw bytes in ISO-8859-1 form.
            String rawKey = new String(key.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
            m.put(rawKey, switch (v) {
                case BValue b -> b;
                case String s -> string(s);
                case byte[] b -> bytes(b);
                case Integer n -> integer(n);
                case Long n -> integer(n);
                case Boolean flag -> integer(flag ? 1 : 0);
                default -> throw new IllegalArgumentException("cannot bencode " + v.getClass());
            });
        }
        return new BValue.BDict(m);
    }

    private static final class Decoder {
        private final byte[] in;
        private final int end;
        private final Limits limits;
        private final Syntax syntax;
        private int pos;
        private int tokens;

        Decoder(byte[] in, int from, int to, Limits limits, Syntax syntax) {
            if (from < 0 || to > in.length || from > to) {
                throw new IllegalArgumentException("bad range");
            }
            this.in = in;
            this.pos = from;
            this.end = to;
            this.limits = limits;
            this.syntax = syntax;
        }

        /** Keys and ends of lists and dictionaries, which libtorrent counts as tokens too. */
        private void countToken() {
            if (syntax.lenient() && ++tokens > limits.maxTokens()) {
                throw new BencodeException("too many values (limit " + limits.maxTokens() + ")", pos);
            }
        }

        BValue value(int depth) {
            if (pos >= end) {
                throw new BencodeException("truncated input: expected a value", pos);
            }
            if (++tokens > limits.maxTokens()) {
                throw new BencodeException("too many values (limit " + limits.maxTokens() + ")", pos);
            }
            byte c = in[pos];
            return switch (c) {
                case 'i' -> integerValue();
                case 'l' -> listValue(depth + 1);
                case 'd' -> dictValue(depth + 1);
                default -> {
                    if (c >= '0' && c <= '9') {
                        yield new BValue.BBytes(stringValue());
                    }
                    throw new BencodeException("unexpected byte 0x" + Integer.toHexString(c & 0xff), pos);
                }
            };
        }

        private void checkDepth(int depth) {
            if (depth > limits.maxDepth()) {
                throw new BencodeException("nesting deeper than " + limits.maxDepth(), pos);
            }
        }

        private BValue listValue(int depth) {
            checkDepth(depth);
            pos++;
            List<BValue> values = new ArrayList<>();
            while (true) {
                if (pos >= end) {
                    throw new BencodeException("truncated input: unterminated list", pos);
                }
                if (in[pos] == 'e') {
                    countToken();
                    pos++;
                    return new BValue.BList(values);
                }
                values.add(value(depth));
            }
        }

        private BValue dictValue(int depth) {
            checkDepth(depth);
            int start = pos;
            pos++;
            Map<String, BValue> entries = new LinkedHashMap<>();
            String previous = null;
            while (true) {
                if (pos >= end) {
                    throw new BencodeException("truncated input: unterminated dictionary", pos);
                }
                if (in[pos] == 'e') {
                    countToken();
                    pos++;
                    byte[] raw = java.util.Arrays.copyOfRange(in, start, pos);
                    return new BValue.BDict(entries, raw);
                }
                int keyAt = pos;
                byte c = in[pos];
                if (c < '0' || c > '9') {
                    throw new BencodeException("dictionary key is not a byte string", pos);
                }
                countToken();
                String key = new String(stringValue(), StandardCharsets.ISO_8859_1);
                if (syntax == Syntax.LIBTORRENT_CANONICAL && previous != null && previous.compareTo(key) > 0) {
                    throw new BencodeException("unsorted dictionary key '" + key + "'", keyAt);
                }
                previous = key;
                if (entries.containsKey(key) && syntax != Syntax.LIBTORRENT) {
                    throw new BencodeException("duplicate dictionary key '" + key + "'", keyAt);
                }
                // libtorrent looks keys up from the front: the first of duplicates is the one that counts.
                entries.putIfAbsent(key, value(depth));
            }
        }

        private BValue integerValue() {
            int start = pos;
            pos++;
            boolean negative = false;
            if (pos < end && in[pos] == '-') {
                negative = true;
                pos++;
            }
            int digitsAt = pos;
            long v = 0;
            boolean outside = false;
            while (pos < end && in[pos] != 'e') {
                byte c = in[pos];
                if (c < '0' || c > '9') {
                    throw new BencodeException("non-digit in integer", pos);
                }
                int d = c - '0';
                // Accumulate negatively so Long.MIN_VALUE is representable; overflow means out of range.
                if (outside || v < (Long.MIN_VALUE + d) / 10) {
                    outside = true;
                } else {
                    v = v * 10 - d;
                }
                pos++;
            }
            if (pos >= end) {
                throw new BencodeException("truncated input: unterminated integer", start);
            }
            int digits = pos - digitsAt;
            if (digits == 0) {
                throw new BencodeException("integer without digits", start);
            }
            pos++;
            if (syntax.lenient()) {
                if (digits > 20) {
                    throw new BencodeException("integer outside 64 bits", start);
                }
                if (syntax == Syntax.LIBTORRENT_CANONICAL && !negative && digits > 1 && in[digitsAt] == '0') {
                    throw new BencodeException("integer with leading zero", start);
                }
                // libtorrent reads a value beyond +-(2^63 - 1) as 0.
                return new BValue.BInt(outside || v == Long.MIN_VALUE ? 0 : negative ? v : -v);
            }
            if (outside) {
                throw new BencodeException("integer outside 64 bits", start);
            }
            if (in[digitsAt] == '0' && (digits > 1 || negative)) {
                throw new BencodeException(negative ? "negative zero" : "integer with leading zero", start);
            }
            if (!negative) {
                if (v == Long.MIN_VALUE) {
                    throw new BencodeException("integer outside 64 bits", start);
                }
                v = -v;
            }
            return new BValue.BInt(v);
        }

        private byte[] stringValue() {
            int start = pos;
            long len = 0;
            while (pos < end && in[pos] != ':') {
                byte c = in[pos];
                if (c < '0' || c > '9') {
                    throw new BencodeException("non-digit in string length", pos);
                }
                len = len * 10 + (c - '0');
                if (len > Integer.MAX_VALUE) {
                    throw new BencodeException("string length too large", start);
                }
                pos++;
            }
            if (pos >= end) {
                throw new BencodeException("truncated input: string length without ':'", start);
            }
            if (pos - start > 1 && in[start] == '0' && syntax != Syntax.LIBTORRENT) {
                throw new BencodeException("string length with leading zero", start);
            }
            if (pos - start > 16 && syntax.lenient()) {
                // libtorrent keeps a string's header (length and ':') in 17 bytes at most.
                throw new BencodeException("string length of more than 16 digits", start);
            }
            pos++;
            if (len > limits.maxStringLength()) {
                throw new BencodeException("string of " + len + " bytes exceeds limit " + limits.maxStringLength(), start);
            }
            if (len > end - pos) {
                throw new BencodeException("truncated input: string of " + len + " bytes but " + (end - pos) + " left", start);
            }
            byte[] s = java.util.Arrays.copyOfRange(in, pos, pos + (int) len);
            pos += (int) len;
            return s;
        }
    }
}
