package org.hypertube.torrent.bencode;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class BencodeTest {

    private static BValue decode(String s) {
        return Bencode.decode(s.getBytes(ISO_8859_1));
    }

    @Test
    void decodesEachKind() {
        assertThat(decode("i42e")).isEqualTo(new BValue.BInt(42));
        assertThat(decode("i-7e")).isEqualTo(new BValue.BInt(-7));
        assertThat(decode("i0e")).isEqualTo(new BValue.BInt(0));
        assertThat(decode("4:spam")).isEqualTo(BValue.BBytes.of("spam"));
        assertThat(decode("0:")).isEqualTo(BValue.BBytes.of(""));
        assertThat(decode("l4:spami1ee")).isEqualTo(Bencode.list(List.of(Bencode.string("spam"), Bencode.integer(1))));
        BValue.BDict d = (BValue.BDict) decode("d3:cow3:moo4:spaml1:a1:bee");
        assertThat(d.get("cow")).contains(Bencode.string("moo"));
        assertThat(d.get("spam")).contains(Bencode.list(List.of(Bencode.string("a"), Bencode.string("b"))));
    }

    @Test
    void integerBoundsAreSixtyFourBits() {
        assertThat(decode("i9223372036854775807e")).isEqualTo(new BValue.BInt(Long.MAX_VALUE));
        assertThat(decode("i-9223372036854775808e")).isEqualTo(new BValue.BInt(Long.MIN_VALUE));
        assertThatThrownBy(() -> decode("i9223372036854775808e")).hasMessageContaining("outside 64 bits");
        assertThatThrownBy(() -> decode("i-9223372036854775809e")).hasMessageContaining("outside 64 bits");
        assertThatThrownBy(() -> decode("i99999999999999999999999e")).hasMessageContaining("outside 64 bits");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "i03e|leading zero",
        "i-0e|negative zero",
        "ie|without digits",
        "i-e|without digits",
        "i1x2e|non-digit",
        "i12|unterminated integer",
        "5:abc|truncated input: string of 5 bytes",
        "12|string length without ':'",
        "03:abc|leading zero",
        "l4:spam|unterminated list",
        "d3:cow3:moo|unterminated dictionary",
        "di1e3:fooe|key is not a byte string",
        "d1:ai1e1:ai2ee|duplicate dictionary key 'a'",
        "i1ei2e|trailing data",
        "x|unexpected byte 0x78",
        "''|expected a value",
    })
    void refusesMalformedInputNamingTheFault(String input, String fault) {
        assertThatThrownBy(() -> decode(input)).isInstanceOf(BencodeException.class).hasMessageContaining(fault);
    }

    @Test
    void refusesNestingBeyondTheLimitWithoutOverflowingTheStack() {
        String deep = "l".repeat(100_000) + "e".repeat(100_000);
        assertThatThrownBy(() -> decode(deep)).hasMessageContaining("nesting deeper than 64");
        String ok = "l".repeat(64) + "e".repeat(64);
        assertThat(decode(ok)).isInstanceOf(BValue.BList.class);
    }

    @Test
    void refusesStringsLongerThanTheLimitBeforeAllocating() {
        var limits = new Bencode.Limits(8, 10, 100);
        assertThatThrownBy(() -> Bencode.decode("11:hello world".getBytes(ISO_8859_1), limits))
                .hasMessageContaining("exceeds limit 10");
        assertThatThrownBy(() -> decode("99999999999:x")).hasMessageContaining("string length too large");
    }

    @Test
    void refusesTooManyTokens() {
        var limits = new Bencode.Limits(8, 10, 3);
        assertThatThrownBy(() -> Bencode.decode("li1ei2ei3ee".getBytes(ISO_8859_1), limits))
                .hasMessageContaining("too many values");
    }

    @Test
    void encodesCanonicallyWithSortedKeys() {
        BValue d = Bencode.dict("zeta", 1, "alpha", "x", "mid", Bencode.list(List.of(Bencode.integer(-3))));
        assertThat(new String(Bencode.encode(d), ISO_8859_1)).isEqualTo("d5:alpha1:x3:midli-3ee4:zetai1ee");
    }

    @Test
    void keysSortAsRawBytesNotAsText() {
        // 0xC3 0xA9 ('é' in UTF-8) sorts after 'z' (0x7A) as unsigned bytes.
        BValue d = Bencode.dict("é", 1, "z", 2);
        byte[] enc = Bencode.encode(d);
        assertThat(new String(enc, ISO_8859_1)).startsWith("d1:zi2e2:");
    }

    @Test
    void keepsTheRawBytesOfUnsortedDictionaries() {
        String unsorted = "d1:bi1e1:ai2ee";
        BValue.BDict d = (BValue.BDict) decode("d4:info" + unsorted + "e");
        BValue.BDict info = (BValue.BDict) d.get("info").orElseThrow();
        assertThat(new String(info.raw(), ISO_8859_1)).isEqualTo(unsorted);
        assertThat(new String(Bencode.encode(info), ISO_8859_1)).isEqualTo("d1:ai2e1:bi1ee");
    }

    @Test
    void roundTripsBinaryStrings() {
        byte[] bin = {0, (byte) 0xff, 10, 58};
        byte[] enc = Bencode.encode(Bencode.bytes(bin));
        assertThat(enc).containsExactly('4', ':', 0, (byte) 0xff, 10, 58);
        assertThat(((BValue.BBytes) Bencode.decode(enc)).bytes()).containsExactly(bin);
    }

    @Test
    void decodesAPrefixFollowedByRawBytes() {
        byte[] in = "d8:msg_typei1e5:piecei0eeRAW".getBytes(ISO_8859_1);
        Bencode.Prefix p = Bencode.decodePrefix(in, 0, in.length, Bencode.Limits.DEFAULT);
        assertThat(p.end()).isEqualTo(in.length - 3);
    }

    private static BValue lenient(String s, Bencode.Syntax syntax) {
        byte[] b = s.getBytes(ISO_8859_1);
        return Bencode.decode(b, 0, b.length, Bencode.Limits.DEFAULT, syntax);
    }

    @Test
    void theLibtorrentSyntaxForgivesWhatLibtorrentForgives() {
        var lt = Bencode.Syntax.LIBTORRENT;
        assertThat(lenient("i03e", lt)).isEqualTo(new BValue.BInt(3));
        assertThat(lenient("i-0e", lt)).isEqualTo(new BValue.BInt(0));
        assertThat(lenient("03:abc", lt)).isEqualTo(BValue.BBytes.of("abc"));
        BValue.BDict d = (BValue.BDict) lenient("d1:ai1e1:ai2ee", lt);
        assertThat(d.get("a")).as("the first of duplicate keys counts").contains(new BValue.BInt(1));
        assertThat(new String(d.raw(), ISO_8859_1)).isEqualTo("d1:ai1e1:ai2ee");
        // libtorrent reads an integer of up to 20 digits outside +-(2^63 - 1) as 0, refuses 21 digits.
        assertThat(lenient("i99999999999999999999e", lt)).isEqualTo(new BValue.BInt(0));
        assertThat(lenient("i-9223372036854775808e", lt)).isEqualTo(new BValue.BInt(0));
        assertThat(lenient("i9223372036854775807e", lt)).isEqualTo(new BValue.BInt(Long.MAX_VALUE));
        assertThatThrownBy(() -> lenient("i999999999999999999999e", lt)).hasMessageContaining("outside 64 bits");
        assertThatThrownBy(() -> lenient("00000000000000001:a", lt)).hasMessageContaining("more than 16 digits");
        for (String bad : new String[] {"ie", "i-e", "i1x2e", "5:abc", "di1e3:fooe", "x", ""}) {
            assertThatThrownBy(() -> lenient(bad, lt)).as(bad).isInstanceOf(BencodeException.class);
        }
        byte[] trailing = "i1e\n".getBytes(ISO_8859_1);
        assertThat(Bencode.decodePrefix(trailing, 0, trailing.length, Bencode.Limits.DEFAULT, lt).value()).isEqualTo(new BValue.BInt(1));
    }

    @Test
    void theCanonicalSyntaxRefusesLibtorrentsSoftErrors() {
        var canonical = Bencode.Syntax.LIBTORRENT_CANONICAL;
        assertThat(lenient("d1:ai1e1:bi0ee", canonical)).isInstanceOf(BValue.BDict.class);
        assertThat(lenient("i-0e", canonical)).isEqualTo(new BValue.BInt(0));
        assertThatThrownBy(() -> lenient("d1:bi1e1:ai2ee", canonical)).hasMessageContaining("unsorted dictionary key 'a'");
        assertThatThrownBy(() -> lenient("d1:ai1e1:ai2ee", canonical)).hasMessageContaining("duplicate dictionary key 'a'");
        assertThatThrownBy(() -> lenient("i03e", canonical)).hasMessageContaining("leading zero");
        assertThatThrownBy(() -> lenient("03:abc", canonical)).hasMessageContaining("leading zero");
    }

    @Test
    void libtorrentCountsKeysAndEndsAsTokens() {
        var limits = new Bencode.Limits(8, 10, 4);
        byte[] fourValues = "d1:ai1ee".getBytes(ISO_8859_1); // d, key, i1e, e
        assertThat(Bencode.decode(fourValues, 0, fourValues.length, limits, Bencode.Syntax.LIBTORRENT)).isInstanceOf(BValue.BDict.class);
        byte[] five = "d1:ali1eee".getBytes(ISO_8859_1);
        assertThatThrownBy(() -> Bencode.decode(five, 0, five.length, limits, Bencode.Syntax.LIBTORRENT)).hasMessageContaining("too many");
    }
}
