package org.hypertube.torrent.webseed;

import java.util.ArrayList;
import java.util.List;
import org.hypertube.torrent.bencode.BValue;
import org.hypertube.torrent.bencode.Bencode;
import org.hypertube.torrent.TorrentInfo;

/** Info dictionaries built by hand: any names, pad files, zero-length files; piece hashes are zeros. */
final class TestTorrents {
    private TestTorrents() {}

    /** A file of a multi-file torrent; {@code pad} sets BEP 47's attr "p". Components are raw bytes. */
    record Entry(List<byte[]> path, long length, boolean pad) {
        static Entry of(String path, long length) {
            return new Entry(split(path), length, false);
        }

        static Entry pad(long length) {
            return new Entry(split(".pad/" + length), length, true);
        }

        private static List<byte[]> split(String path) {
            return List.of(path.split("/")).stream().map(s -> s.getBytes(java.nio.charset.StandardCharsets.UTF_8)).toList();
        }
    }

    static TorrentInfo single(String name, long length, int pieceLength) {
        return TorrentInfo.parse(Bencode.encode(Bencode.dict("length", length, "name", name,
                "piece length", pieceLength, "pieces", new byte[pieces(length, pieceLength) * 20])));
    }

    static TorrentInfo multi(String name, int pieceLength, Entry... entries) {
        return multi(name.getBytes(java.nio.charset.StandardCharsets.UTF_8), pieceLength, entries);
    }

    static TorrentInfo multi(byte[] name, int pieceLength, Entry... entries) {
        List<BValue> files = new ArrayList<>();
        long total = 0;
        for (Entry e : entries) {
            files.add(Bencode.dict("attr", e.pad() ? "p" : null, "length", e.length(),
                    "path", Bencode.list(e.path().stream().map(Bencode::bytes).toList())));
            total += e.length();
        }
        return TorrentInfo.parse(Bencode.encode(Bencode.dict("files", Bencode.list(files), "name", name,
                "piece length", pieceLength, "pieces", new byte[pieces(total, pieceLength) * 20])));
    }

    private static int pieces(long total, int pieceLength) {
        return (int) ((total + pieceLength - 1) / pieceLength);
    }
}
