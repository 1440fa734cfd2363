package org.hypertube.torrent;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;

/**
 * A peer connection's input after the handshake: one read system call fills a direct buffer
 * straight from the socket channel, and block data is copied once, from there into its piece. (A
 * {@link java.net.Socket}'s stream reads into a temporary direct buffer of the JDK and copies that
 * into the caller's array: one more copy of every byte downloaded.) Unlike
 * {@link java.io.BufferedInputStream}, it never asks the socket {@code available()} (an ioctl).
 *
 * <p>A channel read has no timeout of its own: {@link #idleNanos()} tells the session how long the
 * reader has been waiting in a read that brought nothing (as a socket timeout would count: time
 * spent elsewhere, e.g. held back by the rate limiter, does not count), and the session closes a
 * connection idle for too long, which ends the blocked read. One reader thread only.
 *
 * <p>The buffer starts small and grows once to {@link #MAX_SIZE} for a sender that fills it again
 * and again within {@link #FAST_REFILL_NANOS} (a sustained 5 MB/s or more): a fast peer (loopback,
 * LAN) then takes a quarter of the system calls. A reader that fell behind (rate limit, busy CPU)
 * also finds the buffer full, but not twice in quick succession, so slow peers keep the small one.
 */
final class PeerInput extends InputStream {
    private final ReadableByteChannel in;
    /** Bytes [{@link #pos}, {@link #limit}) are buffered; read with absolute gets, its position is only used for reading into it. */
    private ByteBuffer buf;
    /** A read filled the whole buffer: the next {@link #fill} or {@link #require} that reads takes a larger one. */
    private boolean grow;
    private boolean cannotGrow;
    static final int MAX_SIZE = 1 << 20;
    private int pos;
    private int limit;
    /** When the read in progress started; 0 while not in a read. */
    private volatile long readingSince;
    /** When a read last filled the buffer (0: never). */
    private long lastFullNanos;
    static final long FAST_REFILL_NANOS = 50_000_000L;

    /** No direct memory for a connection's buffer: our shortage, not the peer's fault. */
    static final class NoMemoryException extends IOException {
        NoMemoryException(OutOfMemoryError cause) {
            super("no memory left for the connection's buffer (" + cause.getMessage() + ")", cause);
        }
    }

    /** Throws {@link NoMemoryException} when there is no direct memory left for the buffer: the connection is refused, not the thread killed. */
    PeerInput(ReadableByteChannel in, int size) throws NoMemoryException {
        this.in = in;
        try {
            this.buf = ByteBuffer.allocateDirect(size);
        } catch (OutOfMemoryError e) {
            throw new NoMemoryException(e);
        }
    }

    /** Reads what the channel has (at least one byte) into the buffer from {@code at}; -1 at end of stream. */
    private int readAt(int at) throws IOException {
        buf.limit(buf.capacity()).position(at);
        long start = System.nanoTime();
        readingSince = start;
        int n;
        try {
            n = in.read(buf);
        } finally {
            readingSince = 0;
        }
        if (n > 0 && at + n == buf.capacity() && buf.capacity() < MAX_SIZE && !cannotGrow) {
            grow = lastFullNanos != 0 && start - lastFullNanos < FAST_REFILL_NANOS;
            lastFullNanos = start;
        }
        return n;
    }

    /**
     * The larger buffer when growth is due, else null. Without direct memory for it (the JDK has
     * already collected and retried) the connection keeps its buffer and never asks again.
     */
    private ByteBuffer larger() {
        if (!grow) {
            return null;
        }
        grow = false;
        try {
            return ByteBuffer.allocateDirect(MAX_SIZE);
        } catch (OutOfMemoryError e) {
            cannotGrow = true;
            return null;
        }
    }

    private boolean fill() throws IOException {
        pos = 0;
        limit = 0;
        ByteBuffer bigger = larger();
        if (bigger != null) {
            buf = bigger;
        }
        int n = readAt(0);
        if (n <= 0) {
            return false;
        }
        limit = n;
        return true;
    }

    @Override
    public int read() throws IOException {
        if (pos >= limit && !fill()) {
            return -1;
        }
        return buf.get(pos++) & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (pos >= limit) {
            if (len >= buf.capacity()) {
                readingSince = System.nanoTime();
                try {
                    return in.read(ByteBuffer.wrap(b, off, len));
                } finally {
                    readingSince = 0;
                }
            }
            if (!fill()) {
                return -1;
            }
        }
        int n = Math.min(len, limit - pos);
        buf.get(pos, b, off, n);
        pos += n;
        return n;
    }

    /**
     * Makes the next {@code n} bytes (at most the buffer size) contiguous in the buffer, reading as
     * needed, and returns their offset in {@link #buffer()}; {@link #skip(long)} them when done.
     */
    int require(int n) throws IOException {
        if (limit - pos >= n) {
            return pos;
        }
        if (n > buf.capacity()) {
            throw new IOException("cannot buffer " + n + " bytes");
        }
        ByteBuffer bigger = larger();
        if (bigger != null) {
            bigger.put(0, buf, pos, limit - pos);
            buf = bigger;
        } else {
            buf.limit(limit).position(pos);
            buf.compact();
        }
        limit -= pos;
        pos = 0;
        while (limit < n) {
            int r = readAt(limit);
            if (r < 0) {
                throw new java.io.EOFException();
            }
            limit += r;
        }
        return 0;
    }

    /** The buffer (it may be replaced by the next read); bytes up to {@link #limit()} are valid until then. */
    ByteBuffer buffer() {
        return buf;
    }

    /** Size of the buffer now. */
    int capacity() {
        return buf.capacity();
    }

    /** End of the buffered bytes in {@link #buffer()}. */
    int limit() {
        return limit;
    }

    /** How long the reader has been waiting in a read that brought nothing yet; 0 when it is not in a read. */
    long idleNanos() {
        long since = readingSince;
        return since == 0 ? 0 : System.nanoTime() - since;
    }

    @Override
    public long skip(long n) {
        int k = (int) Math.min(n, limit - pos);
        pos += k;
        return k;
    }

    @Override
    public int available() {
        return limit - pos;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
