package org.hypertube.torrent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.hypertube.torrent.bencode.BValue;
import org.hypertube.torrent.bencode.Bencode;
import org.hypertube.torrent.testing.OddTorrent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class MetainfoTest {

    static byte[] pieces(int n) {
        return new byte[20 * n];
    }

    static byte[] torrent(BValue info, Object... extra) {
        Object[] kv = new Object[extra.length + 2];
        kv[0] = "info";
        kv[1] = info;
        System.arraycopy(extra, 0, kv, 2, extra.length);
        return Bencode.encode(Bencode.dict(kv));
    }

    static BValue file(long length, String... path) {
        return Bencode.dict("length", length, "path", Bencode.list(List.of(path).stream().map(Bencode::string).toList()));
    }

    @Test
    void readsSingleFileTorrentAndHashesTheRawInfoBytes() throws Exception {
        BValue info = Bencode.dict("length", 40000, "name", "a.bin", "piece length", 16384, "pieces", pieces(3));
        byte[] bytes = torrent(info, "announce", "http://t.example/announce", "comment", "hi");
        Metainfo m = Metainfo.parse(bytes);
        assertThat(m.info().name()).isEqualTo("a.bin");
        assertThat(m.info().pieceCount()).isEqualTo(3);
        assertThat(m.info().pieceSize(2)).isEqualTo(40000 - 2 * 16384);
        assertThat(m.info().files()).containsExactly(new TorrentFile(List.of("a.bin"), 40000, 0, false));
        assertThat(m.trackerTiers()).containsExactly(List.of("http://t.example/announce"));
        assertThat(m.comment()).contains("hi");
        byte[] expected = MessageDigest.getInstance("SHA-1").digest(Bencode.encode(info));
        assertThat(m.infoHash().bytes()).isEqualTo(expected);
        assertThat(m.info().isPrivate()).isFalse();
    }

    @Test
    void infoHashCoversTheBytesAsReceivedEvenWhenKeysAreUnsorted() throws Exception {
        String info = "d6:lengthi5e4:name1:x6:pieces20:" + "a".repeat(20) + "12:piece lengthi16384ee";
        byte[] file = ("d4:info" + info + "e").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        Metainfo m = Metainfo.parse(file);
        byte[] expected = MessageDigest.getInstance("SHA-1").digest(info.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        assertThat(m.infoHash().bytes()).isEqualTo(expected);
    }

    @Test
    void readsMultiFileTorrentWithTiersPrivateFlagPadFilesAndWebSeeds() {
        BValue info = Bencode.dict("files", Bencode.list(List.of(
                        file(10000, "dir", "one.mkv"),
                        Bencode.dict("attr", "p", "length", 6384, "path", Bencode.list(List.of(Bencode.string(".pad"), Bencode.string("6384")))),
                        file(20000, "two.srt"))),
                "name", "Film", "piece length", 16384, "pieces", pieces(3), "private", 1);
        byte[] bytes = torrent(info,
                "announce", "http://ignored/announce",
                "announce-list", Bencode.list(List.of(
                        Bencode.list(List.of(Bencode.string("udp://a:1/announce"), Bencode.string("http://b/announce"))),
                        Bencode.list(List.of(Bencode.string("http://c/announce"), Bencode.string("ftp://nope"))))),
                "url-list", Bencode.list(List.of(Bencode.string("http://ws/"))));
        Metainfo m = Metainfo.parse(bytes);
        assertThat(m.trackerTiers()).containsExactly(List.of("udp://a:1/announce", "http://b/announce"), List.of("http://c/announce"));
        assertThat(m.webSeeds()).containsExactly("http://ws/");
        assertThat(m.info().isPrivate()).isTrue();
        assertThat(m.info().multiFile()).isTrue();
        assertThat(m.info().files()).extracting(TorrentFile::pad).containsExactly(false, true, false);
        assertThat(m.info().files().get(2).offset()).isEqualTo(16384);
        assertThat(m.info().totalLength()).isEqualTo(36384);
    }

    @Test
    void readsHybridTorrentThroughItsV1Keys() {
        BValue info = Bencode.dict("file tree", Bencode.dict("a", Bencode.dict("", Bencode.dict("length", 5))),
                "length", 5, "meta version", 2, "name", "a", "piece length", 16384, "pieces", pieces(1));
        assertThat(Metainfo.parse(torrent(info)).info().totalLength()).isEqualTo(5);
        BValue v2only = Bencode.dict("file tree", Bencode.dict(), "meta version", 2, "name", "a", "piece length", 16384);
        assertThatThrownBy(() -> Metainfo.parse(torrent(v2only))).hasMessageContaining("v2-only");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.hypertube.torrent.testing.OddTorrent#all")
    void oddTorrentsAreReadAsLibtorrentReadsThem(OddTorrent odd) {
        if (odd.refused()) {
            assertThatThrownBy(() -> Metainfo.parse(odd.bytes())).isInstanceOf(MetainfoException.class);
        } else {
            assertThat(OddTorrent.written(Metainfo.parse(odd.bytes()).info())).isEqualTo(odd.files());
        }
    }

    @Test
    void namesTheFaultOfARefusedTorrent() {
        assertThatThrownBy(() -> Metainfo.parse(torrent(Bencode.dict("length", -1, "name", "a", "piece length", 16384, "pieces", pieces(1)))))
                .hasMessageContaining("info.length -1 is missing or outside 0..");
        assertThatThrownBy(() -> Metainfo.parse(torrent(Bencode.dict("files", Bencode.list(List.of(file(5, "a"), file(-5, "b"))), "name", "a", "piece length", 16384, "pieces", pieces(1)))))
                .hasMessageContaining("info.files[1].length -5");
        List<BValue> sixteenTiB = new java.util.ArrayList<>();
        for (int i = 0; i < 17; i++) {
            sixteenTiB.add(file(TorrentInfo.MAX_FILE_LENGTH, "f" + i));
        }
        assertThatThrownBy(() -> Metainfo.parse(torrent(Bencode.dict("files", Bencode.list(sixteenTiB), "name", "a", "piece length", 16384, "pieces", pieces(1)))))
                .hasMessageContaining("total length exceeds");
        assertThatThrownBy(() -> Metainfo.parse(torrent(Bencode.dict("length", TorrentInfo.MAX_FILE_LENGTH + 1, "name", "a", "piece length", 16384, "pieces", pieces(1)))))
                .hasMessageContaining("info.length 17592186028032 is missing or outside 0..17592186028031");
        assertThatThrownBy(() -> Metainfo.parse(torrent(Bencode.dict("length", 100000, "name", "a", "piece length", 16384, "pieces", pieces(3)))))
                .hasMessageContaining("has 3 hashes but 100000 bytes in pieces of 16384 need 7");
        assertThatThrownBy(() -> Metainfo.parse(torrent(Bencode.dict("length", 5, "name", "a", "piece length", 0, "pieces", pieces(1)))))
                .hasMessageContaining("piece length 0");
        assertThatThrownBy(() -> Metainfo.parse(torrent(Bencode.dict("length", 5, "name", "a", "piece length", 16384, "pieces", new byte[21]))))
                .hasMessageContaining("not a multiple of 20");
        assertThatThrownBy(() -> Metainfo.parse(torrent(Bencode.dict("length", 0, "name", "a", "piece length", 16384, "pieces", new byte[0]))))
                .hasMessageContaining("no data");
        assertThatThrownBy(() -> Metainfo.parse(torrent(Bencode.dict("name", "a", "piece length", 16384, "pieces", pieces(1)))))
                .hasMessageContaining("info.length -1 is missing");
        assertThatThrownBy(() -> Metainfo.parse(torrent(Bencode.dict("length", 5, "name", "..", "piece length", 16384, "pieces", pieces(1)))))
                .hasMessageContaining("info.name '..' leaves no file name");
        assertThatThrownBy(() -> Metainfo.parse(torrent(Bencode.dict("files", Bencode.list(List.of(Bencode.dict("length", 5))), "name", "a", "piece length", 16384, "pieces", pieces(1)))))
                .hasMessageContaining("info.files[0].path is missing or empty");
    }

    @Test
    void aPieceLengthOfHalfAGibibyteIsReadWithoutAllocatingAPiece() {
        long before = usedHeap();
        TorrentInfo info = Metainfo.parse(torrent(Bencode.dict("length", 3L << 29, "name", "a", "piece length", 1 << 29, "pieces", pieces(3)))).info();
        assertThat(info.pieceLength()).isEqualTo(1 << 29);
        assertThat(info.pieceSize(2)).isEqualTo(1 << 29);
        assertThat(usedHeap() - before).isLessThan(64L << 20);
    }

    private static long usedHeap() {
        Runtime r = Runtime.getRuntime();
        return r.totalMemory() - r.freeMemory();
    }

    @Test
    void refusesAHundredMegabytePiecesString() {
        byte[] head = "d4:infod6:lengthi1e4:name1:a12:piece lengthi16384e6:pieces104857600:".getBytes();
        byte[] file = new byte[head.length + 104_857_600 + 2];
        System.arraycopy(head, 0, file, 0, head.length);
        file[file.length - 2] = 'e';
        file[file.length - 1] = 'e';
        assertThatThrownBy(() -> Metainfo.parse(file)).isInstanceOf(MetainfoException.class).hasMessageContaining("exceeds");
    }

    @Test
    void refusesDeepNestingAndNonDictionaries() {
        byte[] deep = ("d4:info" + "l".repeat(5000) + "e".repeat(5000) + "e").getBytes();
        assertThatThrownBy(() -> Metainfo.parse(deep)).hasMessageContaining("nesting deeper");
        assertThatThrownBy(() -> Metainfo.parse("le".getBytes())).hasMessageContaining("not a dictionary");
        assertThatThrownBy(() -> Metainfo.parse("de".getBytes())).hasMessageContaining("no 'info'");
        assertThatThrownBy(() -> Metainfo.parse("d4:info".getBytes())).hasMessageContaining("truncated");
    }

    @Test
    void createdTorrentsRoundTripAndHashTheData(@TempDir Path dir) throws Exception {
        Path folder = Files.createDirectories(dir.resolve("show"));
        byte[] a = new byte[50_000];
        new java.util.Random(1).nextBytes(a);
        Files.write(folder.resolve("b.bin"), a);
        Files.createDirectories(folder.resolve("sub"));
        Files.write(folder.resolve("sub/c.txt"), "hello".getBytes());
        Files.write(folder.resolve(".hidden"), "x".getBytes());
        byte[] t = new TorrentCreator().tracker("http://127.0.0.1:1/announce").tracker("udp://127.0.0.1:2")
                .webSeed("http://ws/").pieceLength(16384).privateTorrent(true).create(folder);
        Metainfo m = Metainfo.parse(t);
        assertThat(m.info().name()).isEqualTo("show");
        assertThat(m.info().files()).extracting(TorrentFile::displayPath).containsExactly("b.bin", "sub/c.txt");
        assertThat(m.info().totalLength()).isEqualTo(50_005);
        assertThat(m.info().pieceCount()).isEqualTo(4);
        assertThat(m.trackerTiers()).hasSize(2);
        assertThat(m.webSeeds()).containsExactly("http://ws/");
        assertThat(m.info().isPrivate()).isTrue();
        byte[] first = MessageDigest.getInstance("SHA-1").digest(java.util.Arrays.copyOf(a, 16384));
        assertThat(m.info().pieceHash(0)).isEqualTo(first);
        // The last piece spans the end of b.bin and all of c.txt.
        MessageDigest last = MessageDigest.getInstance("SHA-1");
        last.update(a, 49152, 50_000 - 49152);
        last.update("hello".getBytes());
        assertThat(m.info().pieceHash(3)).isEqualTo(last.digest());
    }

    @Test
    void creatingRefusesNamesThatReadersWouldChangeSoSeedingFromTheFolderWorks(@TempDir Path dir) throws Exception {
        Path odd = Files.createDirectories(dir.resolve("odd"));
        Files.write(odd.resolve("bell\u0007.txt"), "x".getBytes());
        assertThatThrownBy(() -> new TorrentCreator().create(odd)).hasMessageContaining("file 'bell\u0007.txt' would be read as 'bell_.txt'");
        Path cased = Files.createDirectories(dir.resolve("cased"));
        Files.write(cased.resolve("A.txt"), "x".getBytes());
        Files.write(cased.resolve("a.txt"), "y".getBytes());
        assertThatThrownBy(() -> new TorrentCreator().create(cased)).hasMessageContaining("file 'a.txt' would be read as 'a.1.txt'");
        Path fine = Files.write(Files.createDirectories(dir.resolve("Amélie (2001)")).resolve("CON.mkv"), "z".getBytes());
        assertThat(Metainfo.parse(new TorrentCreator().create(fine.getParent())).info().files().getFirst().displayPath()).isEqualTo("CON.mkv");
    }

    @Test
    void infoHashParsesHexAndBase32() {
        String hex = "c12fe1c06bba254a9dc9f519b335aa7c1367a88a";
        InfoHash h = InfoHash.parse(hex);
        assertThat(h.hex()).isEqualTo(hex);
        assertThat(InfoHash.parse("YEX6DQDLXISUVHOJ6UM3GNNKPQJWPKEK")).isEqualTo(h);
        assertThat(InfoHash.parse("yex6dqdlxisuvhoj6um3gnnkpqjwpkek")).isEqualTo(h);
        assertThatThrownBy(() -> InfoHash.parse("zz")).hasMessageContaining("40 hex or 32 base32");
        assertThatThrownBy(() -> InfoHash.parse("g".repeat(40))).hasMessageContaining("not 40 hex");
        assertThatThrownBy(() -> InfoHash.parse("1".repeat(32))).hasMessageContaining("not base32");
        assertThat(HexFormat.of().formatHex(h.bytes())).isEqualTo(hex);
    }
}
