package org.hypertube.torrent;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.hypertube.torrent.bencode.BValue;
import org.hypertube.torrent.bencode.Bencode;
import org.hypertube.torrent.bencode.BencodeException;

/**
 * A parsed, validated v1 info dictionary (BEP 3): what pieces make up the torrent and which files
 * they fill. Hybrid v1+v2 dictionaries are read through their v1 keys. Accepts what libtorrent 2.0
 * accepts, with its file names (see {@link PathSanitizer}, {@link FileNames}). Immutable.
 */
public final class TorrentInfo {
    /** libtorrent's default {@code max_piece_count}; bounds memory for bitfields and hashes. */
    public static final int MAX_PIECES = 1 << 21;
    /** libtorrent's bound (INT_MAX / 2). Nothing piece-sized is allocated while parsing. */
    public static final long MAX_PIECE_LENGTH = Integer.MAX_VALUE / 2;
    /** Ours: libtorrent has none, but every file costs memory here and in storage. */
    public static final int MAX_FILES = 100_000;
    /** libtorrent's {@code max_file_offset}, 2^48 - 1 bytes (256 TiB). */
    public static final long MAX_TOTAL_LENGTH = (1L << 48) - 1;
    /** libtorrent refuses a file of (INT_MAX / 2) 16 KiB blocks or more (16 TiB). */
    static final long MAX_FILE_LENGTH = (long) (Integer.MAX_VALUE / 2) * 16384 - 1;
    /** libtorrent's {@code filename_too_long}: a file name (after sanitising) of 4096 bytes or more. */
    private static final int MAX_FILE_NAME_BYTES = 4095;
    /** BitComet marks its pad files by name only. */
    private static final String BITCOMET_PAD = "_____padding_file_";

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
            v = Bencode.decode(rawInfo, 0, rawInfo.length, Metainfo.LIMITS, Bencode.Syntax.LIBTORRENT);
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
        InfoHash infoHash = InfoHash.ofInfo(raw);
        Fields f = new Fields(info);
        long version = metaVersion(f, raw);
        long pieceLength = f.integer("piece length").orElse(-1L);
        if (pieceLength <= 0 || pieceLength > MAX_PIECE_LENGTH) {
            throw new MetainfoException("info.piece length " + pieceLength + " is missing or outside 1.." + MAX_PIECE_LENGTH);
        }
        if (version > 1 && (pieceLength < 16384 || (pieceLength & (pieceLength - 1)) != 0)) {
            throw new MetainfoException("info.piece length " + pieceLength + " of a v2 torrent is not a power of two of 16 KiB or more");
        }
        byte[] rawName = f.bytes("name.utf-8").or(() -> f.bytes("name"))
                .orElseThrow(() -> new MetainfoException("info.name is missing"));
        Optional<List<BValue>> fileList = f.list("files");
        if (fileList.isEmpty() && version >= 2 && !info.has("length")) {
            throw new MetainfoException("v2-only torrents are not supported (no v1 'files' or 'length')");
        }

