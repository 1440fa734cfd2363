package org.hypertube.torrent;

import org.hypertube.torrent.metainfo.Sha1;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.hypertube.torrent.bencode.BValue;
import org.hypertube.torrent.bencode.Bencode;

/**
 * Builds a v1 .torrent for a file or a folder (files in sorted path order, hidden files skipped).
 * The piece length defaults to a size giving roughly 1000-2000 pieces, between 16 KiB and 16 MiB.
 */
public final class TorrentCreator {
    private final List<String> trackers = new ArrayList<>();
    private final List<String> webSeeds = new ArrayList<>();
    private int pieceLength;
    private boolean isPrivate;
    private String createdBy = "Hypertube";
    private Clock clock = Clock.systemUTC();

    public TorrentCreator tracker(String url) {
        if (!Metainfo.isTrackerUrl(url)) {
            throw new MetainfoException("tracker URL must be http, https or udp: " + url);
        }
        trackers.add(url);
        return this;
    }

    public TorrentCreator webSeed(String url) {
        webSeeds.add(url);
        return this;
    }

    public TorrentCreator pieceLength(int bytes) {
        if (bytes < 16 * 1024 || Integer.bitCount(bytes) != 1 || bytes > (64 << 20)) {
            throw new MetainfoException("piece length must be a power of two from 16384 to 67108864, got " + bytes);
        }
        this.pieceLength = bytes;
        return this;
    }

    public TorrentCreator privateTorrent(boolean value) {
        this.isPrivate = value;
        return this;
    }

    public TorrentCreator createdBy(String value) {
        this.createdBy = value;
        return this;
    }

    public TorrentCreator clock(Clock value) {
        this.clock = value;
        return this;
    }

    /** Reads and hashes {@code path} and returns the encoded .torrent. */
    public byte[] create(Path path) throws IOException {
        if (!Files.exists(path)) {
            throw new MetainfoException("no such file or folder: " + path);
        }
        Path base = path.toAbsolutePath().normalize();
        String name = base.getFileName().toString();
        List<Path> files = new ArrayList<>();
        boolean multi = Files.isDirectory(base);
        if (multi) {
            try (Stream<Path> walk = Files.walk(base)) {
                walk.filter(Files::isRegularFile)
                        .filter(p -> base.relativize(p).toString().chars().noneMatch(c -> c == 0)
                                && !p.getFileName().toString().startsWith("."))
                        .sorted()
                        .forEach(files::add);
            }
            if (files.isEmpty()) {
                throw new MetainfoException("folder has no files: " + path);
            }
        } else {
            files.add(base);
        }
        // Sizes are read once: the info dictionary and the hashing use the same ones.
        long[] sizes = new long[files.size()];
        long total = 0;
        for (int i = 0; i < sizes.length; i++) {
            sizes[i] = Files.size(files.get(i));
            total += sizes[i];
        }
        if (total == 0) {
            throw new MetainfoException("nothing to share: total size is 0 bytes");
        }
        int pl = pieceLength > 0 ? pieceLength : defaultPieceLength(total);
        List<List<String>> paths = new ArrayList<>();
        for (Path f : files) {
            List<String> p = new ArrayList<>();
            base.relativize(f).forEach(c -> p.add(c.toString()));
            paths.add(multi ? p : List.of(name));
        }
        // Before hashing: a name that readers sanitise or rename would not be found where it is, so
        // seeding from here would fail.
        TorrentInfo read = TorrentInfo.from(info(name, multi, paths, sizes, pl, new byte[(int) (20 * ((total + pl - 1) / pl))]));
        if (!read.name().equals(name)) {
            throw new MetainfoException("name '" + name + "' would be read as '" + read.name() + "'");
        }
        for (int i = 0; i < paths.size(); i++) {
            if (!read.files().get(i).path().equals(paths.get(i))) {
                throw new MetainfoException("file '" + String.join("/", paths.get(i)) + "' would be read as '"
                        + read.files().get(i).displayPath() + "'");
            }
        }
        BValue.BDict info = info(name, multi, paths, sizes, pl, hash(files, sizes, total, pl));
        List<BValue> tiers = trackers.stream().<BValue>map(t -> Bencode.list(List.of(Bencode.string(t)))).toList();
        BValue.BDict root = Bencode.dict(
                "announce", trackers.isEmpty() ? null : trackers.getFirst(),
                "announce-list", trackers.size() > 1 ? Bencode.list(tiers) : null,
                "created by", createdBy,
                "creation date", clock.instant().getEpochSecond(),
                "info", info,
                "url-list", webSeeds.isEmpty() ? null
                        : Bencode.list(webSeeds.stream().map(Bencode::string).toList()));
        return Bencode.encode(root);
    }

    private BValue.BDict info(String name, boolean multi, List<List<String>> paths, long[] sizes, int pl, byte[] pieces) {
        if (!multi) {
            return Bencode.dict("length", sizes[0], "name", name, "piece length", pl, "pieces", pieces,
                    "private", isPrivate ? 1 : null);
        }
        List<BValue> fileList = new ArrayList<>();
        for (int i = 0; i < paths.size(); i++) {
            fileList.add(Bencode.dict("length", sizes[i], "path", Bencode.list(paths.get(i).stream().map(Bencode::string).toList())));
        }
        return Bencode.dict("files", Bencode.list(fileList), "name", name, "piece length", pl, "pieces", pieces,
                "private", isPrivate ? 1 : null);
    }

    static int defaultPieceLength(long total) {
        int pl = 16 * 1024;
        while (pl < (16 << 20) && total / pl > 2000) {
            pl <<= 1;
        }
        return pl;
    }

    /** The pieces' SHA-1s over exactly {@code sizes[i]} bytes of each file; a file that changed size meanwhile is an error. */
    private static byte[] hash(List<Path> files, long[] sizes, long total, int pieceLength) throws IOException {
        Sha1 sha1 = Sha1.create();
        int count = (int) ((total + pieceLength - 1) / pieceLength);
        byte[] out = new byte[count * 20];
        ByteBuffer buf = Sha1.buffer(pieceLength);
        int n = 0;
        for (int i = 0; i < sizes.length; i++) {
            try (FileChannel in = FileChannel.open(files.get(i), StandardOpenOption.READ)) {
                long left = sizes[i];
                while (left > 0) {
                    int want = (int) Math.min(buf.remaining(), left);
                    int r = in.read(buf.limit(buf.position() + want));
                    buf.limit(buf.capacity());
                    if (r < 0) {
                        throw new IOException("files changed while hashing: " + files.get(i) + " is shorter than "
                                + sizes[i] + " bytes");
                    }
                    left -= r;
                    if (!buf.hasRemaining()) {
                        sha1.update(buf.flip());
                        System.arraycopy(sha1.digest(), 0, out, 20 * n++, 20);
                        buf.clear();
                    }
                }
                if (in.size() != sizes[i]) {
                    throw new IOException("files changed while hashing: " + files.get(i) + " is now " + in.size()
                            + " bytes, not " + sizes[i]);
                }
            }
        }
        if (buf.position() > 0) {
            sha1.update(buf.flip());
            System.arraycopy(sha1.digest(), 0, out, 20 * n++, 20);
        }
        return out;
    }
}
