package org.hypertube.playback;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.time.Duration;
import java.util.Locale;
import org.hypertube.torrent.TorrentStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The end of a Matroska film, asked of the engine while its headers are read: a remux reads the film's
 * keyframe index (the Cues, which muxers write at the end) right after the headers, and ffmpeg starts only
 * then; fetched alongside the head, the index is on disk by the time it is read instead of being waited for
 * after it (0.3-0.9 s of a remux's first frame in the benchmark).
 */
final class MatroskaTail {

    private static final Logger log = LoggerFactory.getLogger(MatroskaTail.class);
    /**
     * How much of the end is read: the Cues of a two-hour film with a keyframe every few seconds (about 20 KB);
     * more would come piece by piece before the index's own piece (512 KiB took 0.9 s where the index alone
     * took 0.4 s in the benchmark).
     */
    static final long TAIL_BYTES = 64 * 1024;

    private MatroskaTail() {
    }

    /** Whether a film of this name keeps its keyframe index at its end (Matroska, WebM). */
    static boolean wanted(String name) {
        String n = name == null ? "" : name.toLowerCase(Locale.ROOT);
        return n.endsWith(".mkv") || n.endsWith(".webm") || n.endsWith(".mk3d");
    }

    /** Reads the end of a Matroska film still downloading, in the background; anything else is left alone. */
    static void prefetch(MediaFile file, Duration timeout) {
        if (file instanceof MediaFile.OnDisk || !wanted(file.name()) || file.length() <= 0) {
            return;
        }
        Thread.ofVirtual().name("tail-" + file.infoHash()).start(() -> read(file, timeout));
    }

    /** Reads the last {@link #TAIL_BYTES} of the file (waiting for their pieces); the bytes read. */
    static long read(MediaFile file, Duration timeout) {
        long from = Math.max(0, file.length() - TAIL_BYTES);
        long started = System.nanoTime();
        long total = 0;
        try (SeekableByteChannel channel = file.open()) {
            if (channel instanceof TorrentStream stream) {
                stream.setReadTimeout(timeout);
            }
            channel.position(from);
            ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
            int n;
            while ((n = channel.read(buffer.clear())) > 0) {
                total += n;
            }
            log.info("{} last {} bytes (keyframe index) fetched in {} ms", file.infoHash(), total,
                    (System.nanoTime() - started) / 1_000_000);
        } catch (IOException | RuntimeException e) {
            log.info("{} end of the film not fetched ahead: {}", file.infoHash(), e.toString());
        }
        return total;
    }
}
