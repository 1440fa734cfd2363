package org.hypertube.torrent;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Turns one path element named by a torrent into a safe file name, the way libtorrent 2.0 does on
 * Linux ({@code sanitize_append_path_element}), so that a torrent gets the same file names here as in
 * qBittorrent and a download can be seeded from either: {@code .} and {@code ..} (and elements that
 * are nothing but one or two dots once cleaned) are dropped, an empty element becomes {@code _},
 * separators, NUL and the Unicode direction marks are removed, other control characters and invalid
 * UTF-8 become {@code _}, and a name reaching 240 bytes is cut there, keeping an extension of up to 9
 * bytes. What remains can never leave the folder it is resolved in.
 */
final class PathSanitizer {
    /** Longest file name Linux file systems accept. */
    static final int MAX_NAME_BYTES = 255;
    /** libtorrent cuts a name once it reaches this many bytes. */
    private static final int CUT_AT = 240;
    /** An extension kept by the cut starts at a dot among the element's last 9 bytes. */
    private static final int EXTENSION_WINDOW = 10;
    private static final int[] DIRECTION_MARKS = {0x200e, 0x200f, 0x202a, 0x202b, 0x202c, 0x202d, 0x202e};

    private PathSanitizer() {}

    /**
     * The element as libtorrent writes it; empty when it is dropped. Runs of invalid bytes are not
     * counted towards the cut (as in libtorrent), so the result may exceed {@link #MAX_NAME_BYTES};
     * {@link #fitName} shortens those.
     */
    static String element(byte[] e) {
        if (e.length == 0) {
            return "_";
        }
        if (e.length == 1 && e[0] == '.') {
            return "";
        }
        StringBuilder out = new StringBuilder(e.length);
        int added = 0;
        int dots = 0;
        boolean extensionFound = false;
        int len;
        for (int i = 0; i < e.length; i += len) {
            int cp = codePoint(e, i);
            len = sequenceLength(e, i);
            if (cp >= 0 && removed(cp)) {
                continue;
            }
            if (cp < 0 || cp < 0x20) {
                out.append('_');
                added++;
                continue;
            }
            out.appendCodePoint(cp);
            if (cp == '.') {
                dots++;
            }
            added += len;
            if (added >= CUT_AT && !extensionFound) {
                int dot = -1;
                for (int j = e.length - 1; j > Math.max(e.length - EXTENSION_WINDOW, i); j--) {
                    if (e[j] == '.') {
                        dot = j;
                        break;
                    }
                }
                if (dot == -1) {
                    break;
                }
                extensionFound = true;
                i = dot - len;
            }
        }
        if (added == dots && added <= 2) {
            return "";
        }
        return out.toString();
    }

    /** Shortens a name over {@link #MAX_NAME_BYTES} bytes (only runs of invalid bytes make one) to 240 bytes and its extension. */
    static String fitName(String name) {
        byte[] b = name.getBytes(StandardCharsets.UTF_8);
        if (b.length <= MAX_NAME_BYTES) {
            return name;
        }
        int dot = name.lastIndexOf('.');
        String extension = dot >= 0 && b.length - utf8Length(name.substring(0, dot)) < EXTENSION_WINDOW ? name.substring(dot) : "";
        StringBuilder stem = new StringBuilder();
        int bytes = 0;
        for (int i = 0; i < name.length() && bytes < CUT_AT; ) {
            int cp = name.codePointAt(i);
            stem.appendCodePoint(cp);
            bytes += utf8Length(Character.toString(cp));
            i += Character.charCount(cp);
        }
        return stem + extension;
    }

    private static int utf8Length(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    /** Characters libtorrent leaves out: separators, NUL (its lookup finds the terminator) and direction marks. */
    private static boolean removed(int cp) {
        return cp == '/' || cp == '\\' || cp == 0 || Arrays.binarySearch(DIRECTION_MARKS, cp) >= 0;
    }

    /** Bytes the sequence starting at {@code i} occupies, valid or not, as libtorrent steps over it. */
    private static int sequenceLength(byte[] e, int i) {
        int n = leadLength(e[i]);
        if (n == 0) {
            return 1;
        }
        return Math.min(n, e.length - i);
    }

    private static int leadLength(byte lead) {
        int b = lead & 0xff;
        if (b < 0x80) {
            return 1;
        }
        if (b >> 5 == 0b110) {
            return 2;
        }
        if (b >> 4 == 0b1110) {
            return 3;
        }
        if (b >> 3 == 0b11110) {
            return 4;
        }
        if (b >> 2 == 0b111110) {
            return 5;
        }
        return 0;
    }

    /** The code point of a valid, shortest-form, non-surrogate UTF-8 sequence at {@code i}, else -1. */
    private static int codePoint(byte[] e, int i) {
        int n = leadLength(e[i]);
        if (n == 1) {
            return e[i];
        }
        if (n == 0 || n > 4 || n > e.length - i) {
            return -1;
        }
        int cp = e[i] & (0xff >> (n + 1));
        for (int k = 1; k < n; k++) {
            int b = e[i + k] & 0xff;
            if (b < 0x80 || b > 0xbf) {
                return -1;
            }
            cp = cp << 6 | b & 0x3f;
        }
        int min = n == 2 ? 0x80 : n == 3 ? 0x800 : 0x10000;
        if (cp < min || cp > 0x10ffff || cp >= 0xd800 && cp <= 0xdfff) {
            return -1;
        }
        return cp;
    }
}
