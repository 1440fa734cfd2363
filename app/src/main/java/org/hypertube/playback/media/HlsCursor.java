package org.hypertube.playback.media;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One ffmpeg "cursor" of a shared conversion: a virtual thread that holds one conversion slot and runs
 * ffmpeg from a segment on, moving each finished segment into the {@link SegmentStore}. It never
 * re-encodes a finished segment: when the segment ffmpeg is about to write is already in the store
 * (made by another cursor, another instance or an earlier viewing), ffmpeg is stopped and started again
 * at the next missing one; {@link #moveTo} restarts it elsewhere (a viewer waiting for a missing segment).
 *
 * <p>ffmpeg writes into a private run folder. A segment is finished once listed in the run's playlist
 * and followed by the next one, or, for the film's last segment, once ffmpeg ended well; or once listed
 * with exactly its gap's duration ({@link #EXACT_SECONDS}) while ffmpeg runs, or nearly so while ffmpeg
 * is still running {@link #LISTED_GRACE_MILLIS} later (fMP4 segments
 * are written whole when closed, so "followed" alone waits for the next keyframe gap: a whole GOP of the
 * swarm's bytes before a start or a seek's first segment). A segment closed short by an input error
 * (listed as ffmpeg ends, or shorter than its gap) is never moved in.
 * ffmpeg is stopped with SIGKILL, so it never closes a segment early on its way out.
 */
final class HlsCursor {

    private static final Logger log = LoggerFactory.getLogger(HlsCursor.class);
    private static final Pattern LISTED = Pattern.compile("seg(\\d+)\\.m4s");
    private static final long POLL_MILLIS = 40;
    /** A listed segment whose ffmpeg still runs this long after it was seen listed was not closed by an ending. */
    static final long LISTED_GRACE_MILLIS = 150;
    /** A listed segment this much shorter than its keyframe gap (or N frames) was closed early. */
    static final double SHORT_SECONDS = 0.1;
    /**
     * A listed segment as long as its gap to within this (seconds; hlsenc lists the next keyframe's time
     * minus the segment's first) was closed by that keyframe, with every frame: moved in at once, without
     * the {@link #LISTED_GRACE_MILLIS} wait (a frame or more short = closed by an ending, never moved in).
     */
    static final double EXACT_SECONDS = 0.0015;
    private static final Pattern LISTED_DURATION = Pattern.compile("#EXTINF:([0-9.]+),\\s*seg(\\d+)\\.m4s");
    private static final int MAX_RUN_PLAYLIST = 4 * 1024 * 1024;

    /** What one cursor needs of its conversion. */
    interface Conversion {
        String key();

        String label();

        int segmentCount();

        SegmentStore store();

        Path runs();

        Semaphore slots();

        FfmpegBinaries binaries();

        /** ffmpeg's arguments for run {@code run} writing from segment {@code start} on. */
        List<String> arguments(int run, int start);

        /** Where a run that is to make segment k starts (a part of a long first keyframe gap: at 0). */
        int runStart(int k);

        /** The segment after the last one a run from {@code start} makes (the film's end, or the first gap's). */
        int runEnd(int start);

        /** Seconds segment k lasts in the playlist. */
        double duration(int k);

        /** A new run number. */
        int nextRun();

        /** An ffmpeg process started. */
        void started();

        /** A segment or the init was added, or a cursor ended: waiting requests look again. */
        void changed();

        /** True the first time a run of this conversion failed (its output is logged once). */
        boolean firstFailure();
    }

    private final Conversion conversion;
    private final OutputTail stderr = new OutputTail(50);
    private volatile Thread thread;
    private volatile Process process;
    private volatile boolean stopped;
    private volatile boolean acquired;
    private volatile boolean done;
    private volatile String failure;
    /** Where a move asked the next run to start; -1 = no move pending. */
    private int moveTo;
    /** The next segment this cursor makes (where it was moved to, before its run wrote any). */
    private volatile int position;

    // scheduling state, guarded by the conversion's lock
    int movedTo;
    int waiters;
    /** The waiters by viewer. */
    private final java.util.Map<String, Integer> waiting = new java.util.HashMap<>();
    /** When each viewer last got a kept segment just behind it (nanoTime; only the last {@code TURN_IDLE} kept). */
    private final java.util.Map<String, Long> followers = new java.util.HashMap<>();
    long lastWanted = System.nanoTime();
    String lastViewer;
    volatile int madeSinceMove;

    HlsCursor(Conversion conversion, int start) {
        this.conversion = conversion;
        this.position = start;
        this.movedTo = start;
        this.moveTo = -1;
    }

    void start() {
        thread = Thread.ofVirtual().name("ffmpeg-" + conversion.key()).start(this::execute);
    }

    /** A request of {@code viewer} waits on this cursor (caller holds the conversion's lock). */
    void waiterAdded(String viewer) {
        waiters++;
        waiting.merge(viewer, 1, Integer::sum);
    }

    /** A request of {@code viewer} no longer waits on it (caller holds the conversion's lock). */
    void waiterGone(String viewer) {
        waiters--;
        waiting.computeIfPresent(viewer, (v, n) -> n > 1 ? n - 1 : null);
    }

    /** {@code viewer} got a kept segment just behind it (caller holds the conversion's lock). */
    void followedBy(String viewer, long now) {
        followers.values().removeIf(at -> now - at > java.time.Duration.ofMinutes(1).toNanos());
        followers.put(viewer, now);
    }

    /**
     * Whether a viewer other than {@code viewer} got a kept segment just behind it within {@code within}
     * (caller holds the conversion's lock): that viewer plays on it, though none of its requests waits now.
     */
    boolean followedByAnotherThan(String viewer, long now, java.time.Duration within) {
        followers.values().removeIf(at -> now - at > within.toNanos());
        return followers.keySet().stream().anyMatch(v -> !v.equals(viewer));
    }

    /** Whether every request waiting on it, if any, is {@code viewer}'s (caller holds the conversion's lock). */
    boolean waitedOnOnlyBy(String viewer) {
        return waiters == waiting.getOrDefault(viewer, 0);
    }

    /** The next segment it will write. */
    int position() {
        return position;
    }

    boolean done() {
        return done;
    }

    /** Waiting for a conversion slot. */
    boolean queued() {
        return !done && !acquired;
    }

    boolean running() {
        return !done && acquired;
    }

    /** Why it ended, if ffmpeg failed; null otherwise. */
    String failure() {
        return failure;
    }

    Process process() {
        return process;
    }

    /** Restarts ffmpeg at segment k (at once if it runs, when it gets its slot if it waits for one). */
    synchronized void moveTo(int k) {
        moveTo = k;
        position = k;
        movedTo = k;
        madeSinceMove = 0;
        Process p = process;
        if (p != null) {
            p.destroyForcibly();
        }
    }

    void stop() {
        stopped = true;
        Process p;
        synchronized (this) {
            p = process;
        }
        if (p == null) {
            Thread t = thread;
            if (t != null) {
                t.interrupt();
            }
            return;
        }
        p.destroyForcibly();
        try {
            p.waitFor(5, TimeUnit.SECONDS);
            // and its thread, which moves in what ffmpeg finished and deletes the run's folder: once stop
            // returns, nothing of this run writes into the film's folder (an eviction or a shutdown follows)
            Thread t = thread;
            if (t != null && t != Thread.currentThread()) {
                t.join(java.time.Duration.ofSeconds(5));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void execute() {
        long began = System.nanoTime();
        try {
            conversion.slots().acquire();
            acquired = true;
        } catch (InterruptedException e) {
            done = true;
            return;
        }
        try {
            long waited = (System.nanoTime() - began) / 1_000_000;
            int next = position;
            while (!stopped) {
                int start;
                synchronized (this) {
                    if (moveTo >= 0) {
                        next = moveTo;
                        moveTo = -1;
                    }
                    start = conversion.runStart(conversion.store().firstMissing(next));
                    position = start;
                }
                if (start >= conversion.segmentCount()) {
                    if (conversion.store().hasInit()) {
                        break;
                    }
                    // every segment from here is made but the init is not (deleted): one run to write it
                    start = conversion.runStart(Math.min(next, conversion.segmentCount() - 1));
                }
                next = run(start, waited);
                waited = 0;
                if (next < 0) {
                    break;
                }
            }
        } catch (RuntimeException | IOException e) {
            failure = e.toString();
            log.warn("ffmpeg could not run for playback {}: {}", conversion.key(), e.toString());
        } finally {
            conversion.slots().release();
            done = true;
            conversion.changed();
        }
    }

    /**
     * One ffmpeg process from segment {@code start} on; returns where the next run starts, or -1 when
     * this cursor is finished (stopped, at the film's end, or failed).
     */
    private int run(int start, long waitedForSlot) throws IOException {
        int id = conversion.nextRun();
        Path dir = Files.createTempDirectory(conversion.runs(), "run-");
        try {
            synchronized (this) {
                if (stopped || moveTo >= 0) {
                    return stopped ? -1 : moveTo;
                }
                process = conversion.binaries().start(conversion.binaries().ffmpeg(), conversion.arguments(id, start), dir,
                        stderr, false);
            }
            conversion.started();
            Process p = process;
            log.info("ffmpeg start: playback {} {} from segment {} (pid {}{})", conversion.key(), conversion.label(),
                    start, p.pid(), waitedForSlot > 0 ? ", waited " + waitedForSlot + " ms for a slot" : "");
            Outcome outcome;
            try {
                outcome = follow(p, dir, id, start);
            } finally {
                // also when follow throws (the store failing): no ffmpeg outlives its slot
                end(p);
            }
            int made = outcome.next - 1;
            String tail = outcome.failed
                    ? conversion.firstFailure() ? "; last output:\n" + stderr.text() : "; last line: " + stderr.last()
                    : "";
            log.info("ffmpeg stop: playback {} {} from segment {}, {}{}, {}{}", conversion.key(), conversion.label(), start,
                    outcome.why, p.isAlive() ? "" : " (exit " + p.exitValue() + ")",
                    made < start ? "no segment written" : "segments " + start + "-" + made, tail);
            if (outcome.failed) {
                failure = "ffmpeg stopped (" + outcome.why + ") before segment " + outcome.next + " of "
                        + conversion.key() + ": " + stderr.last();
                return -1;
            }
            return outcome.next;
        } finally {
            SegmentStore.delete(dir);
        }
    }

    /** Kills a run's ffmpeg and waits for it to end. */
    private void end(Process p) {
        p.destroyForcibly();
        try {
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                log.warn("ffmpeg (pid {}) of playback {} did not end within 5 s of SIGKILL", p.pid(), conversion.key());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopped = true;
        }
        synchronized (this) {
            process = null;
        }
    }

    private record Outcome(int next, String why, boolean failed) {}

    /**
     * Moves finished segments into the store until ffmpeg ends, is moved, or reaches a finished segment
     * (a run of the first gap's parts, a few seconds of copying, goes on to its end: the parts it makes
     * again are not replaced).
     */
    private Outcome follow(Process p, Path dir, int id, int start) throws IOException {
        int next = start;
        int count = conversion.segmentCount();
        int end = conversion.runEnd(start);
        SegmentStore store = conversion.store();
        int seenListed = start - 1;
        long seenAt = 0;
        while (true) {
            boolean alive = p.isAlive();
            java.util.Map<Integer, Double> durations = new java.util.HashMap<>();
            int listed = listed(dir.resolve("run" + id + ".m3u8"), start - 1, durations);
            if (listed > seenListed) {
                seenListed = listed;
                seenAt = System.nanoTime();
            }
            boolean settled = alive && listed >= start && end == count
                    && System.nanoTime() - seenAt >= LISTED_GRACE_MILLIS * 1_000_000;
            Path init = dir.resolve("init" + id + ".mp4");
            if (listed >= start && !store.hasInit() && Files.exists(init)) {
                store.addInit(init);   // complete once the run has listed a segment
                conversion.changed();
            }
            for (int s = next; s <= Math.min(listed, end - 1); s++) {
                boolean followed = s < listed || Files.exists(dir.resolve("seg" + (s + 1) + ".m4s.tmp"))
                        || Files.exists(dir.resolve("seg" + (s + 1) + ".m4s"));
                boolean last = !alive && s == end - 1 && p.exitValue() == 0;
                double listedFor = durations.getOrDefault(s, 0.0);
                boolean exact = alive && end == count && s == listed && closedByItsKeyframe(listedFor, conversion.duration(s));
                boolean whole = exact || settled && s == listed && listedFor >= conversion.duration(s) - SHORT_SECONDS;
                if (!followed && !last && !whole) {
                    break;
                }
                if (end < count && store.has(s)) {
                    next = s + 1;   // a part made before: kept as it is
                    continue;
                }
                store.add(s, dir.resolve("seg" + s + ".m4s"));
                next = s + 1;
                madeSinceMove++;
                conversion.changed();
            }
            synchronized (this) {
                if (moveTo >= 0 || stopped) {
                    return new Outcome(next, stopped ? "stopped" : "moved to segment " + moveTo, false);
                }
                position = next;
            }
            if (next >= end) {
                return new Outcome(next, end == count ? "film converted" : "first keyframe gap made", false);
            }
            if (end == count && store.has(next) && store.hasInit()) {
                return new Outcome(next, "segment " + next + " already made", false);
            }
            if (!alive) {
                return new Outcome(next, "ended", true);
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                stopped = true;
            }
        }
    }

    /**
     * Whether a segment ffmpeg listed as lasting {@code listed} seconds, where the playlist says {@code gap}, was
     * closed by the keyframe after it, with every frame (ffmpeg lists the next keyframe's time minus the
     * segment's first, to the microsecond); one closed by an ending (an input error) is a frame or more short.
     */
    static boolean closedByItsKeyframe(double listed, double gap) {
        return Math.abs(listed - gap) <= EXACT_SECONDS;
    }

    /**
     * The last segment listed in a run's playlist ({@code none} before the first); {@code durations} gets
     * each listed segment's duration.
     */
    private static int listed(Path playlist, int none, java.util.Map<Integer, Double> durations) {
        int last = none;
        try {
            if (!Files.exists(playlist) || Files.size(playlist) > MAX_RUN_PLAYLIST) {
                return last;
            }
            String text = Files.readString(playlist, StandardCharsets.UTF_8);
            Matcher m = LISTED.matcher(text);
            while (m.find()) {
                last = Math.max(last, Integer.parseInt(m.group(1)));
            }
            Matcher d = LISTED_DURATION.matcher(text);
            while (d.find()) {
                durations.put(Integer.parseInt(d.group(2)), Double.parseDouble(d.group(1)));
            }
        } catch (IOException | NumberFormatException e) {
            // rewritten while read: the next poll reads it
        }
        return last;
    }
}
