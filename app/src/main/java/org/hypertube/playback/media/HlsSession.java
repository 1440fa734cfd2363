package org.hypertube.playback.media;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One converted variant of a film (audio track and quality), shared by every viewer of that variant:
 * a VOD playlist written up front from the probe, and segments that ffmpeg makes on demand into the
 * film's cache folder ({@link SegmentStore}), kept there for every later viewer.
 *
 * <p>Serving (PLAYBACK.md "Shared conversions"): a kept segment is served at once, with no ffmpeg; one
 * that a cursor ({@link HlsCursor}, one ffmpeg) will reach soon is waited for; otherwise a cursor is
 * started there (up to {@link CursorChoice#CURSORS} per variant while a conversion slot is free), or one is
 * moved there: one nobody waits on, or one that made its turn of segments ({@link CursorChoice}). A request
 * finds its segment or its failure; a seek never answers with an error of its own.
 */
public final class HlsSession implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HlsSession.class);
    /**
     * Waiters are woken when a segment is added or a cursor ends; this is how often they look again
     * anyway (another instance may have added the segment to the shared index, a cursor may have
     * become movable).
     */
    private static final long RECHECK_MILLIS = 500;
    /** A request a newer one of the same viewer superseded still gets its segment if made within this. */
    static final Duration SUPERSEDED_GRACE = Duration.ofSeconds(2);
    /** After ffmpeg failed to make a segment, requests for it are refused at once for this long, doubling... */
    static final Duration FIRST_BACKOFF = Duration.ofSeconds(2);
    /** ...up to this. */
    static final Duration MAX_BACKOFF = Duration.ofSeconds(60);
    /** A cursor followed by another viewer within this is not taken by a viewer who leaves ({@link CursorChoice}). */
    static final Duration TURN_IDLE = CursorChoice.TURN_IDLE;

    private final String key;
    private final String input;
    private final MediaProbe probe;
    private final Plan requested;
    private final Plan plan;
    private final HlsTimeline timeline;
    private final Rational fps;
    private final SegmentStore store;
    private final Path runs;
    private final FfmpegBinaries binaries;
    private final Semaphore slots;
    private final Duration segmentTimeout;
    /** Told once, with the time from this session's opening to its first segment served. */
    private final java.util.function.Consumer<Duration> firstSegment;
    private final long openedAt = System.nanoTime();
    private final java.util.concurrent.atomic.AtomicBoolean segmentServed = new java.util.concurrent.atomic.AtomicBoolean();
    private final List<HlsCursor> cursors = new ArrayList<>();
    /** Which cursor brings a segment asked for (guarded by this). */
    private final CursorChoice choice;
    private final Cursors conversion = new Cursors();
    private final AtomicInteger runNumbers = new AtomicInteger();
    private final AtomicLong requests = new AtomicLong();
    /** Each viewer's newest segment request: older ones were superseded (a seek). */
    private final Map<String, Long> latest = new ConcurrentHashMap<>();
    /** Segments ffmpeg failed to make, and until when requests for them are refused (guarded by this). */
    private final Map<Integer, Backoff> failures = new java.util.HashMap<>();
    private final AtomicBoolean failureTailLogged = new AtomicBoolean();
    private final AtomicInteger ffmpegStarts = new AtomicInteger();
    private final Runnable onStart;
    /** Bumped and notified when a segment or the init is added, a cursor ends or a viewer asks again. */
    private final Object changes = new Object();
    private long version;

    private boolean closed;
    private volatile long lastAccess = System.nanoTime();

    /**
     * @param kept the variant's folder in the film's cache (segments kept there for every later viewer)
     * @param runs a local folder for ffmpeg's own files while it writes
     */
    HlsSession(String key, String input, MediaProbe probe, Plan requested, Plan plan, double[] keyframes, Path kept,
               Path runs, FfmpegBinaries binaries, Semaphore slots, Duration segmentTimeout,
               java.util.function.Consumer<Duration> firstSegment, Runnable onStart) {
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
        this.fps = outputRate(probe.videoStream(plan.videoStream()));
        MediaProbe.VideoStream video = probe.videoStream(plan.videoStream());
        this.timeline = plan.mode() == Delivery.REMUX
                ? HlsTimeline.remux(probe.duration(), probe.startTime(), keyframes, video != null && video.bFrames() == 0)
                : HlsTimeline.transcode(probe.duration(), fps);
        this.store = new SegmentStore(kept, header(), timeline.size());
        this.choice = new CursorChoice(key + " " + plan.label(), timeline, plan.mode() == Delivery.REMUX,
                slots::availablePermits, this::startCursor);
        this.runs = runs;
        this.binaries = binaries;
        this.slots = slots;
        this.segmentTimeout = segmentTimeout;
        this.firstSegment = firstSegment;
        this.onStart = onStart;
    }

    /** The index header: kept segments are reused only by a conversion with the very same segment boundaries. */
    private String header() {
        long hash = 17;
        for (int k = 0; k < timeline.size(); k++) {
            hash = hash * 31 + Math.round(timeline.start(k) * 1e6);
        }
        return String.format(Locale.ROOT, "hypertube-segments 1 %s %d %.6f %016x", plan.label(), timeline.size(),
                timeline.end(), hash);
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
     * The init segment (fMP4 header): at once when kept, else once a cursor (started at the first missing
     * segment when none runs) has written its first segment.
     *
     * @throws MediaException when ffmpeg fails or does not write it within the segment timeout
     */
    public Path init() throws InterruptedException {
        touch();
        if (store.hasInit()) {
            return store.init();
        }
        long deadline = System.nanoTime() + segmentTimeout.toNanos();
        HlsCursor awaited = null;
        while (!store.hasInit()) {
            long seen = version();
            synchronized (this) {
                checkOpen();
                if (awaited != null && awaited.done() && awaited.failure() != null) {
                    throw new MediaException(awaited.failure());
                }
                cursors.removeIf(HlsCursor::done);
                if (cursors.isEmpty()) {
                    int from = store.firstMissing(0);
                    awaited = startCursor(from < timeline.size() ? from : 0);
                } else if (awaited == null || awaited.done()) {
                    awaited = cursors.getFirst();
                }
                awaited.lastWanted = System.nanoTime();   // not idle while someone waits for its init
            }
            touch();
            awaitChange(seen, deadline, "the init segment");
        }
        return store.init();
    }

    /**
     * Starts ffmpeg at the segment holding {@code seconds} for a viewer whose page is on its way (the film
     * just became ready), so its first requests find ffmpeg at work: only while nothing was asked of this
     * conversion yet, no ffmpeg runs and that segment is not kept. Returns at once.
     */
    public synchronized void prepare(double seconds, String viewer) {
        checkOpen();
        int k = timeline.segmentAt(Math.max(0, seconds));
        if (requests.get() > 0 || ffmpegStarts.get() > 0 || !cursors.isEmpty() || (store.has(k) && store.hasInit())) {
            return;
        }
        log.info("playback {} {}: ffmpeg started at segment {} ahead of the player", key, plan.label(), k);
        startCursor(k).lastViewer = viewer;
    }

    /** Segment k for an unnamed viewer (tools, tests). */
    public Path segment(int k) throws InterruptedException {
        return segment(k, "");
    }

    /**
     * Segment {@code k} for {@code viewer}: at once when kept, else when a cursor of this conversion
     * has written it. A viewer's newer request supersedes its older ones (hls.js loads one segment at
     * a time and aborts the one a seek left behind): those no longer steer ffmpeg and give up after
     * {@link #SUPERSEDED_GRACE} unless their segment was made by then.
     *
     * @throws IllegalArgumentException when there is no segment k
     * @throws SupersededException when a newer request of the viewer superseded this one
     * @throws MediaException when ffmpeg fails (at once again during its back-off) or the timeout passes
     */
    public Path segment(int k, String viewer) throws InterruptedException {
        Path file = segmentFile(k, viewer);
        if (segmentServed.compareAndSet(false, true)) {
            Duration since = Duration.ofNanos(System.nanoTime() - openedAt);
            firstSegment.accept(since);
            log.info("playback {} {}: first segment served (segment {}), {} ms after the conversion opened", key,
                    plan.label(), k, since.toMillis());
        }
        return file;
    }

    /**
     * Segment k's bytes for {@code viewer}. A file that vanished between the index check and the read
     * (another instance evicted the film) is not made yet: it is made again, never an error of its own.
     */
    public byte[] segmentBytes(int k, String viewer) throws IOException, InterruptedException {
        for (int attempt = 1; ; attempt++) {
            Path file = segment(k, viewer);
            try {
                return Files.readAllBytes(file);
            } catch (NoSuchFileException e) {
                store.lost(k);
                if (attempt == 3) {
                    throw new MediaException("segment " + k + " of " + key + " vanished as it was read, 3 times");
                }
            }
        }
    }

    /** The init segment's bytes; made again when it vanished as it was read. */
    public byte[] initBytes() throws IOException, InterruptedException {
        for (int attempt = 1; ; attempt++) {
            Path file = init();
            try {
                return Files.readAllBytes(file);
            } catch (NoSuchFileException e) {
                if (attempt == 3) {
                    throw new MediaException("the init segment of " + key + " vanished as it was read, 3 times");
                }
            }
        }
    }

    private Path segmentFile(int k, String viewer) throws InterruptedException {
        if (k < 0 || k >= timeline.size()) {
            throw new IllegalArgumentException("no segment " + k + " (0-" + (timeline.size() - 1) + ")");
        }
        touch();
        long request = requests.incrementAndGet();
        latest.put(viewer, request);
        changed();   // an older request of this viewer, now superseded, stops waiting soon
        try {
            return segmentFile(k, viewer, request);
        } finally {
            // Its entry goes with the last request that made it: a page id per visit would otherwise stay for the
            // conversion's life. An older request still waiting sees no entry of its own, and is superseded as before.
            latest.remove(viewer, request);
        }
    }

    /** The viewers with a segment request under way here. */
    int viewersAsking() {
        return latest.size();
    }

    private Path segmentFile(int k, String viewer, long request) throws InterruptedException {
        if (store.has(k)) {
            followed(k, viewer);
            return store.segment(k);
        }
        long deadline = System.nanoTime() + segmentTimeout.toNanos();
        long supersededAt = 0;
        HlsCursor awaited = null;
        try {
            while (true) {
                long seen = version();
                if (store.has(k)) {
                    followed(k, viewer);
                    synchronized (this) {
                        failures.remove(k);
                    }
                    return store.segment(k);
                }
                boolean current = latest.getOrDefault(viewer, 0L) == request;
                long now = System.nanoTime();
                if (current) {
                    supersededAt = 0;
                } else if (supersededAt == 0) {
                    supersededAt = now;
                } else if (now - supersededAt >= SUPERSEDED_GRACE.toNanos()) {
                    throw new SupersededException("segment " + k + " of " + key + ": a newer request superseded it");
                }
                synchronized (this) {
                    checkOpen();
                    if (awaited != null && awaited.done() && awaited.failure() != null && !store.has(k)
                            && awaited.position() <= k) {
                        throw new MediaException(failed(k, awaited.failure(), now));
                    }
                    Backoff backoff = failures.get(k);
                    if (backoff != null && now - backoff.until < 0 && awaited == null) {
                        throw new MediaException(backoff.failure + " (not tried again for "
                                + Duration.ofNanos(backoff.until - now).toSeconds() + " s)");
                    }
                    if (awaited != null && (!current || !choice.willReach(awaited, k))) {
                        awaited.waiterGone(viewer);
                        awaited = null;
                    }
                    if (awaited == null && current) {
                        awaited = choice.claim(cursors, k, viewer, System.nanoTime());
                        if (awaited != null) {
                            awaited.waiterAdded(viewer);
                        }
                    }
                    if (awaited != null) {
                        awaited.lastWanted = System.nanoTime();
                        awaited.lastViewer = viewer;
                    }
                }
                touch();
                awaitChange(seen, deadline, "segment " + k);
            }
        } finally {
            if (awaited != null) {
                synchronized (this) {
                    awaited.waiterGone(viewer);
                }
            }
        }
    }

    /** A viewer got segment k: the cursors just ahead of it are still wanted, and followed by that viewer. */
    private synchronized void followed(int k, String viewer) {
        choice.followed(cursors, k, viewer, System.nanoTime());
    }

    private HlsCursor startCursor(int k) {
        HlsCursor c = new HlsCursor(conversion, k);
        cursors.add(c);
        c.start();
        return c;
    }

    /** True while an ffmpeg of this conversion runs or waits for its turn. */
    public synchronized boolean converting() {
        return cursors.stream().anyMatch(c -> !c.done());
    }

    /** True while an ffmpeg of this conversion waits for a conversion slot. */
    public synchronized boolean queued() {
        return cursors.stream().anyMatch(HlsCursor::queued);
    }

    /** ffmpeg processes running now for this conversion. */
    public synchronized int ffmpegRunning() {
        return (int) cursors.stream().filter(HlsCursor::running).count();
    }

    /** ffmpeg processes waiting for a conversion slot. */
    public synchronized int ffmpegQueued() {
        return (int) cursors.stream().filter(HlsCursor::queued).count();
    }

    /** A running ffmpeg process of this conversion, if any (for tests and diagnostics). */
    public synchronized java.util.Optional<ProcessHandle> process() {
        return cursors.stream().map(HlsCursor::process).filter(p -> p != null && p.isAlive()).findFirst()
                .map(Process::toHandle);
    }

    /** The folder of the kept segments. */
    public Path directory() {
        return store.directory();
    }

    /** Segments finished and kept. */
    public int segmentsKept() {
        return store.finished();
    }

    /** Nanosecond clock reading of the last request. */
    long lastAccess() {
        return lastAccess;
    }

    /**
     * A viewer left (another variant chosen): the ffmpeg it used last stops unless someone else waits on it or plays just behind it. Its
     * own requests still waiting here are superseded (they no longer hold or start an ffmpeg).
     */
    void leave(String viewer) {
        latest.remove(viewer);
        List<HlsCursor> left = new ArrayList<>();
        long now = System.nanoTime();
        synchronized (this) {
            for (HlsCursor c : cursors) {
                if (!c.done() && c.waitedOnOnlyBy(viewer) && viewer.equals(c.lastViewer)
                        && !c.followedByAnotherThan(viewer, now, TURN_IDLE)) {
                    left.add(c);
                }
            }
        }
        left.forEach(HlsCursor::stop);
    }

    /** Stops the cursors nobody asked anything of for {@code idle} (their segments stay). */
    void stopIdle(Duration idle) {
        List<HlsCursor> idleOnes = new ArrayList<>();
        long now = System.nanoTime();
        synchronized (this) {
            for (HlsCursor c : cursors) {
                if (!c.done() && c.waiters == 0 && now - c.lastWanted > idle.toNanos()) {
                    idleOnes.add(c);
                }
            }
        }
        for (HlsCursor c : idleOnes) {
            log.info("playback {} {}: ffmpeg at segment {} unwanted for {} s, stopped", key, plan.label(), c.position(),
                    idle.toSeconds());
            c.stop();
        }
    }

    /** Stops every ffmpeg of this conversion, keeping the segments (idle, shutdown, another variant). */
    void stopConversion() {
        List<HlsCursor> all;
        synchronized (this) {
            all = new ArrayList<>(cursors);
        }
        all.forEach(HlsCursor::stop);
    }

    /** Stops ffmpeg; the kept segments stay (see {@link Transcoder#evict}). */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        stopConversion();
    }

    private void touch() {
        lastAccess = System.nanoTime();
    }

    private void checkOpen() {
        if (closed) {
            throw new MediaException("the playback " + key + " was closed");
        }
    }

    private long version() {
        synchronized (changes) {
            return version;
        }
    }

    /** Wakes every waiting request: something they wait for may have happened. */
    private void changed() {
        synchronized (changes) {
            version++;
            changes.notifyAll();
        }
    }

    /** Waits until something changed since {@code seen}, at most {@link #RECHECK_MILLIS}. */
    private void awaitChange(long seen, long deadline, String what) throws InterruptedException {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            throw new MediaException("timed out waiting for " + what);
        }
        synchronized (changes) {
            if (version == seen) {
                changes.wait(Math.min(RECHECK_MILLIS, Math.max(1, left / 1_000_000)));
            }
        }
    }

    /** ffmpeg failed before segment k: requests for it are refused for a while (caller holds the lock). */
    private String failed(int k, String failure, long now) {
        Backoff previous = failures.get(k);
        Duration delay = previous == null ? FIRST_BACKOFF
                : previous.delay.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : previous.delay.multipliedBy(2);
        if (previous == null || now - previous.until >= 0) {
            failures.put(k, new Backoff(now + delay.toNanos(), delay, failure));
        }
        return failure;
    }

    private record Backoff(long until, Duration delay, String failure) {}

    /** ffmpeg processes this conversion started (each run counts, a restart after a move too). */
    public int ffmpegStarts() {
        return ffmpegStarts.get();
    }

    /** ffmpeg's arguments for a run writing from segment k (PLAYBACK.md §1.3). */
    private List<String> arguments(int run, int k) {
        double seek;
        double hlsTime;
        double stopAt = 0;
        if (plan.mode() == Delivery.REMUX) {
            hlsTime = HlsCommand.CUT_AT_EACH_KEYFRAME;
            if (k == 0) {
                seek = 0;
                int parts = timeline.firstParts();
                if (parts > 1) {
                    hlsTime = (timeline.start(parts) + HlsCommand.PART_SLACK) / parts;
                    stopAt = timeline.start(parts) + probe.startTime();
                }
            } else {
                double gap = timeline.duration(k);
                MediaProbe.VideoStream video = probe.videoStream(plan.videoStream());
                boolean heuristic = !probe.isMp4() && video != null && video.bFrames() > 0;
                seek = timeline.start(k) + (heuristic ? HlsCommand.DTS_HEURISTIC : 0) + Math.min(0.05, gap / 2);
            }
        } else {
            seek = timeline.start(k);
            hlsTime = HlsCommand.CUT_AT_EACH_KEYFRAME;
        }
        return HlsCommand.arguments(input, probe, plan, run, k, seek, fps, hlsTime, stopAt, timeline);
    }

    /** What the cursors see of this conversion. */
    private final class Cursors implements HlsCursor.Conversion {
        @Override
        public String key() {
            return key;
        }

        @Override
        public String label() {
            return plan.label();
        }

        @Override
        public int segmentCount() {
            return timeline.size();
        }

        @Override
        public SegmentStore store() {
            return store;
        }

        @Override
        public Path runs() {
            return runs;
        }

        @Override
        public Semaphore slots() {
            return slots;
        }

        @Override
        public FfmpegBinaries binaries() {
            return binaries;
        }

        @Override
        public List<String> arguments(int run, int start) {
            return HlsSession.this.arguments(run, start);
        }

        @Override
        public int runStart(int k) {
            return k < timeline.firstParts() ? 0 : k;
        }

        @Override
        public int runEnd(int start) {
            return start < timeline.firstParts() && timeline.firstParts() > 1 ? timeline.firstParts() : timeline.size();
        }

        @Override
        public double duration(int k) {
            return timeline.duration(k);
        }

        @Override
        public int nextRun() {
            return runNumbers.incrementAndGet();
        }

        @Override
        public void started() {
            ffmpegStarts.incrementAndGet();
            onStart.run();
        }

        @Override
        public void changed() {
            HlsSession.this.changed();
        }

        @Override
        public boolean firstFailure() {
            return failureTailLogged.compareAndSet(false, true);
        }
    }
}
