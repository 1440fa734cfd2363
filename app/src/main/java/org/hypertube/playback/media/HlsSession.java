package org.hypertube.playback.media;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One converted playback: a VOD playlist written up front from the probe, and segments that ffmpeg
 * writes on demand into the session's own folder.
 *
 * <p>Serving follows Jellyfin's restart rule (PLAYBACK.md §1.3, §3.1): a segment on disk is served at once
 * (segments already written stay, so going back costs nothing); one that the running ffmpeg will reach
 * soon is waited for; otherwise ffmpeg restarts at that segment's time with {@code -start_number k}.
 * With {@code -hls_flags temp_file} a segment file appears only complete, so existence is the test.
 * Each ffmpeg run writes its own playlist and init file; the first complete init is published as
 * {@code init.mp4} (frag_discont makes every run's init identical, see {@link HlsCommand}).
 *
 * <p>ffmpeg is stopped with SIGKILL, not SIGINT/{@code q}: a gracefully stopped ffmpeg closes the
 * segment it is writing early and renames it into place, and that short file would then be served as
 * the whole segment. A killed one leaves only a {@code .tmp}.
 */
public final class HlsSession implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HlsSession.class);
    private static final Pattern LISTED = Pattern.compile("seg(\\d+)\\.m4s");
    private static final long POLL_MILLIS = 40;
    /** A running ffmpeg is waited for when it is at most this many segments short of the one asked... */
    private static final int REACH_SEGMENTS = 3;
    /** ...or, copying video (about 35× real time), this many seconds of film short of it. */
    private static final double REMUX_REACH_SECONDS = 20;
    private static final int MAX_RUN_PLAYLIST = 4 * 1024 * 1024;

    private final String key;
    private final String input;
    private final MediaProbe probe;
    private final Plan requested;
    private final Plan plan;
    private final HlsTimeline timeline;
    private final double[] keyframes;
    private final Rational fps;
    private final Path dir;
    private final FfmpegBinaries binaries;
    private final Semaphore slots;
    private final Duration segmentTimeout;
    /** Told once, with the time from this session's opening to its first segment served. */
    private final java.util.function.Consumer<Duration> firstSegment;
    private final long openedAt = System.nanoTime();
    private final java.util.concurrent.atomic.AtomicBoolean segmentServed = new java.util.concurrent.atomic.AtomicBoolean();

    private Run current;
    private int runs;
    private boolean closed;
    private volatile long lastAccess = System.nanoTime();

    HlsSession(String key, String input, MediaProbe probe, Plan requested, Plan plan, double[] keyframes, Path dir,
               FfmpegBinaries binaries, Semaphore slots, Duration segmentTimeout,
               java.util.function.Consumer<Duration> firstSegment) {
        if (plan.mode() == Delivery.DIRECT) {
            throw new IllegalArgumentException("direct play needs no conversion");
        }
        if (plan.mode() == Delivery.REMUX && (keyframes == null || keyframes.length == 0)) {
            throw new IllegalArgumentException("a remux needs the keyframes");
        }
        if (probe.duration() <= 0) {
            throw new MediaException("the film's duration is unknown: no playlist can be written for " + key);
        }
        this.key = key;
        this.input = input;
        this.probe = probe;
        this.requested = requested;
        this.plan = plan;
        this.keyframes = keyframes;
        this.fps = outputRate(probe.videoStream(plan.videoStream()));
        this.timeline = plan.mode() == Delivery.REMUX
                ? HlsTimeline.remux(probe.duration(), probe.startTime(), keyframes)
                : HlsTimeline.transcode(probe.duration(), fps);
        this.dir = dir;
        this.binaries = binaries;
        this.slots = slots;
        this.segmentTimeout = segmentTimeout;
        this.firstSegment = firstSegment;
    }

    /**
     * The transcode frame rate: the stream's own when its base and average rates agree (constant frame
     * rate), else 24 (variable or unknown: the fps filter makes it constant).
     */
    static Rational outputRate(MediaProbe.VideoStream video) {
        Rational r = video == null ? null : video.frameRate();
        Rational avg = video == null ? null : video.averageFrameRate();
        if (r != null && r.value() >= 10 && r.value() <= 61
                && (avg == null || Math.abs(avg.value() - r.value()) / r.value() < 0.01)) {
            return r;
        }
        return new Rational(24, 1);
    }

    public String key() {
        return key;
    }

    /** The plan this session carries out: a remux whose keyframes could not be read is a transcode here. */
    public Plan plan() {
        return plan;
    }

    /** The plan it was opened with. */
    public Plan requestedPlan() {
        return requested;
    }

    public int segmentCount() {
        return timeline.size();
    }

    /** Seconds of output time where segment k starts. */
    public double segmentStart(int k) {
        return timeline.start(k);
    }

    public double segmentDuration(int k) {
        return timeline.duration(k);
    }

    /** The VOD playlist with relative URIs ("init.mp4", "seg{k}.m4s"). */
    public String playlist() {
        return playlist(UnaryOperator.identity());
    }

    /** The VOD playlist; {@code uri} maps "init.mp4" and "seg{k}.m4s" to the URIs written (to add a token, say). */
    public String playlist(UnaryOperator<String> uri) {
        touch();
        return timeline.playlist(uri);
    }

    /**
     * The init segment (fMP4 header), starting ffmpeg at segment 0 when nothing runs.
     *
     * @throws MediaException when ffmpeg fails or does not write it within the segment timeout
     */
    public Path init() throws InterruptedException {
        touch();
        Path init = dir.resolve("init.mp4");
        if (Files.exists(init)) {
            return init;
        }
        Run awaited;
        synchronized (this) {
            checkOpen();
            if (current != null && current.finished() && publishInit(current)) {
                return init;
            }
            if (current == null || current.finished()) {
                current = startRun(current == null ? 0 : current.start);
            }
            awaited = current;
        }
        long deadline = System.nanoTime() + segmentTimeout.toNanos();
        while (true) {
            if (publishInit(awaited) || Files.exists(init)) {
                touch();
                return init;
            }
            synchronized (this) {
                checkOpen();
                if (current != awaited && current != null) {
                    awaited = current;
                }
            }
            if (awaited.finished() && !publishInit(awaited)) {
                throw new MediaException("ffmpeg stopped (exit " + awaited.exit + ") before writing the init segment of "
                        + key + ": " + awaited.stderr.text());
            }
            touch();  // a viewer waiting for a segment (in line for a slot, or for pieces still arriving) is not idle
            sleepUntil(deadline, "the init segment");
        }
    }

    /**
     * Segment {@code k}: at once when written, else when ffmpeg has written it, restarting ffmpeg at k when
     * the running one would not get there soon.
     *
     * @throws IllegalArgumentException when there is no segment k
     * @throws MediaException when ffmpeg fails, another request moved ffmpeg away, or the timeout passes
     */
    public Path segment(int k) throws InterruptedException {
        Path file = segmentFile(k);
        if (segmentServed.compareAndSet(false, true)) {
            firstSegment.accept(Duration.ofNanos(System.nanoTime() - openedAt));
        }
        return file;
    }

    private Path segmentFile(int k) throws InterruptedException {
        if (k < 0 || k >= timeline.size()) {
            throw new IllegalArgumentException("no segment " + k + " (0-" + (timeline.size() - 1) + ")");
        }
        touch();
        Path file = dir.resolve("seg" + k + ".m4s");
        if (Files.exists(file)) {
            return file;
        }
        Run awaited;
        synchronized (this) {
            checkOpen();
            if (current == null || !current.willReach(k)) {
                if (current != null) {
                    current.stop();
                }
                current = startRun(k);
            }
            awaited = current;
        }
        long deadline = System.nanoTime() + segmentTimeout.toNanos();
        boolean givenUp = false;
        while (true) {
            if (Files.exists(file)) {
                publishInit(awaited);
                touch();
                return file;
            }
            synchronized (this) {
                checkOpen();
                if (!givenUp && current != awaited) {
                    // another request restarted ffmpeg elsewhere; follow it only if it comes here
                    if (current == null || !current.willReach(k)) {
                        // A seek moved ffmpeg away. The player has most likely dropped this request; if not,
                        // the segment may still come (a later run writes it): wait a little for the file
                        // rather than answer at once with an error the player would show.
                        givenUp = true;
                        deadline = Math.min(deadline, System.nanoTime() + GIVEN_UP_GRACE.toNanos());
                    } else {
                        awaited = current;
                    }
                }
            }
            if (givenUp) {
                if (System.nanoTime() > deadline) {
                    throw new MediaException("segment " + k + " of " + key + " was given up for another position");
                }
            } else {
                if (awaited.finished() && !Files.exists(file)) {
                    throw new MediaException("ffmpeg stopped (exit " + awaited.exit + ") before segment " + k + " of "
                            + key + ": " + awaited.stderr.text());
                }
                touch();  // a viewer waiting for a segment (in line for a slot, or for pieces still arriving) is not idle
            }
            sleepUntil(deadline, "segment " + k);
        }
    }

    /** True while an ffmpeg of this session runs or waits for its turn. */
    public synchronized boolean converting() {
        return current != null && !current.finished();
    }

    /** True while this session's ffmpeg waits for a free transcode slot. */
    public synchronized boolean queued() {
        return current != null && !current.finished() && current.process == null;
    }

    /** The running ffmpeg process, if any (for tests and diagnostics). */
    public synchronized Optional<ProcessHandle> process() {
        Process p = current == null ? null : current.process;
        return p == null ? Optional.empty() : Optional.of(p.toHandle());
    }

    /** The folder this session writes to. */
    public Path directory() {
        return dir;
    }

    /** Nanosecond clock reading of the last request. */
    long lastAccess() {
        return lastAccess;
    }

    /** Stops ffmpeg, keeping the segments written (idle playback). */
    void stopConversion() {
        Run run;
        synchronized (this) {
            run = current;
        }
        if (run != null && !run.finished()) {
            run.stop();
        }
    }

    /** Stops ffmpeg and deletes the session's folder. */
    @Override
    public void close() {
        Run run;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            run = current;
        }
        if (run != null) {
            run.stop();
        }
        deleteTree(dir);
    }

    private void touch() {
        lastAccess = System.nanoTime();
    }

    private void checkOpen() {
        if (closed) {
            throw new MediaException("the playback " + key + " was closed");
        }
    }

    /** How long a request whose segment a seek left behind still waits for it. */
    static final Duration GIVEN_UP_GRACE = Duration.ofSeconds(15);

    private static void sleepUntil(long deadline, String what) throws InterruptedException {
        if (System.nanoTime() > deadline) {
            throw new MediaException("timed out waiting for " + what);
        }
        Thread.sleep(POLL_MILLIS);
    }

    /** Copies a run's init to init.mp4 once the run has listed a segment (its init is then complete). */
    private synchronized boolean publishInit(Run run) {
        Path target = dir.resolve("init.mp4");
        if (Files.exists(target)) {
            return true;
        }
        Path source = dir.resolve("init" + run.id + ".mp4");
        if (run.written() < run.start || !Files.exists(source)) {
            return false;
        }
        try {
            Path tmp = dir.resolve("init.mp4.part" + run.id);
            Files.copy(source, tmp, StandardCopyOption.REPLACE_EXISTING);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return true;
        } catch (IOException e) {
            throw new MediaException("cannot publish the init segment of " + key + ": " + e.getMessage(), e);
        }
    }

    /** Starts (or queues) ffmpeg writing from segment k; caller holds the lock. */
    private Run startRun(int k) {
        double seek;
        double hlsTime;
        if (plan.mode() == Delivery.REMUX) {
            hlsTime = 0.001;
            if (k == 0) {
                seek = 0;
            } else {
                double gap = timeline.duration(k);
                MediaProbe.VideoStream video = probe.videoStream(plan.videoStream());
                boolean heuristic = !probe.isMp4() && video != null && video.bFrames() > 0;
                seek = timeline.start(k) + (heuristic ? HlsCommand.DTS_HEURISTIC : 0) + Math.min(0.05, gap / 2);
            }
        } else {
            int n = HlsTimeline.framesPerSegment(fps);
            seek = (double) k * n * fps.denominator() / fps.numerator();
            hlsTime = (n - 0.5) * fps.denominator() / fps.numerator();
        }
        int id = runs++;
        List<String> args = HlsCommand.arguments(input, probe, plan, id, k, seek, fps, hlsTime);
        Run run = new Run(id, k);
        run.thread = Thread.ofVirtual().name("ffmpeg-" + key + "-" + id).start(() -> run.execute(args));
        return run;
    }

    private static void deleteTree(Path dir) {
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

    /** One ffmpeg process writing segments from {@code start} on. */
    private final class Run {
        final int id;
        final int start;
        final OutputTail stderr = new OutputTail(50);
        volatile Thread thread;
        volatile Process process;
        volatile boolean stopped;
        volatile boolean done;
        volatile Integer exit;
        private long playlistStamp = -1;
        private int written;

        Run(int id, int start) {
            this.id = id;
            this.start = start;
            this.written = start - 1;
        }

        void execute(List<String> args) {
            long began = System.nanoTime();
            boolean acquired = false;
            try {
                slots.acquire();
                acquired = true;
                synchronized (this) {
                    if (stopped) {
                        return;
                    }
                    process = binaries.start(binaries.ffmpeg(), args, dir, stderr, false);
                }
                log.info("ffmpeg start: playback {} {} from segment {} (pid {}, waited {} ms for a slot)", key,
                        plan.label(), start, process.pid(), (System.nanoTime() - began) / 1_000_000);
                exit = process.waitFor();
                if (!stopped) {
                    dropTruncatedLast();
                }
                String tail = exit != 0 && !stopped ? "; last output:\n" + stderr.text() : "";
                int last = written();
                log.info("ffmpeg stop: playback {} {} from segment {}, exit {}{}, {}{}", key, plan.label(), start, exit,
                        stopped ? " (stopped)" : "", last < start ? "no segment written" : "segments " + start + "-" + last,
                        tail);
            } catch (InterruptedException e) {
                // stopped while waiting for a slot
            } catch (RuntimeException e) {
                stderr.consume(new java.io.ByteArrayInputStream(e.toString().getBytes(StandardCharsets.UTF_8)));
                log.warn("ffmpeg could not run for playback {}: {}", key, e.toString());
            } finally {
                Process p = process;
                if (p != null && p.isAlive()) {
                    p.destroyForcibly();
                }
                if (acquired) {
                    slots.release();
                }
                done = true;
            }
        }

        /**
         * ffmpeg that ends by itself (input error, rw_timeout) closes its last segment short and renames it
         * into place; unless that is the film's last segment, it is deleted so a later run writes it whole.
         */
        private void dropTruncatedLast() {
            int last = written();
            if (last >= start && last < timeline.size() - 1) {
                try {
                    Files.deleteIfExists(dir.resolve("seg" + last + ".m4s"));
                } catch (IOException e) {
                    log.warn("could not delete a short segment of {}: {}", key, e.toString());
                }
            }
        }

        boolean finished() {
            return done;
        }

        /** Running or queued, started at or before k, and at most a few segments short of it. */
        boolean willReach(int k) {
            if (done || stopped || k < start) {
                return false;
            }
            int at = Math.max(written(), start - 1);
            if (k <= at + REACH_SEGMENTS) {
                return true;
            }
            return plan.mode() == Delivery.REMUX
                    && timeline.start(k) - timeline.start(Math.max(at, start)) <= REMUX_REACH_SECONDS;
        }

        /** The last segment this run listed in its playlist (start - 1 before the first). */
        synchronized int written() {
            Path playlist = dir.resolve("run" + id + ".m3u8");
            try {
                long stamp = Files.exists(playlist) ? Files.getLastModifiedTime(playlist).toMillis()
                        ^ Files.size(playlist) : -1;
                if (stamp == playlistStamp || stamp == -1 || Files.size(playlist) > MAX_RUN_PLAYLIST) {
                    return written;
                }
                String text = Files.readString(playlist, StandardCharsets.UTF_8);
                playlistStamp = stamp;
                Matcher m = LISTED.matcher(text);
                while (m.find()) {
                    written = Math.max(written, Integer.parseInt(m.group(1)));
                }
            } catch (IOException | NumberFormatException e) {
                // rewritten while read: the next poll reads it
            }
            return written;
        }

        void stop() {
            Process p;
            synchronized (this) {
                stopped = true;
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
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
