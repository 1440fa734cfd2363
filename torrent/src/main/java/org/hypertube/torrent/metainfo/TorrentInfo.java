package org.hypertube.torrent.metainfo;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.hypertube.torrent.bencode.BValue;
import org.hypertube.torrent.bencode.Bencode;
import org.hypertube.torrent.bencode.BencodeException;

/**
 * A parsed, validated v1 info dictionary (BEP 3): what pieces make up the torrent and which files
 * they fill. Hybrid v1+v2 dictionaries are read through their v1 keys. Immutable.
 */
public final class TorrentInfo {
    /** libtorrent's default {@code max_piece_count}; bounds memory for bitfields and hashes. */
    public static final int MAX_PIECES = 1 << 21;
    public static final long MAX_PIECE_LENGTH = 128L << 20;
    public static final int MAX_FILES = 100_000;
    /** 2^50 bytes (1 PiB): beyond any real torrent, far below overflow. */
    public static final long MAX_TOTAL_LENGTH = 1L << 50;

    private final InfoHash infoHash;
    private final byte[] raw;
    private final String name;
    private final int pieceLength;
    private final byte[] pieceHashes;
    private final List<TorrentFile> files;
    private final long totalLength;
    private final boolean isPrivate;
    private final boolean multiFile;

    private TorrentInfo(InfoHash infoHash, byte[] raw, String name, int pieceLength, byte[] pieceHashes,
            List<TorrentFile> files, long totalLength, boolean isPrivate, boolean multiFile) {
        this.infoHash = infoHash;
        this.raw = raw;
        this.name = name;
        this.pieceLength = pieceLength;
        this.pieceHashes = pieceHashes;
        this.files = files;
        this.totalLength = totalLength;
        this.isPrivate = isPrivate;
        this.multiFile = multiFile;
    }

    /** Parses raw info-dictionary bytes, e.g. metadata received from peers (BEP 9). */
    public static TorrentInfo parse(byte[] rawInfo) {
        BValue v;
        try {
            v = Bencode.decode(rawInfo);
        } catch (BencodeException e) {
            throw new MetainfoException("info dictionary is not valid bencoding: " + e.getMessage(), e);
        }
        if (!(v instanceof BValue.BDict d)) {
            throw new MetainfoException("info is not a dictionary");
        }
        return from(d);
    }

