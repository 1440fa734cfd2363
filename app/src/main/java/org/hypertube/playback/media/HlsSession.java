package org.hypertube.playback.media;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
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
 * started there (up to {@link #CURSORS} per variant while a conversion slot is free), or one is moved
 * there: one nobody waits on, or one that made its turn of segments. A request finds its segment
 * or its failure; a seek never answers with an error of its own.
 */
public final class HlsSession implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HlsSession.class);
    private static final long POLL_MILLIS = 40;
    /** A running ffmpeg is waited for when it is at most this many segments short of the one asked... */
    private static final int REACH_SEGMENTS = 3;
    /** ...or, copying video (about 35× real time), this many seconds of film short of it. */
    private static final double REMUX_REACH_SECONDS = 20;
    /** ffmpeg processes of one variant at most (each with a conversion slot of its own). */
    static final int CURSORS = 2;
    /** Segments a cursor makes where it was moved before a viewer elsewhere may move it again... */
    static final int TURN_SEGMENTS = 4;
    /** ...unless nobody asked anything of it for this long. */
    static final Duration TURN_IDLE = Duration.ofSeconds(2);

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
    private final Cursors conversion = new Cursors();
    private final AtomicInteger runNumbers = new AtomicInteger();
    private final AtomicLong requests = new AtomicLong();
    /** Each viewer's newest segment request: older ones were superseded (a seek). */
    private final Map<String, Long> latest = new ConcurrentHashMap<>();

    private boolean closed;
    private volatile long lastAccess = System.nanoTime();

    /**
     * @param kept the variant's folder in the film's cache (segments kept there for every later viewer)
     * @param runs a local folder for ffmpeg's own files while it writes
     */
    HlsSession(String key, String input, MediaProbe probe, Plan requested, Plan plan, double[] keyframes, Path kept,
               Path runs, FfmpegBinaries binaries, Semaphore slots, Duration segmentTimeout,
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
        this.fps = outputRate(probe.videoStream(plan.videoStream()));
        this.timeline = plan.mode() == Delivery.REMUX
                ? HlsTimeline.remux(probe.duration(), probe.startTime(), keyframes)
                : HlsTimeline.transcode(probe.duration(), fps);
        this.store = new SegmentStore(kept, header(), timeline.size());
        this.runs = runs;
        this.binaries = binaries;
        this.slots = slots;
        this.segmentTimeout = segmentTimeout;
        this.firstSegment = firstSegment;
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
        while (!store.hasInit()) {
            synchronized (this) {
                checkOpen();
                cursors.removeIf(HlsCursor::done);
                if (cursors.isEmpty()) {
                    int from = store.firstMissing(0);
                    startCursor(from < timeline.size() ? from : 0, true);
                }
            }
            touch();
            sleepUntil(deadline, "the init segment");
            HlsCursor failed = failedCursor();
            if (failed != null && !store.hasInit()) {
                throw new MediaException(failed.failure());
            }
        }
        return store.init();
    }

    /** Segment k for an unnamed viewer (tools, tests). */
    public Path segment(int k) throws InterruptedException {
        return segment(k, "");
    }

    /**
     * Segment {@code k} for {@code viewer}: at once when kept, else when a cursor of this conversion
     * has written it. A viewer's newer request supersedes its older ones (hls.js loads one segment at
     * a time and drops the one a seek left behind): those keep waiting for their file but no longer
     * steer ffmpeg.
     *
     * @throws IllegalArgumentException when there is no segment k
     * @throws MediaException when ffmpeg fails or the timeout passes
     */
    public Path segment(int k, String viewer) throws InterruptedException {
        Path file = segmentFile(k, viewer);
        if (segmentServed.compareAndSet(false, true)) {
            firstSegment.accept(Duration.ofNanos(System.nanoTime() - openedAt));
        }
        return file;
    }

    private Path segmentFile(int k, String viewer) throws InterruptedException {
        if (k < 0 || k >= timeline.size()) {
            throw new IllegalArgumentException("no segment " + k + " (0-" + (timeline.size() - 1) + ")");
        }
        touch();
        long request = requests.incrementAndGet();
        latest.put(viewer, request);
        if (store.has(k)) {
            followed(k, viewer);
            return store.segment(k);
        }
        long deadline = System.nanoTime() + segmentTimeout.toNanos();
        HlsCursor awaited = null;
        try {
            while (true) {
                if (store.has(k)) {
                    followed(k, viewer);
                    return store.segment(k);
                }
                boolean current = latest.getOrDefault(viewer, 0L) == request;
                synchronized (this) {
                    checkOpen();
                    if (awaited != null && awaited.done() && awaited.failure() != null && !store.has(k)
                            && awaited.position() <= k) {
                        throw new MediaException(awaited.failure());
                    }
                    if (awaited != null && (!current || !willReach(awaited, k))) {
                        awaited.waiters--;
                        awaited = null;
                    }
                    if (awaited == null && current) {
                        awaited = claim(k, viewer);
                        if (awaited != null) {
                            awaited.waiters++;
                        }
                    }
                    if (awaited != null) {
                        awaited.lastWanted = System.nanoTime();
                        awaited.lastViewer = viewer;
                    }
                }
                touch();
                sleepUntil(deadline, "segment " + k);
            }
        } finally {
            if (awaited != null) {
                synchronized (this) {
                    awaited.waiters--;
                }
            }
        }
    }

    /**
     * The cursor that will bring segment k (caller holds the lock): one that gets there soon; else a
     * new one when this conversion has fewer than {@link #CURSORS} and a slot is free now (or none at
     * all); else one that may be moved there; else null (the request waits and asks again).
     */
    private HlsCursor claim(int k, String viewer) {
        cursors.removeIf(HlsCursor::done);
        for (HlsCursor c : cursors) {
            if (willReach(c, k)) {
                return c;
            }
        }
        if (cursors.isEmpty() || (cursors.size() < CURSORS && slots.availablePermits() > 0)) {
            return startCursor(k, false);
        }
        long now = System.nanoTime();
        HlsCursor moved = null;
        for (HlsCursor c : cursors) {
            if (movable(c, viewer, now) && (moved == null || c.lastWanted < moved.lastWanted)) {
                moved = c;
            }
        }
        if (moved != null) {
            log.info("playback {} {}: ffmpeg moved from segment {} to {} for a viewer waiting there", key, plan.label(),
                    moved.position(), k);
            moved.moveTo(k);
        }
        return moved;
    }

    /**
     * Whether a cursor may leave its place for another position: nobody waits on it and it was this
     * viewer's, or nobody asked anything of it for a while; or it has made its turn of segments since
     * it was last moved (then a viewer elsewhere gets its turn even while one waits here).
     */
    private static boolean movable(HlsCursor c, String viewer, long now) {
        if (c.waiters == 0 && (viewer.equals(c.lastViewer) || now - c.lastWanted > TURN_IDLE.toNanos())) {
            return true;
        }
        return c.madeSinceMove >= TURN_SEGMENTS;
    }

    /** Running or queued, at or before k, and at most a few segments (or, remuxing, seconds) short of it. */
    private boolean willReach(HlsCursor c, int k) {
        if (c.done()) {
            return false;
        }
        int at = c.position();
        if (k < at) {
            return false;
        }
        if (k <= at + REACH_SEGMENTS) {
            return true;
        }
        return plan.mode() == Delivery.REMUX && timeline.start(k) - timeline.start(at) <= REMUX_REACH_SECONDS;
    }

    /** A viewer got segment k: the cursor making the segments after it is still wanted. */
    private synchronized void followed(int k, String viewer) {
        for (HlsCursor c : cursors) {
            if (c.movedTo <= k && k <= c.position() + REACH_SEGMENTS) {
                c.lastWanted = System.nanoTime();
                c.lastViewer = viewer;
            }
        }
    }

    private HlsCursor startCursor(int k, boolean wanted) {
        HlsCursor c = new HlsCursor(conversion, k);
        if (!wanted) {
            c.lastWanted = System.nanoTime();
        }
        cursors.add(c);
        c.start();
        return c;
    }

    private synchronized HlsCursor failedCursor() {
        for (HlsCursor c : cursors) {
            if (c.done() && c.failure() != null) {
                return c;
            }
        }
        return null;
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

    /** A viewer left (another variant chosen): the ffmpeg it used last stops unless someone waits on it. */
    void leave(String viewer) {
        latest.remove(viewer);
        List<HlsCursor> left = new ArrayList<>();
        synchronized (this) {
            for (HlsCursor c : cursors) {
                if (!c.done() && c.waiters == 0 && viewer.equals(c.lastViewer)) {
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

    private static void sleepUntil(long deadline, String what) throws InterruptedException {
        if (System.nanoTime() > deadline) {
            throw new MediaException("timed out waiting for " + what);
        }
        Thread.sleep(POLL_MILLIS);
    }

    /** ffmpeg's arguments for a run writing from segment k (PLAYBACK.md §1.3). */
    private List<String> arguments(int run, int k) {
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
        return HlsCommand.arguments(input, probe, plan, run, k, seek, fps, hlsTime);
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
        public int nextRun() {
            return runNumbers.incrementAndGet();
        }
    }
}
