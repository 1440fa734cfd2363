package org.hypertube.torrent;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;
import java.time.Duration;
import java.util.Objects;

/**
 * {@link TorrentStream} over one file of a {@link TorrentSession}. The reader's own state (position,
 * time-out) is confined to its thread; what the session needs for wishes ({@link #wishPosition},
 * {@link #window}, {@link #open}) is written under the session's lock.
 */
final class SessionStream implements TorrentStream {
    /** Most bytes copied by one read call: a large buffer waits for nothing but is served in parts. */
    private static final int MAX_READ = 1 << 20;

    private final TorrentSession session;
    private final int fileIndex;
    /** The file's first byte in the torrent. */
    final long fileOffset;
    final long length;
    private long position;
    private long timeoutNanos = DEFAULT_READ_TIMEOUT.toNanos();
    private byte[] scratch;

    // guarded by the session
    long wishPosition;
    long window = DEFAULT_READAHEAD;
    boolean open = true;
    /** In a read waiting for the piece at {@link #wishPosition} (that piece outranks every readahead): the order it blocked in, else 0. */
    long blocked;

    SessionStream(TorrentSession session, int fileIndex, long fileOffset, long length) {
        this.session = session;
        this.fileIndex = fileIndex;
        this.fileOffset = fileOffset;
        this.length = length;
    }

    @Override
    public int fileIndex() {
        return fileIndex;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        ensureOpen();
        if (position >= length) {
            return -1;
        }
        if (!dst.hasRemaining()) {
            return 0;
        }
        long at = fileOffset + position;
        long want = Math.min(Math.min(dst.remaining(), MAX_READ), length - position);
        // Blocks until the piece under the position is verified; answers how much is readable from there.
        long readable = session.awaitReadable(this, at, want, timeoutNanos);
        int n = (int) Math.min(want, readable);
        if (dst.hasArray()) {
            session.readVerified(at, dst.array(), dst.arrayOffset() + dst.position(), n);
            dst.position(dst.position() + n);
        } else {
            if (scratch == null || scratch.length < n) {
                scratch = new byte[(int) Math.min(MAX_READ, Math.max(n, 64 * 1024))];
            }
            session.readVerified(at, scratch, 0, n);
            dst.put(scratch, 0, n);
        }
        moveTo(position + n);
        return n;
    }

    @Override
    public int write(ByteBuffer src) {
        throw new NonWritableChannelException();
    }

    @Override
    public long position() throws IOException {
        ensureOpen();
        return position;
    }

    @Override
    public SeekableByteChannel position(long newPosition) throws IOException {
        if (newPosition < 0) {
            throw new IllegalArgumentException("negative position " + newPosition);
        }
        ensureOpen();
        moveTo(newPosition);
        return this;
    }

    private void moveTo(long p) {
        long old = position;
        position = p;
        session.streamMoved(this, old, p);
    }

    @Override
    public long size() throws IOException {
        ensureOpen();
        return length;
    }

    @Override
    public SeekableByteChannel truncate(long size) {
        throw new NonWritableChannelException();
    }

    @Override
    public void setBitrate(long bytesPerSecond) {
        session.streamWindow(this, TorrentStream.readaheadFor(bytesPerSecond));
    }

    @Override
    public long readableFrom(long offset) {
        if (offset < 0 || offset >= length) {
            return 0;
        }
        return session.readableBytes(fileOffset + offset, length - offset);
    }

    @Override
    public void setReadTimeout(Duration timeout) {
        Objects.requireNonNull(timeout);
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("read time-out must be positive, got " + timeout);
        }
        this.timeoutNanos = timeout.toNanos();
    }

    @Override
    public boolean isOpen() {
        return session.streamOpen(this);
    }

    private void ensureOpen() throws IOException {
        if (!isOpen()) {
            throw new ClosedChannelException();
        }
    }

    @Override
    public void close() {
        session.closeStream(this);
    }

    @Override
    public String toString() {
        return "TorrentStream[file " + fileIndex + " at " + position + " of " + length + "]";
    }
}
