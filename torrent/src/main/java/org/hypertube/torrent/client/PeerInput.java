package org.hypertube.torrent.client;

import java.io.IOException;
import java.io.InputStream;

/**
 * A buffered socket input without {@link java.io.BufferedInputStream}'s habit of asking the socket
 * {@code available()} (an ioctl) on every read: one read system call fills the buffer, block data
 * is then copied straight out of it.
 */
final class PeerInput extends InputStream {
    private final InputStream in;
    private final byte[] buf;
    private int pos;
    private int limit;

    PeerInput(InputStream in, int size) {
        this.in = in;
        this.buf = new byte[size];
    }

    private boolean fill() throws IOException {
        pos = 0;
        limit = 0;
        int n = in.read(buf, 0, buf.length);
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
        return buf[pos++] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (pos >= limit) {
            if (len >= buf.length) {
                return in.read(b, off, len);
            }
            if (!fill()) {
                return -1;
            }
        }
        int n = Math.min(len, limit - pos);
        System.arraycopy(buf, pos, b, off, n);
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
        if (n > buf.length) {
            throw new IOException("cannot buffer " + n + " bytes");
        }
        System.arraycopy(buf, pos, buf, 0, limit - pos);
        limit -= pos;
        pos = 0;
        while (limit < n) {
            int r = in.read(buf, limit, buf.length - limit);
            if (r < 0) {
                throw new java.io.EOFException();
            }
            limit += r;
        }
        return 0;
    }

    byte[] buffer() {
        return buf;
    }

    /** End of the buffered bytes in {@link #buffer()}. */
    int limit() {
        return limit;
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
