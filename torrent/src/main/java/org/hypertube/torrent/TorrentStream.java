package org.hypertube.torrent;

import java.time.Duration;
import java.nio.channels.SeekableByteChannel;

/**
 * A blocking random-access reader over one file of a torrent. Thread-confined (one reader = one
 * thread); several readers per torrent.
 *
 * <p>{@link #read} blocks until the bytes at {@link #position()} are verified (or the read time-out
 * passes: {@link StreamTimeoutException}) and returns -1 at the end of the file; it never returns
 * unverified bytes. {@link #position(long)} is a seek and moves this reader's wishes at once;
 * {@link #size()} is the file's length; {@link #close()} drops this reader's wishes;
 * {@code write} and {@code truncate} throw {@link java.nio.channels.NonWritableChannelException}.
 *
 * <p>While open, a reader wishes for the file's head and tail (first and last 2 MiB: MP4 {@code moov},
 * MKV cues) until they are verified, and for the pieces from its position over its readahead window,
 * the nearest most urgent. A piece's urgency is the highest any open reader gives it.
 */
public interface TorrentStream extends SeekableByteChannel {
    /** Bytes of the file's head and of its tail fetched first after opening. */
    long HEAD_TAIL_BYTES = 2L << 20;
    long MIN_READAHEAD = 4L << 20;
    long MAX_READAHEAD = 64L << 20;
    long DEFAULT_READAHEAD = 8L << 20;
    /** Seconds of media the readahead window holds once the bitrate is known. */
    int READAHEAD_SECONDS = 30;
    Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(60);

    /** The file's index, as in {@code Torrent.files()} (pad files are not counted). */
    int fileIndex();

    /**
     * Bytes per second of the media, when known (e.g. from ffprobe); sizes the readahead window:
     * clamp(bitrate × 30 s, 4 MiB, 64 MiB); 8 MiB before it is set.
     */
    void setBitrate(long bytesPerSecond);

    /** How many bytes from {@code offset} on are verified and readable without waiting (0 if none). */
    long readableFrom(long offset);

    /** Time-out for one blocking read (default 60 s). */
    void setReadTimeout(Duration timeout);

    /** The readahead window in bytes, as set by {@link #setBitrate}. */
    static long readaheadFor(long bytesPerSecond) {
        if (bytesPerSecond <= 0) {
            return DEFAULT_READAHEAD;
        }
        long w = bytesPerSecond > MAX_READAHEAD ? MAX_READAHEAD : bytesPerSecond * READAHEAD_SECONDS;
        return Math.max(MIN_READAHEAD, Math.min(MAX_READAHEAD, w));
    }
}
