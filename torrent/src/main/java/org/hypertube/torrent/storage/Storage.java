package org.hypertube.torrent.storage;

import java.io.Closeable;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import com.sun.nio.file.ExtendedOpenOption;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.function.IntConsumer;
import org.hypertube.torrent.metainfo.Sha1;
import org.hypertube.torrent.TorrentFile;
import org.hypertube.torrent.TorrentInfo;

/**
 * Maps pieces onto the torrent's files under {@code downloadDir}. Files are created on first
 * write and written sparsely. Thread-safe: positional reads and writes on shared channels.
 *
 * <p>Verified pieces are written around the page cache where the file system allows it
 * ({@code O_DIRECT}, {@link ExtendedOpenOption#DIRECT}): the block-aligned middle of each write goes
 * from an aligned buffer straight to the device, the unaligned edges (file ends, pieces straddling
 * files) through the page cache. A buffered write of a fresh page costs the kernel a page
 * allocation and a copy per page (on the benchmark VM about 3 s of system time per GiB against
 * 0.2 s direct); a download is read back rarely and at disk speed. Where the file system refuses
 * {@code O_DIRECT} (some network or FUSE file systems), every write is buffered. Writes are
 * serialised per torrent: concurrent writers to one file only spin on the kernel's inode lock.
 */
public final class Storage implements Closeable {
    private final TorrentInfo info;
    private final Path downloadDir;
    private final Path[] paths;
    private final FileChannel[] channels;
    /** Direct-I/O write channels beside {@link #channels}, opened on first write; none once one refused. */
    private final FileChannel[] directChannels;
    private final long[] offsets;
    private volatile boolean closed;
    /** Guards direct-channel opening and {@link #staging}; held for a whole piece write. */
    private final Object writeLock = new Object();
    private boolean directRefused;
    private boolean emptyFilesCreated;
    /** Alignment of direct writes (the file store's block size) and the aligned buffer they go through. */
    private int align;
    private ByteBuffer staging;
    private boolean stagingFailed;
    /** Largest staging buffer; a larger piece is written in several direct writes. */
    static final int MAX_STAGING = 4 << 20;
    /** Pieces of up to 1 GiB are legal: a check reads and hashes them in parts of this size. */
    static final int CHECK_CHUNK = 16 << 20;

    /** What resume data remembers about a file to notice it changed: size and modification time. */
    public record FileStamp(long size, long modifiedMillis) {}

    public Storage(TorrentInfo info, Path downloadDir) throws IOException {
        this.info = info;
        this.downloadDir = downloadDir.toAbsolutePath().normalize();
        List<TorrentFile> files = info.files();
        this.paths = new Path[files.size()];
        this.channels = new FileChannel[files.size()];
        this.directChannels = new FileChannel[files.size()];
        this.offsets = new long[files.size()];
        Path base = info.multiFile() ? this.downloadDir.resolve(info.name()) : this.downloadDir;
        for (int i = 0; i < files.size(); i++) {
            TorrentFile f = files.get(i);
            offsets[i] = f.offset();
            if (f.pad()) {
                continue;
            }
            Path p = base;
            for (String c : f.path()) {
                p = p.resolve(c);
            }
            p = p.normalize();
            // The metainfo parser made each element a plain name; this is the last line of defence.
            if (!p.startsWith(this.downloadDir) || p.equals(this.downloadDir)) {
                throw new IOException("file path escapes the download folder: " + f.displayPath());
            }
            paths[i] = p;
        }
    }

    public TorrentInfo info() {
        return info;
    }

    /** Where the torrent's file (single-file) or folder (multi-file) is. */
    public Path root() {
        return downloadDir.resolve(info.name());
    }

    public List<Path> filePaths() {
        List<Path> out = new ArrayList<>();
        for (Path p : paths) {
            if (p != null) {
                out.add(p);
            }
        }
        return out;
    }

