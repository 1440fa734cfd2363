package org.hypertube.torrent.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.hypertube.torrent.bencode.BValue;
import org.hypertube.torrent.bencode.Bencode;
import org.hypertube.torrent.Metainfo;
import org.hypertube.torrent.TorrentCreator;
import org.hypertube.torrent.TorrentInfo;
import org.hypertube.torrent.testing.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pieces written in any order land byte for byte in the right files, whichever part of a write goes
 * around the page cache (block-aligned middles) and which through it (file ends, pieces straddling
 * files at odd offsets).
 */
class StorageTest {
    @TempDir
    Path tmp;

    @Test
    void piecesWrittenOutOfOrderRebuildEveryFileAcrossOddBoundaries() throws Exception {
        Path src = tmp.resolve("src/album");
        long[] sizes = {5_000, 70_001, 4_096, 0, 123_457, 1, 262_144, 99_999};
        for (int i = 0; i < sizes.length; i++) {
            TestData.file(src.resolve("f" + i + ".bin"), sizes[i], i);
        }
        for (boolean direct : new boolean[] {false, true}) {
            assertRebuilt(src, 16 * 1024, direct);
            assertRebuilt(src, 64 * 1024, direct);
        }
    }

    @Test
    void aPieceLargerThanTheStagingBufferIsWrittenWhole() throws Exception {
        Path src = TestData.file(tmp.resolve("src/big.bin"), 2L * 8 * 1024 * 1024 + 12_345, 7);
        assertRebuilt(src, 8 * 1024 * 1024, false);
        assertRebuilt(src, 8 * 1024 * 1024, true);
    }

    @Test
    void pieceBuffersArePageAlignedAndExactlyAsLongAsTheirPiece() {
        for (int size : new int[] {1, 4_095, 4_096, 5_000, 16_384, 1 << 20, (1 << 20) + 12_345}) {
            java.nio.ByteBuffer b = Storage.pieceBuffer(size);
            assertThat(b.isDirect()).isTrue();
            assertThat(b.capacity()).isEqualTo(size);
            assertThat(b.alignmentOffset(0, 4096)).isZero();
        }
    }

    @Test
    void hostileNamesAreWrittenInsideTheDownloadFolder() throws Exception {
        List<BValue> files = new ArrayList<>();
        String[][] paths = {{"..", "..", "escaped"}, {"/tmp", "abs"}, {"..\\..\\win"}, {"a/../../b"}, {"..", ""},
            {"C:", "drive"}, {"link"}, {"."}, {"", ".."}};
        for (String[] p : paths) {
            files.add(Bencode.dict("length", 3, "path", Bencode.list(java.util.Arrays.stream(p).map(Bencode::string).toList())));
        }
        files.add(Bencode.dict("attr", "l", "length", 3, "path", Bencode.list(List.of(Bencode.string("symlink"))),
                "symlink path", Bencode.list(List.of(Bencode.string(".."), Bencode.string(".."), Bencode.string("etc")))));
        int total = 3 * paths.length;
        TorrentInfo info = Metainfo.parse(Bencode.encode(Bencode.dict("info", Bencode.dict("files", Bencode.list(files),
                "name", "..", "piece length", 16384, "pieces", new byte[20])))).info();
        Path dl = Files.createDirectories(tmp.resolve("deep/down/dl"));
        try (Storage storage = new Storage(info, dl)) {
            storage.writePiece(0, new byte[total]);
            storage.flush();
            assertThat(storage.root().getFileName().toString()).as("the folder of a torrent named '..'").isEqualTo(info.infoHash().hex());
            for (Path p : storage.filePaths()) {
                assertThat(p.normalize()).startsWith(storage.root());
                assertThat(p.toRealPath()).startsWith(dl.toRealPath());
            }
        }
        try (var walk = Files.walk(tmp)) {
            assertThat(walk.filter(p -> !Files.isDirectory(p)).toList()).as("nothing outside the download folder")
                    .allMatch(p -> p.startsWith(dl)).hasSize(paths.length + 1).noneMatch(Files::isSymbolicLink);
        }
    }

    @Test
    void aSymlinkAlreadyInTheDownloadFolderDoesNotLeadWritesOutOfIt() throws Exception {
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Path dl = Files.createDirectories(tmp.resolve("dl/show"));
        Files.createSymbolicLink(dl.resolve("sub"), outside);
        TorrentInfo info = Metainfo.parse(Bencode.encode(Bencode.dict("info", Bencode.dict("files",
                Bencode.list(List.of(Bencode.dict("length", 3, "path", Bencode.list(List.of(Bencode.string("sub"), Bencode.string("x")))))),
                "name", "show", "piece length", 16384, "pieces", new byte[20])))).info();
        try (Storage storage = new Storage(info, dl.getParent())) {
            assertThatThrownBy(() -> storage.writePiece(0, new byte[3])).isInstanceOf(java.io.IOException.class)
                    .hasMessageContaining("outside the download folder");
        }
        try (var list = Files.list(outside)) {
            assertThat(list).isEmpty();
        }
    }

    /** {@code direct}: pieces handed over in page-aligned direct buffers, as the engine does, else in arrays. */
    private void assertRebuilt(Path src, int pieceLength, boolean direct) throws Exception {
        TorrentInfo info = Metainfo.parse(new TorrentCreator().pieceLength(pieceLength).create(src)).info();
        Path out = Files.createDirectories(tmp.resolve("out-" + pieceLength + (direct ? "-direct-" : "-") + info.name()));
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < info.pieceCount(); i++) {
            order.add(i);
        }
        Collections.shuffle(order, new Random(pieceLength));
        try (Storage source = new Storage(info, src.getParent()); Storage target = new Storage(info, out)) {
            for (int piece : order) {
                byte[] data = new byte[info.pieceSize(piece)];
                source.read(piece, 0, data, 0, data.length);
                if (direct) {
                    java.nio.ByteBuffer b = Storage.pieceBuffer(data.length);
                    b.put(0, data);
                    target.writePiece(piece, b);
                } else {
                    target.writePiece(piece, data);
                }
            }
            target.flush();
            if (direct && !target.directRefused()) {
                assertThat(target.unstagedWrites()).as("aligned piece buffers written without staging").isPositive();
            } else {
                assertThat(target.unstagedWrites()).isZero();
            }
            // Read back through the storage too: what a seeder or a stream reader would get.
            for (int piece = 0; piece < info.pieceCount(); piece++) {
                byte[] expected = new byte[info.pieceSize(piece)];
                byte[] actual = new byte[expected.length];
                source.read(piece, 0, expected, 0, expected.length);
                target.read(piece, 0, actual, 0, actual.length);
                assertThat(actual).as("piece %d", piece).isEqualTo(expected);
            }
        }
        assertThat(TestData.difference(src, out.resolve(info.name()))).isNull();
    }
}