        String name = PathSanitizer.element(rawName);
        List<TorrentFile> files;
        boolean multi = fileList.isPresent();
        if (multi) {
            // libtorrent names a torrent whose name is nothing but dots by its info-hash.
            name = PathSanitizer.fitName(name.isEmpty() ? infoHash.hex() : name);
            files = files(fileList.get(), name);
        } else {
            if (rawName.length == 0 || name.isEmpty()) {
                throw new MetainfoException("info.name '" + new String(rawName, StandardCharsets.UTF_8) + "' leaves no file name");
            }
            checkFileName(name, "info.name");
            name = PathSanitizer.fitName(name);
            String attr = f.text("attr").orElse("");
            files = List.of(new TorrentFile(List.of(name), fileLength(f, attr, "info"), 0,
                    attr.indexOf('p') >= 0 || name.contains(BITCOMET_PAD)));
        }
        long total = files.getLast().offset() + files.getLast().length();
        long expectedPieces = (total + pieceLength - 1) / pieceLength;
        if (expectedPieces > MAX_PIECES) {
            throw new MetainfoException("info: " + total + " bytes in pieces of " + pieceLength + " make more than " + MAX_PIECES + " pieces");
        }
        byte[] pieces = f.bytes("pieces").orElseThrow(() -> new MetainfoException("info.pieces is missing"));
        if (pieces.length % 20 != 0) {
            throw new MetainfoException("info.pieces length " + pieces.length + " is not a multiple of 20");
        }
        if (expectedPieces != pieces.length / 20) {
            throw new MetainfoException("info.pieces has " + pieces.length / 20 + " hashes but "
                    + total + " bytes in pieces of " + pieceLength + " need " + expectedPieces);
        }
        if (total == 0) {
            throw new MetainfoException("info: torrent has no data (total length 0)");
        }
        boolean isPrivate = f.integer("private").orElse(0L) != 0;
        return new TorrentInfo(infoHash, raw, name, (int) pieceLength, pieces, files, total, isPrivate, multi);
    }

    /** The meta version (-1 when absent); libtorrent holds a versioned info dictionary to canonical bencoding. */
    private static long metaVersion(Fields f, byte[] raw) {
        long version = f.integer("meta version").orElse(-1L);
        if (version > 0) {
            try {
                Bencode.decode(raw, 0, raw.length, Metainfo.LIMITS, Bencode.Syntax.LIBTORRENT_CANONICAL);
            } catch (BencodeException e) {
                throw new MetainfoException("info of meta version " + version + " is not canonical bencoding: " + e.getMessage(), e);
            }
            if (version > 2) {
                throw new MetainfoException("info.meta version " + version + " is unknown");
            }
        }
        boolean fileTree = f.dictionary("file tree").isPresent();
        if (version >= 2 && !fileTree) {
            throw new MetainfoException("info of meta version 2 has no 'file tree'");
        }
        if (version < 2 && fileTree) {
            throw new MetainfoException("info has a v2 'file tree' but no meta version 2");
        }
        return version;
    }

    /** The files of a multi-file torrent named {@code name}, their paths sanitised and made distinct. */
    private static List<TorrentFile> files(List<BValue> list, String name) {
        if (list.isEmpty()) {
            throw new MetainfoException("info.files is empty");
        }
        if (list.size() > MAX_FILES) {
            throw new MetainfoException("info.files has " + list.size() + " entries, more than " + MAX_FILES);
        }
        FileNames names = new FileNames();
        List<TorrentFile> files = new ArrayList<>(list.size());
        long total = 0;
        for (int i = 0; i < list.size(); i++) {
            String what = "info.files[" + i + "]";
            if (!(list.get(i) instanceof BValue.BDict fd)) {
                throw new MetainfoException(what + " is not a dictionary");
            }
            Fields ff = new Fields(fd);
            String attr = ff.text("attr").orElse("");
            long length = fileLength(ff, attr, what);
            boolean pad = attr.indexOf('p') >= 0;
            List<BValue> elements = ff.list("path.utf-8").or(() -> ff.list("path")).orElse(List.of());
            boolean rooted = !elements.isEmpty();
            List<String> path;
            if (rooted) {
                path = path(elements, what);
            } else if (pad) {
                path = List.of(".pad", Long.toString(length)); // libtorrent keeps these outside the torrent's folder
            } else {
                throw new MetainfoException(what + ".path is missing or empty");
            }
            pad |= (name + "/" + String.join("/", path)).contains(BITCOMET_PAD);
            if (length > MAX_TOTAL_LENGTH - total) {
                throw new MetainfoException("info: total length exceeds " + MAX_TOTAL_LENGTH + " bytes");
            }
            names.add(path, length, pad, rooted);
            files.add(new TorrentFile(path, length, total, pad));
            total += length;
        }
        List<List<String>> paths = names.resolveDuplicates();
        for (int i = 0; i < files.size(); i++) {
            TorrentFile tf = files.get(i);
            files.set(i, new TorrentFile(paths.get(i), tf.length(), tf.offset(), tf.pad()));
        }
        return List.copyOf(files);
    }

    private static List<String> path(List<BValue> elements, String what) {
        List<String> path = new ArrayList<>();
        for (BValue e : elements) {
            if (!(e instanceof BValue.BBytes)) {
                throw new MetainfoException(what + ".path has an element that is not a string");
            }
        }
        for (BValue e : elements) {
            String element = PathSanitizer.element(((BValue.BBytes) e).unsafeBytes());
            if (!element.isEmpty()) {
                path.add(element);
            }
        }
        if (path.isEmpty()) {
            path.add("_"); // every element was dropped
        }
        checkFileName(path.getLast(), what + ".path");
        return path.stream().map(PathSanitizer::fitName).toList();
    }

    /** A symlink ('l') takes no bytes whatever its length says; libtorrent bounds a file to 16 TiB. */
    private static long fileLength(Fields f, String attr, String what) {
        long length = attr.indexOf('l') >= 0 ? 0 : f.integer("length").orElse(-1L);
        if (length < 0 || length > MAX_FILE_LENGTH) {
            throw new MetainfoException(what + ".length " + length + " is missing or outside 0.." + MAX_FILE_LENGTH);
        }
        return length;
    }

    private static void checkFileName(String fileName, String what) {
        int bytes = fileName.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_FILE_NAME_BYTES) {
            throw new MetainfoException(what + ": file name of " + bytes + " bytes is too long");
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