    private synchronized FileChannel channel(int file, boolean create) throws IOException {
        if (closed) {
            // Never reopen (and so recreate) a file after close: the torrent may have been removed.
            throw new java.nio.channels.ClosedChannelException();
        }
        FileChannel c = channels[file];
        if (c == null) {
            Path p = paths[file];
            if (!create && !Files.exists(p)) {
                return null;
            }
            Files.createDirectories(p.getParent());
            // A symlinked folder inside the download folder must not lead writes outside it.
            Path realDir = downloadDir.toRealPath();
            if (!p.getParent().toRealPath().startsWith(realDir)) {
                throw new IOException("file's folder resolves outside the download folder: " + p);
            }
            c = FileChannel.open(p, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            channels[file] = c;
        }
        return c;
    }

    private int fileAt(long offset) {
        int lo = 0, hi = offsets.length - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (offsets[mid] <= offset) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        // Skip zero-length files that share the offset.
        while (lo < offsets.length - 1 && info.files().get(lo).length() == 0) {
            lo++;
        }
        return lo;
    }

    /** Writes a whole verified piece. */
    public void writePiece(int piece, byte[] data) throws IOException {
        writePiece(piece, ByteBuffer.wrap(data));
    }

    /**
     * Writes a verified piece, {@code data}'s bytes from index 0. A direct buffer whose memory is
     * aligned like the files' blocks (see {@link #pieceBuffer}) is written with direct I/O as it
     * is; any other goes through an aligned staging buffer first.
     */
    public void writePiece(int piece, ByteBuffer data) throws IOException {
        synchronized (writeLock) {
            if (!emptyFilesCreated) {
                // Empty files hold no piece, so no write would create them; they come with the first piece.
                emptyFilesCreated = true;
                for (int f = 0; f < paths.length; f++) {
                    if (paths[f] != null && info.files().get(f).length() == 0) {
                        channel(f, true);
                    }
                }
            }
            io(piece, 0, data, 0, info.pieceSize(piece), true);
        }
    }

    /**
     * A buffer for assembling a piece of {@code size} bytes: direct memory aligned to a page, so
     * that {@link #writePiece(int, ByteBuffer)} needs no copy for direct I/O.
     */
    public static ByteBuffer pieceBuffer(int size) {
        // alignedSlice keeps whole pages only: room for the size rounded up to a page, plus one page of slack.
        return ByteBuffer.allocateDirect(Math.ceilDiv(size, PAGE) * PAGE + PAGE).alignedSlice(PAGE).slice(0, size);
    }

    private static final int PAGE = 4096;

    /** Direct writes made from the caller's buffer without staging (under {@link #writeLock}); for tests. */
    private long unstagedWrites;

    long unstagedWrites() {
        synchronized (writeLock) {
            return unstagedWrites;
        }
    }

    /** Whether this torrent's file system refused direct I/O (then every write is buffered); for tests. */
    boolean directRefused() {
        return directRefused;
    }

    /** Reads {@code len} bytes at {@code begin} of {@code piece}; pad bytes and missing files read as zeros. */
    public void read(int piece, int begin, byte[] dst, int off, int len) throws IOException {
        io(piece, begin, ByteBuffer.wrap(dst), off, len, false);
    }

    /** Reads or writes {@code buf}'s bytes [{@code off}, {@code off + len}) (absolute indexes; its position is not used). */
    private void io(int piece, int begin, ByteBuffer buf, int off, int len, boolean write) throws IOException {
        long pos = (long) piece * info.pieceLength() + begin;
        int done = 0;
        int f = fileAt(pos);
        while (done < len) {
            TorrentFile tf = info.files().get(f);
            long inFile = pos + done - tf.offset();
            int n = (int) Math.min(len - done, tf.length() - inFile);
            if (n <= 0) {
                f++;
                if (f >= paths.length) {
                    throw new IOException("piece " + piece + " extends past the torrent's end");
                }
                continue;
            }
            if (tf.pad()) {
                if (!write) {
                    zero(buf, off + done, n);
                }
            } else {
                FileChannel c = channel(f, write);
                if (c == null) {
                    zero(buf, off + done, n);
                } else if (write) {
                    writeSegment(f, c, inFile, buf, off + done, n);
                } else {
                    ByteBuffer bb = buf.slice(off + done, n);
                    long at = inFile;
                    while (bb.hasRemaining()) {
                        int r = c.read(bb, at);
                        if (r < 0) {
                            zero(bb, bb.position(), bb.remaining());
                            break;
                        }
                        at += r;
                    }
                }
            }
            done += n;
            f++;
        }
    }

    private static void zero(ByteBuffer buf, int from, int n) {
        MemorySegment.ofBuffer(buf.slice(from, n)).fill((byte) 0);
    }

    /** Writes {@code n} bytes at {@code at} of file {@code f}: the aligned middle direct when possible. Under {@link #writeLock}. */
    private void writeSegment(int f, FileChannel c, long at, ByteBuffer buf, int off, int n) throws IOException {
        FileChannel d = directChannel(f);
        if (d != null) {
            long start = Math.ceilDiv(at, align) * align;
            long end = Math.floorDiv(at + n, align) * align;
            if (end > start) {
                writeBuffered(c, at, buf, off, (int) (start - at));
                int src = off + (int) (start - at);
                try {
                    if (buf.isDirect() && buf.alignmentOffset(src, align) == 0) {
                        // The piece's own memory is aligned: written as it is, no copy.
                        unstagedWrites++;
                        ByteBuffer middle = buf.slice(src, (int) (end - start));
                        for (long pos = start; middle.hasRemaining(); ) {
                            pos += d.write(middle, pos);
                        }
                    } else if (staging() != null) {
                        for (long pos = start; pos < end; ) {
                            int chunk = (int) Math.min(end - pos, staging.capacity());
                            staging.clear();
                            staging.put(0, buf, src, chunk).limit(chunk);
                            while (staging.hasRemaining()) {
                                pos += d.write(staging, pos);
                            }
                            src += chunk;
                        }
                    } else {
                        writeBuffered(c, start, buf, src, (int) (end - start));
                    }
                } catch (IOException e) {
                    // A file system may accept O_DIRECT at open and refuse the writes (alignment it
                    // does not report, EINVAL): write buffered from now on. A full disk fails again
                    // below, with its own message.
                    refuseDirect();
                    writeBuffered(c, start, buf, off + (int) (start - at), (int) (end - start));
                }
                writeBuffered(c, end, buf, off + (int) (end - at), (int) (at + n - end));
                return;
            }
        }
        writeBuffered(c, at, buf, off, n);
    }

    /**
     * The aligned buffer that unaligned data is copied through for a direct write, allocated when
     * first needed (pieces assembled in {@link #pieceBuffer}s never need it); null when there is no
     * direct memory left for it, and the caller writes through the page cache instead. Under {@link #writeLock}.
     */
    private ByteBuffer staging() {
        if (staging == null && !stagingFailed) {
            int size = (int) Math.min(MAX_STAGING, Math.ceilDiv((long) info.pieceLength(), align) * align);
            try {
                staging = ByteBuffer.allocateDirect(size + align).alignedSlice(align);
            } catch (OutOfMemoryError e) {
                stagingFailed = true;
            }
        }
        return staging;
    }

    /** Stops direct writes for this torrent and closes their channels. Under {@link #writeLock}. */
    private void refuseDirect() {
        directRefused = true;
        synchronized (this) {
            for (int i = 0; i < directChannels.length; i++) {
                if (directChannels[i] != null) {
                    try {
                        directChannels[i].close();
                    } catch (IOException ignored) {
                        // nothing was pending on it
                    }
                    directChannels[i] = null;
                }
            }
        }
    }

    private static void writeBuffered(FileChannel c, long at, ByteBuffer buf, int off, int n) throws IOException {
        ByteBuffer bb = buf.slice(off, n);
        while (bb.hasRemaining()) {
            at += c.write(bb, at);
        }
    }

    /**
     * The direct-I/O channel of file {@code f} (its buffered channel is open, so the file exists), or
     * null when the file system refuses direct I/O. Under {@link #writeLock}.
     */
    private FileChannel directChannel(int f) throws IOException {
        if (directRefused) {
            return null;
        }
        synchronized (this) {
            if (closed) {
                throw new java.nio.channels.ClosedChannelException();
            }
            if (directChannels[f] != null) {
                return directChannels[f];
            }
        }
        FileChannel d;
        try {
            if (align == 0) {
                // The file store's block size, at least a page: a multiple of any device's logical block.
                long block = Math.max(4096, Files.getFileStore(paths[f]).getBlockSize());
                if (Long.bitCount(block) != 1 || block > (1 << 20)) {
                    directRefused = true;
                    return null;
                }
                align = (int) block;
            }
            d = FileChannel.open(paths[f], StandardOpenOption.WRITE, ExtendedOpenOption.DIRECT);
        } catch (IOException | UnsupportedOperationException e) {
            // EINVAL from open(O_DIRECT) and the like: this file system takes buffered writes only.
            directRefused = true;
            return null;
        }
        synchronized (this) {
            if (closed) {
                d.close();
                throw new java.nio.channels.ClosedChannelException();
            }
            directChannels[f] = d;
        }
        return d;
    }

    /** True when every non-pad file touching {@code piece} exists and is long enough to hold its part. */
    boolean pieceOnDisk(int piece) {
        long start = (long) piece * info.pieceLength();
        long end = start + info.pieceSize(piece);
        for (int f = fileAt(start); f < paths.length && offsets[f] < end; f++) {
            TorrentFile tf = info.files().get(f);
            if (tf.pad() || tf.length() == 0) {
                continue;
            }
            try {
                long need = Math.min(tf.length(), end - tf.offset());
                if (!Files.exists(paths[f]) || Files.size(paths[f]) < need) {
                    return false;
                }
            } catch (IOException e) {
                return false;
            }
        }
        return true;
    }

    /** Hashes the given pieces from disk; returns those that match. */
    public BitSet check(BitSet candidates, IntConsumer progress) throws IOException {
        Sha1 sha1 = Sha1.create();
        // A piece's worth (at most CHECK_CHUNK), once a piece is on disk (a new download has none).
        ByteBuffer buf = null;
        BitSet ok = new BitSet(info.pieceCount());
        for (int i = candidates.nextSetBit(0); i >= 0; i = candidates.nextSetBit(i + 1)) {
            if (pieceOnDisk(i)) {
                if (buf == null) {
                    buf = Sha1.buffer(Math.min(info.pieceLength(), CHECK_CHUNK));
                }
                int size = info.pieceSize(i);
                for (int at = 0; at < size; at += buf.capacity()) {
                    int n = Math.min(buf.capacity(), size - at);
                    io(i, at, buf, 0, n, false);
                    sha1.update(buf.slice(0, n));
                }
                if (info.pieceHashMatches(i, sha1.digest())) {
                    ok.set(i);
                }
            }
            progress.accept(i);
        }
        return ok;
    }

    /** Pieces overlapping file {@code index}. */
    public BitSet piecesOfFile(int index) {
        TorrentFile tf = info.files().get(index);
        BitSet b = new BitSet();
        if (tf.length() == 0) {
            return b;
        }
        int first = (int) (tf.offset() / info.pieceLength());
        int last = (int) ((tf.offset() + tf.length() - 1) / info.pieceLength());
        b.set(first, last + 1);
        return b;
    }

    /** Size and modification time of each file (pad and missing files as {@code (-1, -1)}). */
    public List<FileStamp> stamps() {
        List<FileStamp> out = new ArrayList<>();
        for (Path p : paths) {
            try {
                if (p == null || !Files.exists(p)) {
                    out.add(new FileStamp(-1, -1));
                } else {
                    FileTime t = Files.getLastModifiedTime(p);
                    out.add(new FileStamp(Files.size(p), t.toMillis()));
                }
            } catch (IOException e) {
                out.add(new FileStamp(-1, -1));
            }
        }
        return out;
    }

    /** Forces written data to disk so resume data saved after this call never claims unwritten pieces. */
    public void flush() throws IOException {
        FileChannel[] snapshot;
        synchronized (this) {
            snapshot = channels.clone();
        }
        for (FileChannel c : snapshot) {
            if (c != null && c.isOpen()) {
                c.force(false);
            }
        }
    }

    @Override
    public synchronized void close() throws IOException {
        closed = true;
        IOException failure = null;
        for (FileChannel[] all : List.of(channels, directChannels)) {
            for (int i = 0; i < all.length; i++) {
                if (all[i] != null) {
                    try {
                        all[i].close();
                    } catch (IOException e) {
                        failure = e;
                    }
                    all[i] = null;
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
