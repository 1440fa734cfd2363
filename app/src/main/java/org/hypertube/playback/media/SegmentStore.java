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
 * the index is never served. Each timeline (segment boundaries) has a subfolder of its own, named by
 * its header's hash, so two instances that disagree on the timeline never touch each other's files.
 * Nothing here deletes another writer's files: only {@code *.part-*} leftovers older than
 * {@link #STALE_PART} (an interrupted copy). When the index vanishes (another instance evicted the
 * film) every segment counts as not made again. Two instances adding at once may lose one index line
 * to each other: that segment is then simply made again.
 */
final class SegmentStore {

    private static final Logger log = LoggerFactory.getLogger(SegmentStore.class);
    static final String INDEX = "segments";
    private static final int MAX_INDEX = 4 * 1024 * 1024;
    /** A temporary copy this old is a leftover of an interrupted writer, not one still copying. */
    static final java.time.Duration STALE_PART = java.time.Duration.ofMinutes(10);

    private final Path dir;
    private final String header;
    private final int count;
    private final BitSet done = new BitSet();
    private long indexStamp = Long.MIN_VALUE;

    /**
     * @param variant the variant's folder; the segments go to a subfolder of it named by the header
     * @param header  one line naming the timeline (segment count and boundaries)
     */
    SegmentStore(Path variant, String header, int count) {
        this.dir = variant.resolve(folderName(header));
        this.header = header;
        this.count = count;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new MediaException("cannot create " + dir + ": " + e.getMessage(), e);
        }
        dropStaleParts();
        synchronized (this) {
            refresh();
        }
    }

    /** The subfolder of one timeline: a hash of its header. */
    static String folderName(String header) {
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(header.getBytes(StandardCharsets.UTF_8));
            return "t" + java.util.HexFormat.of().formatHex(digest, 0, 8);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    Path directory() {
        return dir;
    }

    /** Whether segment k is finished (here or, through the shared index, on another instance). */
    synchronized boolean has(int k) {
        refresh();
        return done.get(k);
    }

    /**
     * Segment k was recorded but its file is gone (another instance evicted the film between the index
     * check and the read): it is not made, and is made again.
     */
    synchronized void lost(int k) {
        if (k >= 0 && k < count && done.get(k) && !Files.exists(segment(k))) {
            log.info("segment {} of {} vanished: made again", k, dir);
            done.clear(k);
        }
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
        Files.createDirectories(dir);   // evicted by another instance meanwhile
        moveInto(written, segment(k));
        refresh();
        done.set(k);
        writeIndex();
    }

    /** Publishes the init segment (identical for every run, see {@link HlsCommand}) unless present. */
    synchronized void addInit(Path written) throws IOException {
        if (!Files.exists(init())) {
            Files.createDirectories(dir);
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
                if (!done.isEmpty()) {
                    log.info("segment index of {} vanished (the film was evicted): its segments are made again", dir);
                }
                done.clear();
                indexStamp = -1;
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
            done.clear();
            if (!lines[0].equals(header)) {
                log.warn("segment index of {} names another timeline ({}): ignored", dir, lines[0]);
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

    /** Temporary copies left by an interrupted writer (never a file another writer may still be copying). */
    private void dropStaleParts() {
        long before = System.currentTimeMillis() - STALE_PART.toMillis();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.filter(f -> f.getFileName().toString().contains(".part-")).toList()) {
                try {
                    if (Files.getLastModifiedTime(p).toMillis() < before) {
                        Files.deleteIfExists(p);
                    }
                } catch (java.nio.file.NoSuchFileException gone) {
                    // renamed into place meanwhile
                }
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
