package org.hypertube.torrent.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.hypertube.torrent.metainfo.Metainfo;
import org.hypertube.torrent.metainfo.TorrentCreator;
import org.hypertube.torrent.metainfo.TorrentInfo;
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
