package org.hypertube.playback.subtitle;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SeekableByteChannel;
import java.util.HexFormat;

/**
 * The OpenSubtitles "moviehash": the file size plus the sum of the 64-bit little-endian words of its
 * first and last 64 KiB, modulo 2^64, as 16 lower-case hex digits. Only those two pieces are read, so
 * it works as soon as the torrent has its first and last pieces. A file shorter than 64 KiB is both
 * its head and its tail; a last partial word counts as if padded with zero bytes.
 */
public final class OpenSubtitlesHash {

    public static final int CHUNK = 64 * 1024;

    private OpenSubtitlesHash() {
    }

    /** The hash of a file read through a channel (its position is moved). */
    public static String of(SeekableByteChannel channel) throws IOException {
        long size = channel.size();
        int n = (int) Math.min(CHUNK, size);
        byte[] head = read(channel, 0, n);
        byte[] tail = read(channel, size - n, n);
        return of(head, tail, size);
    }

    /**
     * The hash from the first and last {@code min(64 KiB, size)} bytes of a file of {@code size} bytes.
     */
    public static String of(byte[] head, byte[] tail, long size) {
        int n = (int) Math.min(CHUNK, size);
        if (size < 0 || head.length != n || tail.length != n) {
            throw new IllegalArgumentException("head and tail must be the first and last " + n + " bytes of the file");
        }
        long sum = size + words(head) + words(tail);
        return HexFormat.of().toHexDigits(sum);
    }

    private static long words(byte[] chunk) {
        ByteBuffer buffer = ByteBuffer.wrap(chunk).order(ByteOrder.LITTLE_ENDIAN);
        long sum = 0;
        while (buffer.remaining() >= Long.BYTES) {
            sum += buffer.getLong();
        }
        int shift = 0;
        long last = 0;
        while (buffer.hasRemaining()) {
            last |= (buffer.get() & 0xFFL) << shift;
            shift += 8;
        }
        return sum + last;
    }

    private static byte[] read(SeekableByteChannel channel, long offset, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        channel.position(offset);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer) < 0) {
                throw new IOException("the file ended at " + (offset + buffer.position()) + " bytes, before its stated size");
            }
        }
        return buffer.array();
    }
}
