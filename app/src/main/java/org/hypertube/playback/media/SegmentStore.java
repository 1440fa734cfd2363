package org.hypertube.playback.media;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.BitSet;
import java.util.Comparator;
import java.util.UUID;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The finished segments of one converted variant of a film, kept in the film's cache folder for every
 * later viewer (on this instance or another sharing the data folder) until the film's cache is evicted.
 *
 * <p>A segment enters only whole: ffmpeg writes it in a private run folder, and {@link #add} moves it in
 * with one rename (a copy to a temporary name first when the run folder is on another file system).
 * The index file ({@code segments}: a header naming the timeline, then one line per finished segment,
 * rewritten through a temporary file and a rename) says which segments are finished; a file not in
 * the index is never served. An index written for another timeline (another probe, another segmenting
 * rule) empties the folder. Two instances adding at once may lose one index line to each other: that
 * segment is then simply made again.
 */
final class SegmentStore {

    private static final Logger log = LoggerFactory.getLogger(SegmentStore.class);
    static final String INDEX = "segments";
    private static final int MAX_INDEX = 4 * 1024 * 1024;

    private final Path dir;
    private final String header;
    private final int count;
    private final BitSet done = new BitSet();
    private long indexStamp = Long.MIN_VALUE;

    /**
     * @param header one line naming the timeline (segment count and boundaries); kept segments of another are dropped
     */
    SegmentStore(Path dir, String header, int count) {
        this.dir = dir;
        this.header = header;
        this.count = count;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new MediaException("cannot create " + dir + ": " + e.getMessage(), e);
        }
        synchronized (this) {
            refresh();
        }
    }

    Path directory() {
        return dir;
    }

    /** Whether segment k is finished (here or, through the shared index, on another instance). */
    synchronized boolean has(int k) {
        if (done.get(k)) {
            return true;
        }
        refresh();
        return done.get(k);
    }

    Path segment(int k) {
        return dir.resolve("seg" + k + ".m4s");
    }

    Path init() {
        return dir.resolve("init.mp4");
    }

    /** The first unfinished segment at or after k; the segment count when all are finished. */
    synchronized int firstMissing(int k) {
        refresh();
        int m = done.nextClearBit(k);
        return Math.min(m, count);
    }

    /** Finished segments, for logs and tests. */
    synchronized int finished() {
        return done.cardinality();
    }

    /** Moves a whole segment written elsewhere into place and records it. */
    synchronized void add(int k, Path written) throws IOException {
        if (k < 0 || k >= count) {
            throw new IllegalArgumentException("no segment " + k);
        }
        moveInto(written, segment(k));
        refresh();
        done.set(k);
        writeIndex();
    }

    /** Publishes the init segment (identical for every run, see {@link HlsCommand}) unless present. */
    synchronized void addInit(Path written) throws IOException {
        if (!Files.exists(init())) {
            Path tmp = dir.resolve("init.mp4.part-" + UUID.randomUUID());
            Files.copy(written, tmp, StandardCopyOption.REPLACE_EXISTING);
            Files.move(tmp, init(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    boolean hasInit() {
        return Files.exists(init());
    }

    /** Deletes the whole folder (a film's cache evicted). */
    static void delete(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            log.warn("could not delete {}: {}", dir, e.toString());
        }
    }

    private void moveInto(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Path tmp = dir.resolve(to.getFileName() + ".part-" + UUID.randomUUID());
            Files.copy(from, tmp, StandardCopyOption.REPLACE_EXISTING);
            Files.move(tmp, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            Files.deleteIfExists(from);
        }
    }

    /** Re-reads the index when it changed on disk (another instance added to it); caller holds the lock. */
    private void refresh() {
        Path index = dir.resolve(INDEX);
        try {
            if (!Files.exists(index)) {
                if (indexStamp == Long.MIN_VALUE) {
                    indexStamp = -1;
                    dropStray();
                }
                return;
            }
            long stamp = Files.getLastModifiedTime(index).toMillis() * 31 + Files.size(index);
            if (stamp == indexStamp) {
                return;
            }
            if (Files.size(index) > MAX_INDEX) {
                throw new IOException("index larger than " + MAX_INDEX + " bytes");
            }
            String[] lines = Files.readString(index, StandardCharsets.UTF_8).split("\n");
            indexStamp = stamp;
            if (!lines[0].equals(header)) {
                log.info("kept segments in {} were made for another timeline ({}): dropped", dir, lines[0]);
                done.clear();
                Files.deleteIfExists(index);
                dropStray();
                indexStamp = -1;
                return;
            }
            for (int i = 1; i < lines.length; i++) {
                if (!lines[i].isEmpty()) {
                    int k = Integer.parseInt(lines[i]);
                    if (k >= 0 && k < count) {
                        done.set(k);
                    }
                }
            }
        } catch (IOException | NumberFormatException e) {
            log.warn("segment index of {} unreadable ({}): segments are made again", dir, e.toString());
        }
    }

    /** Files of the folder not in the (empty) index: they may be partial copies of an interrupted run. */
    private void dropStray() {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.filter(Files::isRegularFile).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            log.warn("could not clean {}: {}", dir, e.toString());
        }
    }

    private void writeIndex() throws IOException {
        StringBuilder text = new StringBuilder(header.length() + 8 * done.cardinality()).append(header).append('\n');
        done.stream().forEach(k -> text.append(k).append('\n'));
        Path tmp = dir.resolve(INDEX + ".part-" + UUID.randomUUID());
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        Files.move(tmp, dir.resolve(INDEX), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        indexStamp = Files.getLastModifiedTime(dir.resolve(INDEX)).toMillis() * 31 + Files.size(dir.resolve(INDEX));
    }
}
