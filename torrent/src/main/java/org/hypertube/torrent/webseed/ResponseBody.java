package org.hypertube.torrent.webseed;

import static org.hypertube.torrent.webseed.ResponseHead.protocol;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Locale;
import org.hypertube.torrent.webseed.WebSeedException.Kind;

/**
 * A response body, framed by {@code Content-Length} or by chunks, read into the caller's buffer
 * without ever taking more than was asked, or skipped when small (so the connection can be reused).
 */
final class ResponseBody {
    /** A chunk-size line: at most 15 hex digits (no overflow) plus a short extension. */
    static final int MAX_CHUNK_LINE = 256;
    private static final long UNTIL_CLOSE = -1;

    private ResponseBody() {}

    /**
     * How the body is delimited: its length, {@link Long#MAX_VALUE} when chunked, or -1 when it runs
     * until the server closes. Conflicting or unknown framings are refused.
     */
    static long framing(ResponseHead head) throws WebSeedException {
        List<String> te = head.elements("transfer-encoding");
        List<String> lengths = head.elements("content-length");
        if (!te.isEmpty()) {
            if (!lengths.isEmpty()) {
                throw protocol("both Transfer-Encoding and Content-Length");
            }
            if (head.minorVersion() == 0 || te.size() != 1 || !te.getFirst().toLowerCase(Locale.ROOT).equals("chunked")) {
                throw protocol("unsupported Transfer-Encoding " + ResponseHead.printable(String.join(", ", te)));
            }
            return Long.MAX_VALUE;
        }
        if (lengths.isEmpty()) {
            return UNTIL_CLOSE;
        }
        String first = lengths.getFirst();
        if (!first.matches("[0-9]{1,18}") || lengths.stream().anyMatch(l -> !l.equals(first))) {
            throw protocol("bad Content-Length " + ResponseHead.printable(String.join(", ", lengths)));
        }
        return Long.parseLong(first);
    }

    /** Reads a body of exactly {@code dst.remaining()} bytes, chunked or of that Content-Length. */
    static void read(ResponseHead head, InputStream in, ByteBuffer dst) throws WebSeedException {
        long framing = framing(head);
        if (framing == Long.MAX_VALUE) {
            readChunked(in, dst, true);
        } else if (framing == dst.remaining()) {
            readFully(in, dst, dst.remaining());
        } else {
            throw protocol(framing == UNTIL_CLOSE ? "no Content-Length"
                    : "Content-Length " + framing + " but " + dst.remaining() + " bytes were asked");
        }
    }

    /** Reads and drops a body of at most {@code limit} bytes; false when it is longer or unframed. */
    static boolean skip(ResponseHead head, InputStream in, int limit) throws WebSeedException {
        long framing = framing(head);
        if (framing == UNTIL_CLOSE || framing > limit && framing != Long.MAX_VALUE) {
            return false;
        }
        ByteBuffer scratch = ByteBuffer.allocate(limit);
        if (framing != Long.MAX_VALUE) {
            readFully(in, scratch, (int) framing);
            return true;
        }
        return readChunked(in, scratch, false);
    }

    /**
     * Reads a whole body of at most {@code max} bytes, however it is framed (a body running until the
     * server closes included); a longer one is refused without reading past the bound.
     */
    static byte[] readAtMost(ResponseHead head, InputStream in, int max) throws WebSeedException {
        long framing = framing(head);
        if (framing != UNTIL_CLOSE && framing != Long.MAX_VALUE) {
            if (framing > max) {
                throw protocol("a body of " + framing + " bytes, more than " + max);
            }
            ByteBuffer dst = ByteBuffer.allocate((int) framing);
            readFully(in, dst, (int) framing);
            return dst.array();
        }
        ByteBuffer dst = ByteBuffer.allocate(max);
        if (framing == Long.MAX_VALUE) {
            if (!readChunked(in, dst, false)) {
                throw protocol("a chunked body longer than " + max + " bytes");
            }
        } else {
            try {
                byte[] all = in.readNBytes(max + 1);
                if (all.length > max) {
                    throw protocol("a body longer than " + max + " bytes");
                }
                return all;
            } catch (WebSeedException e) {
                throw e;
            } catch (IOException e) {
                throw new WebSeedException(Kind.IO, "reading the body: " + e.getMessage(), e);
            }
        }
        return java.util.Arrays.copyOf(dst.array(), dst.position());
    }

    /**
     * Reads chunks into {@code dst}; when {@code exact}, they must fill it exactly. Returns false, with
     * the rest unread, when they are longer than {@code dst} holds and {@code exact} is off.
     */
    private static boolean readChunked(InputStream in, ByteBuffer dst, boolean exact) throws WebSeedException {
        while (true) {
            String line = ResponseHead.readLine(in, MAX_CHUNK_LINE, "chunk size");
            int end = 0;
            while (end < line.length() && Character.digit(line.charAt(end), 16) >= 0) {
                end++;
            }
            String rest = line.substring(end).stripLeading();
            if (end == 0 || end > 15 || !rest.isEmpty() && rest.charAt(0) != ';') {
                throw protocol("bad chunk size line " + ResponseHead.printable(line));
            }
            long size = Long.parseLong(line.substring(0, end), 16);
            if (size == 0) {
                ResponseHead.readFields(in, "trailer");
                if (exact && dst.hasRemaining()) {
                    throw protocol("body shorter than asked: " + dst.remaining() + " bytes missing");
                }
                return true;
            }
            if (size > dst.remaining() && !exact) {
                return false;
            }
            if (size > dst.remaining()) {
                throw protocol("body longer than asked: a chunk of " + size + " bytes with " + dst.remaining() + " left");
            }
            readFully(in, dst, (int) size);
            if (!ResponseHead.readLine(in, MAX_CHUNK_LINE, "chunk end").isEmpty()) {
                throw protocol("a chunk longer than its size");
            }
        }
    }

    private static void readFully(InputStream in, ByteBuffer dst, int n) throws WebSeedException {
        byte[] tmp = dst.hasArray() ? null : new byte[Math.min(n, 64 * 1024)];
        int left = n;
        try {
            while (left > 0) {
                int r = tmp == null
                        ? in.read(dst.array(), dst.arrayOffset() + dst.position(), left)
                        : in.read(tmp, 0, Math.min(left, tmp.length));
                if (r < 0) {
                    throw protocol("body ended after " + (n - left) + " of " + n + " bytes");
                }
                if (tmp == null) {
                    dst.position(dst.position() + r);
                } else {
                    dst.put(tmp, 0, r);
                }
                left -= r;
            }
        } catch (WebSeedException e) {
            throw e;
        } catch (IOException e) {
            throw new WebSeedException(Kind.IO, "reading the body: " + e.getMessage(), e);
        }
    }
}