    static TorrentInfo from(BValue.BDict info) {
        byte[] raw = info.raw();
        Fields f = new Fields(info, "info");
        if (!info.has("pieces")) {
            if (info.has("file tree")) {
                throw new MetainfoException("v2-only torrents are not supported (no v1 'pieces')");
            }
            throw new MetainfoException("info.pieces is missing");
        }
        String name = PathSanitizer.component(f.text(info.has("name.utf-8") ? "name.utf-8" : "name"), "info.name");
        long pieceLength = f.integer("piece length");
        if (pieceLength <= 0 || pieceLength > MAX_PIECE_LENGTH) {
            throw new MetainfoException("info.piece length " + pieceLength + " is outside 1.." + MAX_PIECE_LENGTH);
        }
        byte[] pieces = f.bytes("pieces");
        if (pieces.length % 20 != 0) {
            throw new MetainfoException("info.pieces length " + pieces.length + " is not a multiple of 20");
        }
        if (pieces.length / 20 > MAX_PIECES) {
            throw new MetainfoException("info.pieces names " + pieces.length / 20 + " pieces, more than " + MAX_PIECES);
        }
        boolean isPrivate = f.optionalInteger("private").orElse(0L) == 1L;

        List<TorrentFile> files = new ArrayList<>();
        long total;
        boolean multi = info.has("files");
        if (multi && info.has("length")) {
            throw new MetainfoException("info has both 'length' and 'files'");
        }
        if (multi) {
            List<BValue> list = f.list("files");
            if (list.isEmpty()) {
                throw new MetainfoException("info.files is empty");
            }
            if (list.size() > MAX_FILES) {
                throw new MetainfoException("info.files has " + list.size() + " entries, more than " + MAX_FILES);
            }
            total = 0;
            Set<String> seen = new HashSet<>();
            Set<String> dirs = new HashSet<>();
            for (int i = 0; i < list.size(); i++) {
                String what = "info.files[" + i + "]";
                if (!(list.get(i) instanceof BValue.BDict fd)) {
                    throw new MetainfoException(what + " is not a dictionary");
                }
                Fields ff = new Fields(fd, what);
                long length = ff.integer("length");
                if (length < 0) {
                    throw new MetainfoException(what + ".length is negative: " + length);
                }
                List<BValue> pathList = ff.list(fd.has("path.utf-8") ? "path.utf-8" : "path");
                if (pathList.isEmpty()) {
                    throw new MetainfoException(what + ".path is empty");
                }
                if (pathList.size() > PathSanitizer.MAX_PATH_COMPONENTS) {
                    throw new MetainfoException(what + ".path has more than " + PathSanitizer.MAX_PATH_COMPONENTS + " components");
                }
                String attr = fd.get("attr").filter(a -> a instanceof BValue.BBytes)
                        .map(a -> ((BValue.BBytes) a).utf8()).orElse("");
                List<String> path = new ArrayList<>();
                for (BValue c : pathList) {
                    if (!(c instanceof BValue.BBytes b)) {
                        throw new MetainfoException(what + ".path has a component that is not a string");
                    }
                    path.add(PathSanitizer.component(utf8Strict(b.unsafeBytes(), what + ".path"), what + ".path"));
                }
                boolean pad = attr.contains("p") || path.getFirst().equals(".pad");
                if (!pad) {
                    String key = String.join("/", path);
                    if (!seen.add(key) || dirs.contains(key)) {
                        throw new MetainfoException(what + ".path duplicates another file: " + key);
                    }
                    StringBuilder prefix = new StringBuilder();
                    for (int c = 0; c < path.size() - 1; c++) {
                        if (c > 0) {
                            prefix.append('/');
                        }
                        prefix.append(path.get(c));
                        if (seen.contains(prefix.toString())) {
                            throw new MetainfoException(what + ".path is inside another file: " + key);
                        }
                        dirs.add(prefix.toString());
                    }
                }
                if (length > MAX_TOTAL_LENGTH - total) {
                    throw new MetainfoException("info: total length exceeds " + MAX_TOTAL_LENGTH + " bytes");
                }
                files.add(new TorrentFile(path, length, total, pad));
                total += length;
            }
        } else {
            long length = f.integer("length");
            if (length < 0) {
                throw new MetainfoException("info.length is negative: " + length);
            }
            if (length > MAX_TOTAL_LENGTH) {
                throw new MetainfoException("info.length " + length + " exceeds " + MAX_TOTAL_LENGTH + " bytes");
            }
            files.add(new TorrentFile(List.of(name), length, 0, false));
            total = length;
        }
        if (total == 0) {
            throw new MetainfoException("info: torrent has no data (total length 0)");
        }
        long expectedPieces = (total + pieceLength - 1) / pieceLength;
        if (expectedPieces != pieces.length / 20) {
            throw new MetainfoException("info.pieces has " + pieces.length / 20 + " hashes but "
                    + total + " bytes in pieces of " + pieceLength + " need " + expectedPieces);
        }
        return new TorrentInfo(InfoHash.ofInfo(raw), raw, name, (int) pieceLength, pieces, List.copyOf(files),
                total, isPrivate, multi);
    }

    private static String utf8Strict(byte[] b, String what) {
        var decoder = StandardCharsets.UTF_8.newDecoder();
        try {
            return decoder.decode(java.nio.ByteBuffer.wrap(b)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            // Old torrents use legacy encodings; keep the bytes readable rather than refuse the torrent.
            return new String(b, StandardCharsets.ISO_8859_1);
        }
    }

    public InfoHash infoHash() {
        return infoHash;
    }

    /** The exact bytes of the info dictionary; served to peers as metadata (BEP 9). */
    public byte[] rawBytes() {
        return raw.clone();
    }

    public int rawLength() {
        return raw.length;
    }

    public String name() {
        return name;
    }

    public int pieceLength() {
        return pieceLength;
    }

    public int pieceCount() {
        return pieceHashes.length / 20;
    }

    /** Length of piece {@code index}: the last piece is usually shorter. */
    public int pieceSize(int index) {
        if (index < 0 || index >= pieceCount()) {
            throw new IndexOutOfBoundsException("piece " + index + " of " + pieceCount());
        }
        return index == pieceCount() - 1 ? (int) (totalLength - (long) index * pieceLength) : pieceLength;
    }

    public byte[] pieceHash(int index) {
        return Arrays.copyOfRange(pieceHashes, index * 20, index * 20 + 20);
    }

    /** Compares without copying; used on the verification path. */
    public boolean pieceHashMatches(int index, byte[] digest) {
        return Arrays.equals(pieceHashes, index * 20, index * 20 + 20, digest, 0, 20);
    }

    /** Files in torrent order, pad files included (check {@link TorrentFile#pad()}). */
    public List<TorrentFile> files() {
        return files;
    }

    public long totalLength() {
        return totalLength;
    }

    public boolean isPrivate() {
        return isPrivate;
    }

    /** True when the name is a folder holding {@link #files()}; false for a single-file torrent. */
    public boolean multiFile() {
        return multiFile;
    }

    @Override
    public String toString() {
        return "TorrentInfo[" + infoHash.shortHex() + " '" + name + "' " + totalLength + " bytes, "
                + pieceCount() + " x " + pieceLength + ", " + files.size() + " files]";
    }
}
