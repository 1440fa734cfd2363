package org.hypertube.torrent;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.hypertube.torrent.bencode.BValue;
import org.hypertube.torrent.bencode.Bencode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** File names as libtorrent 2.0 writes them on Linux (OddTorrent's cases check the same against libtorrent itself). */
class PathSanitizerTest {

    static Stream<Arguments> elements() {
        return Stream.of(
                row("etc/passwd", "..", "etc", "passwd"),
                row("a/b", "a", ".", "b"),
                row("a/_/b", "a", "", "b"),
                row("etc/passwd", "/etc", "passwd"),
                row("ab", "a/b"),
                row("ab", "a\\b"),
                row("....x", "..\\..\\x"),
                row("C:/x", "C:", "x"),
                row("ab", "a\0b"),
                row("a_b_c\u007f", "a\u0001b\u001fc\u007f"),
                row("a<>:\"|?*b", "a<>:\"|?*b"),
                row("CON/nul.txt", "CON", "nul.txt"),
                row("...", "..."),
                row("_", "..", ".."),
                row("a", "a", "/"),
                row("a", "a", "\u202e", ".."),
                row("Amélie (2001)/字幕.srt", "Amélie (2001)", "字幕.srt"),
                row("evilexe.avi", "evil\u202eexe.avi"),
                row("ab", "a\u200fb\u200e"));
    }

    private static Arguments row(String written, String... elements) {
        return Arguments.of(List.of(elements), written);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("elements")
    void cleansEachElement(List<String> elements, String written) {
        assertThat(path(elements.stream().map(e -> e.getBytes(UTF_8)).toList())).isEqualTo(written);
    }

    @Test
    void replacesEachInvalidUtf8SequenceByOneUnderscore() {
        assertThat(element("a\u00ffb\u00c3")).isEqualTo("a_b_");
        // A Latin-1 'é' reads as the lead of a 3-byte sequence: libtorrent skips the two bytes after it too.
        assertThat(element("caf\u00e9.mkv")).isEqualTo("caf_kv");
        assertThat(element("\u00c0\u0080")).as("overlong").isEqualTo("_");
        assertThat(element("\u00ed\u00a0\u0080")).as("surrogate").isEqualTo("_");
        assertThat(element("\u00f4\u0090\u0080\u0080")).as("beyond U+10FFFF").isEqualTo("_");
        assertThat(element("\u00f8\u0088\u0080\u0080\u0080x")).as("5-byte form").isEqualTo("_x");
    }

    @Test
    void cutsNamesAt240BytesKeepingAnExtensionOfUpTo9Bytes() {
        assertThat(PathSanitizer.element(("x".repeat(300)).getBytes(UTF_8))).isEqualTo("x".repeat(240));
        assertThat(PathSanitizer.element(("x".repeat(300) + ".mkv").getBytes(UTF_8))).isEqualTo("x".repeat(240) + ".mkv");
        assertThat(PathSanitizer.element(("x".repeat(300) + ".12345678").getBytes(UTF_8))).isEqualTo("x".repeat(240) + ".12345678");
        assertThat(PathSanitizer.element(("x".repeat(300) + ".123456789").getBytes(UTF_8))).isEqualTo("x".repeat(240));
        assertThat(PathSanitizer.element(("é".repeat(200) + ".mkv").getBytes(UTF_8))).isEqualTo("é".repeat(120) + ".mkv");
        assertThat(PathSanitizer.element(("😀".repeat(70)).getBytes(UTF_8))).isEqualTo("😀".repeat(60));
        assertThat(PathSanitizer.element("x".repeat(255).getBytes(UTF_8))).hasSize(240);
        assertThat(PathSanitizer.element("x".repeat(240).getBytes(UTF_8))).hasSize(240);
        assertThat(PathSanitizer.element("x".repeat(239).getBytes(UTF_8))).hasSize(239);
    }

    @Test
    void namesOfReplacedBytesOver255BytesAreShortenedToo() {
        // libtorrent leaves these at 300 bytes, which no Linux file system accepts.
        String libtorrents = element("\u00ff".repeat(300) + "x.mkv");
        assertThat(libtorrents).isEqualTo("_".repeat(300) + "x.mkv");
        assertThat(PathSanitizer.fitName(libtorrents)).isEqualTo("_".repeat(240) + ".mkv");
        assertThat(PathSanitizer.fitName("_".repeat(300))).isEqualTo("_".repeat(240));
        assertThat(PathSanitizer.fitName("short.mkv")).isEqualTo("short.mkv");
    }

    @Test
    void renamesCollidingPathsAsLibtorrentDoes() {
        assertThat(resolve(List.of("a"), List.of("a"), List.of("A"), List.of("a.1")))
                .containsExactly("a", "a.1", "A.2", "a.1.1");
        assertThat(resolve(List.of("s", "e.mkv"), List.of("S", "E.mkv"), List.of("s", "e.mkv")))
                .as("whole paths compare ignoring case: S/E.mkv would be s/e.mkv on a case-insensitive file system")
                .containsExactly("s/e.mkv", "S/E.1.mkv", "s/e.2.mkv");
        assertThat(resolve(List.of("a"), List.of("a", "b"))).containsExactly("a.1", "a/b");
        assertThat(resolve(List.of("d", "x"), List.of("d"))).containsExactly("d/x", "d.1");
        assertThat(resolve(List.of(".hidden"), List.of(".hidden"))).containsExactly(".hidden", ".1.hidden");
        assertThat(resolve(List.of("a.tar.gz"), List.of("a.tar.gz"))).containsExactly("a.tar.gz", "a.tar.1.gz");
    }

    @Test
    void renamesTenThousandCopiesOfOnePathQuickly() {
        FileNames names = new FileNames();
        for (int i = 0; i < 10_000; i++) {
            names.add(List.of("same.bin"), 1, false, true);
        }
        List<List<String>> paths = names.resolveDuplicates();
        assertThat(paths.get(9_999)).containsExactly("same.9999.bin");
        assertThat(paths.stream().map(p -> p.getFirst()).distinct()).hasSize(10_000);
    }

    /** Whatever the bytes, each element is a plain name: the path stays in the folder it is resolved in. */
    @Test
    void randomElementsNeverLeaveTheirFolder() {
        Random random = new Random(47);
        byte[] alphabet = "./\\\0:a\u00ff\u00c3\u00e2\u0080\u00ae".getBytes(ISO_8859_1);
        Path folder = Path.of("/downloads/n");
        for (int i = 0; i < 100_000; i++) {
            byte[] e = new byte[random.nextInt(6)];
            for (int k = 0; k < e.length; k++) {
                e[k] = alphabet[random.nextInt(alphabet.length)];
            }
            String name = PathSanitizer.element(e);
            if (!name.isEmpty()) {
                assertThat(name).isNotIn(".", "..").doesNotContain("/", "\\", "\0");
                assertThat(folder.resolve(name).normalize().getParent()).isEqualTo(folder);
            }
        }
    }

    private static String path(List<byte[]> elements) {
        List<BValue> raw = elements.stream().<BValue>map(Bencode::bytes).toList();
        BValue info = Bencode.dict("files", Bencode.list(List.of(Bencode.dict("length", 5, "path", Bencode.list(raw)))),
                "name", "n", "piece length", 16384, "pieces", new byte[20]);
        return Metainfo.parse(Bencode.encode(Bencode.dict("info", info))).info().files().getFirst().displayPath();
    }

    private static String element(String latin1) {
        return PathSanitizer.element(latin1.getBytes(ISO_8859_1));
    }

    @SafeVarargs
    private static List<String> resolve(List<String>... paths) {
        FileNames names = new FileNames();
        for (List<String> p : paths) {
            names.add(p, 5, false, true);
        }
        return names.resolveDuplicates().stream().map(p -> String.join("/", p)).toList();
    }
}
