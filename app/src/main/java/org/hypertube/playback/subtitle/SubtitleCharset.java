package org.hypertube.playback.subtitle;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The text of a subtitle file whose encoding nobody declared. In order:
 * <ol>
 * <li>a byte-order mark decides (UTF-8, UTF-16LE, UTF-16BE) and is removed;</li>
 * <li>UTF-16 without a mark: zero bytes in at least a third of the odd (LE) or even (BE) positions of
 *     the first 4 KiB (subtitles are mostly ASCII digits and punctuation, whose UTF-16 high byte is 0);</li>
 * <li>bytes that decode as strict UTF-8 are UTF-8 (Latin-1 or Cyrillic text almost never does:
 *     an accented letter followed by an ASCII letter is an invalid UTF-8 sequence);</li>
 * <li>otherwise an 8-bit code page, chosen by letter frequencies: in Windows-1251 text every
 *     Cyrillic letter is a byte 0xC0-0xFF, so Russian, Ukrainian or Bulgarian cues are mostly such
 *     bytes; in Windows-1252/Latin-1 text (French, German, Spanish, Portuguese...) the same bytes are
 *     the accented letters, a small minority beside the ASCII ones. More than 40 % of the letters
 *     (A-Z, a-z, 0xC0-0xFF) in the high range, or runs of three such bytes in a row being common, means
 *     Windows-1251; else Windows-1252 (a superset of Latin-1's printable characters, with its curly
 *     quotes and the euro sign in 0x80-0x9F).</li>
 * </ol>
 */
public final class SubtitleCharset {

    static final Charset WINDOWS_1252 = Charset.forName("windows-1252");
    static final Charset WINDOWS_1251 = Charset.forName("windows-1251");
    private static final int SNIFF = 4096;

    private SubtitleCharset() {
    }

    /** The charset {@link #decode} uses for these bytes. */
    public static Charset detect(byte[] data) {
        if (startsWith(data, 0xEF, 0xBB, 0xBF)) {
            return StandardCharsets.UTF_8;
        }
        if (startsWith(data, 0xFF, 0xFE)) {
            return StandardCharsets.UTF_16LE;
        }
        if (startsWith(data, 0xFE, 0xFF)) {
            return StandardCharsets.UTF_16BE;
        }
        Charset utf16 = utf16WithoutMark(data);
        if (utf16 != null) {
            return utf16;
        }
        if (isUtf8(data)) {
            return StandardCharsets.UTF_8;
        }
        return looksCyrillic(data) ? WINDOWS_1251 : WINDOWS_1252;
    }

    /** The text, its byte-order mark removed, line ends as {@code \n}, no NUL or other C0 control but tab. */
    public static String decode(byte[] data) {
        Charset charset = detect(data);
        int skip = 0;
        if (charset == StandardCharsets.UTF_8 && startsWith(data, 0xEF, 0xBB, 0xBF)) {
            skip = 3;
        } else if ((charset == StandardCharsets.UTF_16LE && startsWith(data, 0xFF, 0xFE))
                || (charset == StandardCharsets.UTF_16BE && startsWith(data, 0xFE, 0xFF))) {
            skip = 2;
        }
        String text = new String(data, skip, data.length - skip, charset);
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\r') {
                out.append('\n');
                if (i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                    i++;
                }
            } else if (c == '\n' || c == '\t' || (c >= 0x20 && c != 0x7F && c != '\uFEFF')) {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static boolean startsWith(byte[] data, int... prefix) {
        if (data.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if ((data[i] & 0xFF) != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static Charset utf16WithoutMark(byte[] data) {
        int n = Math.min(data.length, SNIFF) & ~1;
        if (n < 16) {
            return null;
        }
        int zeroEven = 0;
        int zeroOdd = 0;
        for (int i = 0; i < n; i += 2) {
            if (data[i] == 0) {
                zeroEven++;
            }
            if (data[i + 1] == 0) {
                zeroOdd++;
            }
        }
        int pairs = n / 2;
        if (zeroOdd * 3 >= pairs && zeroEven * 10 < pairs) {
            return StandardCharsets.UTF_16LE;
        }
        if (zeroEven * 3 >= pairs && zeroOdd * 10 < pairs) {
            return StandardCharsets.UTF_16BE;
        }
        return null;
    }

    private static boolean isUtf8(byte[] data) {
        try {
            StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(data));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    /** See the class comment: the share of letters in 0xC0-0xFF, and runs of them. */
    static boolean looksCyrillic(byte[] data) {
        int ascii = 0;
        int high = 0;
        int run = 0;
        int longRuns = 0;
        int words = 0;
        for (byte b : data) {
            int c = b & 0xFF;
            if (c >= 0xC0) {
                high++;
                run++;
                if (run == 3) {
                    longRuns++;
                }
            } else {
                if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')) {
                    ascii++;
                }
                if (run > 0) {
                    words++;
                }
                run = 0;
            }
        }
        int letters = ascii + high;
        if (letters == 0) {
            return false;
        }
        return high * 10 > letters * 4 || (words > 0 && longRuns * 2 > words);
    }
}
