package org.hypertube.torrent.testing;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.hypertube.torrent.bencode.BValue;
import org.hypertube.torrent.bencode.Bencode;
import org.hypertube.torrent.TorrentInfo;

/**
 * Malformed and odd .torrent files with what libtorrent 2.0.8 makes of them (checked against it by
 * {@code MetainfoInteropTest}), generated here so that no binary is committed. {@code files} lists
 * each file as it will be written ({@code name/path...}), or {@code <pad N>} for a pad file of N
 * bytes; {@code null} means refused. Where we deliberately differ, {@code why} says why and
 * {@code libtorrent} what libtorrent does instead, in the same form; otherwise both are null.
 */
public record OddTorrent(String label, byte[] bytes, List<String> files, List<String> libtorrent, String why) {

    /** The libtorrent (and our) outcome "refused". */
    public static final List<String> REFUSED = null;

    public boolean refused() {
        return files == null;
    }

    public boolean libtorrentDiffers() {
        return why != null;
    }

    @Override
    public String toString() {
        return label;
    }

    public static List<OddTorrent> all() {
        List<OddTorrent> t = new ArrayList<>();
        // Path elements: dropped, cleaned, kept.
        t.add(multi("'..' element", List.of("n/etc/passwd"), file(5, "..", "etc", "passwd")));
        t.add(multi("'.' element", List.of("n/a/b"), file(5, "a", ".", "b")));
        t.add(multi("empty element", List.of("n/a/_/b"), file(5, "a", "", "b")));
        t.add(multi("absolute-looking path", List.of("n/etc/passwd"), file(5, "/etc", "passwd")));
        t.add(multi("separator inside an element", List.of("n/ab"), file(5, "a/b")));
        t.add(multi("backslash inside an element", List.of("n/ab"), file(5, "a\\b")));
        t.add(multi("backslashes climbing out", List.of("n/....etcpasswd"), file(5, "..\\..\\etc\\passwd")));
        t.add(multi("drive letter", List.of("n/C:/x"), file(5, "C:", "x")));
        t.add(multi("NUL", List.of("n/ab"), file(5, "a\0b")));
        t.add(multi("control characters", List.of("n/a_b_c\u007f"), file(5, "a\u0001b\u001fc\u007f")));
        t.add(multi("characters Windows refuses", List.of("n/a<>:\"|?*b"), file(5, "a<>:\"|?*b")));
        t.add(multi("Windows device names", List.of("n/CON", "n/nul.txt"), file(5, "CON"), file(5, "nul.txt")));
        t.add(multi("three dots", List.of("n/..."), file(5, "...")));
        t.add(multi("only '..' elements", List.of("n/_"), file(5, "..", "..")));
        t.add(multi("only a '/' element", List.of("n/a"), file(5, "a", "/")));
        t.add(multi("Unicode", List.of("n/Amélie (2001)/字幕.srt"), file(5, "Amélie (2001)", "字幕.srt")));
        t.add(multi("direction marks", List.of("n/evilexe.avi"), file(5, "evil\u202Eexe.avi")));
        t.add(multi("invalid UTF-8", List.of("n/a_b_"), file(5, bytes("a\u00ffb\u00c3"))));
        t.add(multi("Latin-1 bytes swallow what follows", List.of("n/caf_kv"), file(5, bytes("caf\u00e9.mkv"))));
        t.add(multi("path.utf-8 preferred", List.of("n/b"),
                Bencode.dict("length", 5, "path", path("a"), "path.utf-8", path("b"))));
        t.add(multi("path.utf-8 not a list", List.of("n/a"),
                Bencode.dict("length", 5, "path", path("a"), "path.utf-8", "b")));
        // Long names: cut at 240 bytes, an extension of up to 9 bytes kept.
        t.add(multi("300-byte name", List.of("n/" + "x".repeat(240)), file(5, "x".repeat(300))));
        t.add(multi("300-byte name with extension", List.of("n/" + "x".repeat(240) + ".mkv"), file(5, "x".repeat(300) + ".mkv")));
        t.add(multi("300-byte name, 10-byte extension", List.of("n/" + "x".repeat(240)), file(5, "x".repeat(300) + ".123456789")));
        t.add(multi("300-byte name, 9-byte extension", List.of("n/" + "x".repeat(240) + ".12345678"), file(5, "x".repeat(300) + ".12345678")));
        t.add(multi("long two-byte characters", List.of("n/" + "é".repeat(120) + ".mkv"), file(5, "é".repeat(200) + ".mkv")));
        t.add(multi("long folder name", List.of("n/" + "d".repeat(240) + "/a"), file(5, "d".repeat(1000), "a")));
        t.add(new OddTorrent("300 invalid bytes", multiBytes("n", file(5, bytes("\u00ff".repeat(300)))),
                List.of("n/" + "_".repeat(240)), List.of("n/" + "_".repeat(300)),
                "libtorrent counts no replaced byte towards its cut: a name over 255 bytes cannot be written"));
        t.add(multi("5000 invalid bytes", REFUSED, file(5, bytes("\u00ff".repeat(5000)))));
        // Duplicates: ".1" before the extension, ASCII case ignored, folders count.
        t.add(multi("same path twice, then in capitals", List.of("n/a", "n/a.1", "n/A.2"), file(5, "a"), file(5, "a"), file(5, "A")));
        t.add(multi("duplicates with extension", List.of("n/a.mkv", "n/a.1.mkv", "n/a.1.1.mkv"),
                file(5, "a.mkv"), file(5, "a.mkv"), file(5, "a.1.mkv")));
        t.add(multi("hidden file twice", List.of("n/.hidden", "n/.1.hidden"), file(5, ".hidden"), file(5, ".hidden")));
        t.add(multi("paths equal once cleaned", List.of("n/ab", "n/ab.1"), file(5, "a/b"), file(5, "a\\b")));
        t.add(multi("file where a folder is", List.of("n/a.1", "n/a/b"), file(5, "a"), file(5, "a", "b")));
        t.add(multi("folder where a file was", List.of("n/a/b", "n/a.1"), file(5, "a", "b"), file(5, "a")));
        t.add(multi("file and folder differ in case", List.of("n/Sub.1", "n/sub/x.srt"), file(5, "Sub"), file(5, "sub", "x.srt")));
        List<BValue> many = new ArrayList<>();
        List<String> manyPaths = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            many.add(file(1, "same.bin"));
            manyPaths.add(i == 0 ? "n/same.bin" : "n/same." + i + ".bin");
        }
        t.add(multi("2000 files of one path", manyPaths, many.toArray(BValue[]::new)));
        t.add(new OddTorrent("'..' after a name ending in '..'", multiBytes("n", file(5, "a..", "..")), List.of("n/a.."), List.of("n/.."),
                "libtorrent keeps the raw last element when the cleaned path happens to end with it: 'n/..' is the folder itself"));
        // The torrent's name.
        BValue.BDict dotsInfo = info("..", file(5, "a"));
        t.add(multi("name '..' (folder named by the info-hash)", dotsInfo, List.of(sha1Hex(Bencode.encode(dotsInfo)) + "/a")));
        t.add(multi("empty name", info("", file(5, "a")), List.of("_/a")));
        t.add(multi("name with a separator", info("a/b", file(5, "a")), List.of("ab/a")));
        t.add(multi("name.utf-8 preferred", infoWith(List.of(file(5, "a")), "name", "legacy", "name.utf-8", "modern"), List.of("modern/a")));
        t.add(multi("name.utf-8 not a string", infoWith(List.of(file(5, "a")), "name", "legacy", "name.utf-8", 5), List.of("legacy/a")));
        t.add(single("single file named '..'", "..", REFUSED));
        t.add(single("single file named '.'", ".", REFUSED));
        t.add(single("single file named ''", "", REFUSED));
        t.add(single("single file named '/'", "/", REFUSED));
        t.add(single("single file name with a separator", "a/b.mkv", List.of("ab.mkv")));
        t.add(single("single file name of 300 bytes", "y".repeat(300) + ".mp4", List.of("y".repeat(240) + ".mp4")));
        t.add(raw("name missing", dict("info", dict("length", 5, "piece length", 16384, "pieces", hashes(1))), REFUSED));
        t.add(raw("name not a string", dict("info", dict("length", 5, "name", 5, "piece length", 16384, "pieces", hashes(1))), REFUSED));
        // Bencoding libtorrent forgives in .torrent files.
        byte[] plain = singleBytes("a", 5, 16384);
        t.add(new OddTorrent("line end after the torrent", concat(plain, "\n"), List.of("a"), null, null));
        t.add(new OddTorrent("CRLF after the torrent", concat(plain, "\r\n"), List.of("a"), null, null));
        t.add(new OddTorrent("bytes after the torrent", concat(plain, "garbage"), List.of("a"), null, null));
        t.add(new OddTorrent("a space before the torrent", concat(" ", plain), REFUSED, null, null));
        t.add(new OddTorrent("empty file", new byte[0], REFUSED, null, null));
        String pieces = "6:pieces20:" + "\0".repeat(20);
        t.add(text("duplicate key: the first counts", "d4:infod6:lengthi5e4:name1:a4:name1:b12:piece lengthi16384e" + pieces + "ee", List.of("a")));
        t.add(text("duplicate info: the first counts", "d4:infod6:lengthi5e4:name1:a12:piece lengthi16384e" + pieces
                + "e4:infod6:lengthi6e4:name1:b12:piece lengthi16384e" + pieces + "ee", List.of("a")));
        t.add(text("unsorted keys", "d4:infod4:name1:a6:lengthi5e" + pieces + "12:piece lengthi16384eee", List.of("a")));
        t.add(text("integer with leading zero", "d4:infod6:lengthi05e4:name1:a12:piece lengthi16384e" + pieces + "ee", List.of("a")));
        t.add(text("string length with leading zero", "d4:infod6:lengthi5e4:name01:a12:piece lengthi16384e" + pieces + "ee", List.of("a")));
        t.add(text("negative zero", "d13:creation datei-0e4:infod6:lengthi5e4:name1:a12:piece lengthi16384e" + pieces + "ee", List.of("a")));
        t.add(text("20-digit creation date (read as 0)", "d13:creation datei99999999999999999999e4:infod6:lengthi5e4:name1:a12:piece lengthi16384e"
                + pieces + "ee", List.of("a")));
        t.add(text("20-digit length (read as 0)", "d4:infod6:lengthi99999999999999999999e4:name1:a12:piece lengthi16384e" + pieces + "ee", REFUSED));
        t.add(text("21-digit integer", "d1:ai999999999999999999999e4:infod6:lengthi5e4:name1:a12:piece lengthi16384e" + pieces + "ee", REFUSED));
        t.add(text("creation date as a string", "d13:creation date4:2024" + "4:infod6:lengthi5e4:name1:a12:piece lengthi16384e" + pieces + "ee", List.of("a")));
        t.add(text("integer key", "di1ei1e4:infod6:lengthi5e4:name1:a12:piece lengthi16384e" + pieces + "ee", REFUSED));
        t.add(text("99 nested lists", "d1:x" + "l".repeat(98) + "e".repeat(98) + "4:infod6:lengthi5e4:name1:a12:piece lengthi16384e" + pieces + "ee", List.of("a")));
        t.add(text("100 nested lists", "d1:x" + "l".repeat(99) + "e".repeat(99) + "4:infod6:lengthi5e4:name1:a12:piece lengthi16384e" + pieces + "ee", REFUSED));
        // Piece length: any positive value up to INT_MAX / 2 for v1.
        t.add(raw("piece length 512 MiB", singleDict("a", 5, 512 << 20), List.of("a")));
        t.add(raw("piece length INT_MAX / 2", singleDict("a", 5, Integer.MAX_VALUE / 2), List.of("a")));
        t.add(raw("piece length 1 GiB", singleDict("a", 5, 1 << 30), REFUSED));
        t.add(raw("piece length 3", singleDict("a", 5, 3), List.of("a")));
        t.add(raw("piece length 1", singleDict("a", 1, 1), List.of("a")));
        t.add(raw("piece length 100 000", singleDict("a", 250_000, 100_000), List.of("a")));
        t.add(raw("piece length 0", dict("info", dict("length", 5, "name", "a", "piece length", 0, "pieces", hashes(1))), REFUSED));
        t.add(raw("piece length negative", dict("info", dict("length", 5, "name", "a", "piece length", -16384, "pieces", hashes(1))), REFUSED));
        t.add(raw("piece length missing", dict("info", dict("length", 5, "name", "a", "pieces", hashes(1))), REFUSED));
        t.add(raw("piece length a string", dict("info", dict("length", 5, "name", "a", "piece length", "16384", "pieces", hashes(1))), REFUSED));
        t.add(raw("pieces of 21 bytes", dict("info", dict("length", 5, "name", "a", "piece length", 16384, "pieces", new byte[21])), REFUSED));
        t.add(raw("one hash too many", dict("info", dict("length", 5, "name", "a", "piece length", 16384, "pieces", hashes(2))), REFUSED));
        t.add(raw("pieces missing", dict("info", dict("length", 5, "name", "a", "piece length", 16384)), REFUSED));
        // Lengths.
        t.add(raw("negative length", singleDict("a", -1, 16384), REFUSED));
        t.add(multi("negative file length", REFUSED, file(-5, "a"), file(10, "b")));
        t.add(multi("file length missing", REFUSED, Bencode.dict("path", path("a"))));
        t.add(multi("file length a string", REFUSED, Bencode.dict("length", "5", "path", path("a"))));
        t.add(multi("empty files", List.of("n/a", "n/b", "n/c"), file(0, "a"), file(5, "b"), file(0, "c")));
        t.add(multi("only empty files", REFUSED, file(0, "a")));
        t.add(raw("single file of 16 TiB - 1", singleDict("a", 17_592_186_028_031L, 1 << 29), List.of("a")));
        t.add(raw("single file of 16 TiB", dict("info", dict("length", 17_592_186_028_032L, "name", "a", "piece length", 1 << 29,
                "pieces", hashes(1))), REFUSED));
        List<BValue> huge = new ArrayList<>();
        for (int i = 0; i < 17; i++) {
            huge.add(file(17_592_186_028_031L, "f" + i));
        }
        t.add(raw("256 TiB in all", dict("info", dict("files", Bencode.list(huge), "name", "n", "piece length", 1 << 29,
                "pieces", hashes(1))), REFUSED));
        // The files list.
        t.add(raw("files empty", dict("info", dict("files", Bencode.list(List.of()), "name", "n", "piece length", 16384, "pieces", hashes(0))), REFUSED));
        t.add(multi("a file entry that is not a dictionary", REFUSED, file(5, "a"), Bencode.integer(5)));
        t.add(multi("a path element that is not a string", REFUSED, Bencode.dict("length", 5, "path", Bencode.list(List.of(Bencode.string("a"), Bencode.integer(5))))));
        t.add(multi("empty path", REFUSED, Bencode.dict("length", 5, "path", Bencode.list(List.of()))));
        t.add(multi("path missing", REFUSED, Bencode.dict("length", 5)));
        t.add(raw("both files and length (files count)", dict("info", dict("files", Bencode.list(List.of(file(5, "a"))), "length", 7,
                "name", "n", "piece length", 16384, "pieces", hashes(1))), List.of("n/a")));
        t.add(raw("files not a list (length counts)", dict("info", dict("files", 5, "length", 5, "name", "a", "piece length", 16384,
                "pieces", hashes(1))), List.of("a")));
        // Attributes: pad files, symlinks, the rest ignored.
        t.add(multi("pad file", List.of("n/a", "<pad 16379>", "n/b"), file(5, "a"), pad(16379, ".pad", "16379"), file(5, "b")));
        t.add(multi("pad file without a path", List.of("n/a", "<pad 16379>", "n/b"), file(5, "a"),
                Bencode.dict("attr", "p", "length", 16379, "path", Bencode.list(List.of())), file(5, "b")));
        t.add(multi("pad files sharing a path", List.of("n/a", "<pad 16379>", "n/b", "<pad 16379>", "n/c"),
                file(5, "a"), pad(16379, ".pad", "x"), file(5, "b"), pad(16379, ".pad", "x"), file(5, "c")));
        t.add(multi("a file where a pad file is", List.of("n/a", "<pad 16379>", "n/.pad/16379.1"),
                file(5, "a"), pad(16379, ".pad", "16379"), file(5, ".pad", "16379")));
        t.add(multi("'.pad' folder without the attribute is a real file", List.of("n/a", "n/.pad/16379", "n/b"),
                file(5, "a"), file(16379, ".pad", "16379"), file(5, "b")));
        t.add(multi("BitComet padding file", List.of("n/a", "<pad 16379>", "n/b"), file(5, "a"), file(16379, "_____padding_file_0"), file(5, "b")));
        t.add(multi("symlink (no bytes, not linked)", List.of("n/a", "n/s"), file(5, "a"),
                Bencode.dict("attr", "l", "length", 99, "path", path("s"), "symlink path", path("..", "..", "etc"))));
        t.add(multi("symlink without a target", List.of("n/a", "n/s"), file(5, "a"), Bencode.dict("attr", "l", "length", 7, "path", path("s"))));
        t.add(multi("executable and hidden", List.of("n/a"), Bencode.dict("attr", "xh", "length", 5, "path", path("a"))));
        t.add(raw("private 2", singleDict("a", 5, 16384, "private", 2), List.of("a")));
        // Structure and versions.
        t.add(raw("info not a dictionary", dict("info", 5), REFUSED));
        t.add(raw("no info", dict("announce", "http://t/"), REFUSED));
        t.add(new OddTorrent("a list, not a dictionary", Bencode.encode(Bencode.list(List.of(Bencode.integer(1)))), REFUSED, null, null));
        t.add(raw("meta version 1", singleDict("a", 5, 16384, "meta version", 1), List.of("a")));
        t.add(raw("meta version 3", singleDict("a", 5, 16384, "meta version", 3), REFUSED));
        t.add(raw("file tree without meta version 2", singleDict("a", 5, 16384, "file tree", Bencode.dict()), REFUSED));
        t.add(text("meta version 1 with unsorted keys", "d4:infod4:name1:a6:lengthi5e12:meta versioni1e" + pieces + "12:piece lengthi16384eee", REFUSED));
        byte[] root = new byte[32];
        root[0] = 1;
        t.add(raw("hybrid v1 + v2", singleDict("a", 5, 16384, "meta version", 2,
                "file tree", Bencode.dict("a", Bencode.dict("", Bencode.dict("length", 5, "pieces root", root)))), List.of("a")));
        t.add(new OddTorrent("hybrid whose file tree is broken", Bencode.encode(singleDict("a", 5, 16384, "meta version", 2,
                "file tree", Bencode.dict("a", Bencode.dict("", Bencode.dict("length", 5))))), List.of("a"), REFUSED,
                "we read hybrids through their v1 keys and do not check the v2 file tree"));
        t.add(new OddTorrent("v2 only", Bencode.encode(dict("info", dict("file tree",
                Bencode.dict("a", Bencode.dict("", Bencode.dict("length", 5, "pieces root", root))), "meta version", 2, "name", "a",
                "piece length", 16384))), REFUSED, List.of("a", "<pad 16379>"), "v2-only torrents are not supported"));
        List<BValue> lots = new ArrayList<>();
        for (int i = 0; i <= 100_000; i++) {
            lots.add(file(0, Integer.toString(i)));
        }
        lots.add(file(1, "last"));
        List<String> lotsOut = new ArrayList<>();
        t.add(new OddTorrent("100 002 files", multiBytes("n", lots.toArray(BValue[]::new)), REFUSED, lotsOut,
                "we keep a bound of 100 000 files (memory per file here and in storage)"));
        for (int i = 0; i <= 100_000; i++) {
            lotsOut.add("n/" + i);
        }
        lotsOut.add("n/last");
        t.add(new OddTorrent("11 MB torrent", Bencode.encode(dict("comment", new byte[11_000_000], "info", singleDict("a", 5, 16384).get("info")
                .orElseThrow())), List.of("a"), REFUSED, "libtorrent reads .torrent files of up to 10 MB, we up to 64 MiB"));
        return t;
    }

    /** Each file of {@code info} as it will be written, in the form of {@link #files}. */
    public static List<String> written(TorrentInfo info) {
        return info.files().stream().map(f -> f.pad() ? "<pad " + f.length() + ">"
                : (info.multiFile() ? info.name() + "/" : "") + f.displayPath()).toList();
    }

    // Builders.

    public static BValue file(long length, Object... path) {
        return Bencode.dict("length", length, "path", path(path));
    }

    static BValue pad(long length, String... path) {
        return Bencode.dict("attr", "p", "length", length, "path", path((Object[]) path));
    }

    static BValue.BList path(Object... elements) {
        List<BValue> l = new ArrayList<>();
        for (Object e : elements) {
            l.add(e instanceof byte[] b ? Bencode.bytes(b) : Bencode.string((String) e));
        }
        return Bencode.list(l);
    }

    /** Raw bytes given as the chars 0-255 of a Latin-1 string. */
    static byte[] bytes(String latin1) {
        return latin1.getBytes(ISO_8859_1);
    }

    static byte[] hashes(long pieces) {
        return new byte[(int) (20 * pieces)];
    }

    static BValue.BDict dict(Object... keyValues) {
        return Bencode.dict(keyValues);
    }

    static BValue.BDict info(Object name, BValue... files) {
        return infoWith(List.of(files), "name", name);
    }

    static BValue.BDict infoWith(List<BValue> files, Object... extra) {
        long total = 0;
        for (BValue f : files) {
            if (f instanceof BValue.BDict d && d.get("length").orElse(null) instanceof BValue.BInt(long n) && n > 0
                    && !(d.get("attr").orElse(null) instanceof BValue.BBytes a && a.utf8().contains("l"))) {
                total += n;
            }
        }
        Object[] kv = new Object[extra.length + 6];
        System.arraycopy(extra, 0, kv, 0, extra.length);
        kv[extra.length] = "files";
        kv[extra.length + 1] = Bencode.list(files);
        kv[extra.length + 2] = "piece length";
        kv[extra.length + 3] = 16384;
        kv[extra.length + 4] = "pieces";
        kv[extra.length + 5] = hashes(Math.min((total + 16383) / 16384, 1000));
        return Bencode.dict(kv);
    }

    static byte[] multiBytes(String name, BValue... files) {
        return Bencode.encode(dict("info", info(name, files)));
    }

    static OddTorrent multi(String label, List<String> files, BValue... entries) {
        return new OddTorrent(label, multiBytes("n", entries), files, null, null);
    }

    static OddTorrent multi(String label, BValue.BDict info, List<String> files) {
        return new OddTorrent(label, Bencode.encode(dict("info", info)), files, null, null);
    }

    static BValue.BDict singleDict(String name, long length, int pieceLength, Object... extra) {
        Object[] kv = new Object[extra.length + 8];
        System.arraycopy(extra, 0, kv, 0, extra.length);
        Object[] base = {"length", length, "name", name, "piece length", pieceLength, "pieces",
            hashes(length <= 0 ? 1 : (length + pieceLength - 1) / pieceLength)};
        System.arraycopy(base, 0, kv, extra.length, base.length);
        return dict("info", Bencode.dict(kv));
    }

    static byte[] singleBytes(String name, long length, int pieceLength) {
        return Bencode.encode(singleDict(name, length, pieceLength));
    }

    static OddTorrent single(String label, String name, List<String> files) {
        return new OddTorrent(label, singleBytes(name, 5, 16384), files, null, null);
    }

    static OddTorrent raw(String label, BValue torrent, List<String> files) {
        return new OddTorrent(label, Bencode.encode(torrent), files, null, null);
    }

    static OddTorrent text(String label, String torrent, List<String> files) {
        return new OddTorrent(label, bytes(torrent), files, null, null);
    }

    static byte[] concat(Object a, Object b) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object o : new Object[] {a, b}) {
            out.writeBytes(o instanceof byte[] x ? x : ((String) o).getBytes(UTF_8));
        }
        return out.toByteArray();
    }

    static String sha1Hex(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
