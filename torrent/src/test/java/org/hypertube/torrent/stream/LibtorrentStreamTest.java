package org.hypertube.torrent.stream;

import org.hypertube.torrent.TorrentStream;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hypertube.torrent.stream.StreamFixture.PIECE;
import static org.hypertube.torrent.stream.StreamFixture.expected;
import static org.hypertube.torrent.stream.StreamFixture.local;
import static org.hypertube.torrent.stream.StreamFixture.read;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.BitSet;
import java.util.List;
import org.hypertube.torrent.Torrent;
import org.hypertube.torrent.interop.ExternalPeer;
import org.hypertube.torrent.Metainfo;
import org.hypertube.torrent.TorrentCreator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Streaming from the middle of a file seeded by libtorrent 2.0 (python3-libtorrent), capped at 2 MB/s. */
@Timeout(120)
class LibtorrentStreamTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    @TempDir
    Path tmp;
    private StreamFixture fx;

    @AfterEach
    void tearDown() throws Exception {
        if (fx != null) {
            fx.close();
        }
    }

    @Test
    void streamsFromTheMiddleOfAFileSeededByLibtorrent() throws Exception {
        ExternalPeer.require("python3-libtorrent (/usr/bin/python3 -c 'import libtorrent')", ExternalPeer.libtorrentPresent());
        fx = new StreamFixture(tmp);
        long size = 16L << 20; // 64 pieces
        int pieces = (int) (size / PIECE);
        Path data = fx.file("seed/film.bin", size, 23);
        byte[] t = new TorrentCreator().pieceLength(PIECE).create(data);
        Path torrentFile = Files.write(tmp.resolve("film.torrent"), t);
        Metainfo m = Metainfo.parse(t);
        Path script = ExternalPeer.libtorrentScript(tmp);
        ExternalPeer seed = fx.track(ExternalPeer.start("libtorrent seed", tmp, List.of("/usr/bin/python3", script.toString(), "seed",
                "--save", tmp.resolve("seed").toString(), "--torrent", torrentFile.toString(), "--upload-limit", "2000000")));
        int port = Integer.parseInt(seed.await("LISTEN (\\d+)", WAIT));

        Torrent torrent = fx.client("ours", b -> b).add(m);
        try (TorrentStream stream = torrent.openStream(0)) {
            torrent.connect(local(port));
            long middle = size / 2;
            assertThat(read(stream, middle, 4 * PIECE)).isEqualTo(expected(data, middle, 4 * PIECE));
            BitSet have = torrent.verifiedPieces();
            // Between the head (first 2 MiB) and the middle, little may have been fetched: the reader came first.
            int between = have.get(pieces * 15 / 100, pieces * 45 / 100).cardinality();
            assertThat(between).as("pieces verified between head and middle").isLessThanOrEqualTo(2);
            assertThat(torrent.progress()).isLessThan(0.75);
            // And the tail, for ffprobe.
            assertThat(read(stream, size - 1000, 1000)).isEqualTo(expected(data, size - 1000, 1000));
        }
    }
}
