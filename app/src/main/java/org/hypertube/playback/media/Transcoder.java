package org.hypertube.playback.media;

import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.hypertube.system.HypertubeProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * The converted variants (HLS sessions), one per film and variant, shared by all its viewers, and the
 * limits on their ffmpeg processes: at most {@code maxTranscodes} video encodes at once (others wait in
 * line, first come first served) and {@code maxRemuxes} video copies. Finished segments are kept in the
 * film's cache folder ({@code <data>/media/.hls/<film>/<variant>/}) until {@link #evict}; ffmpeg writes
 * them in a local work folder first. An ffmpeg nobody asked anything of for {@code idleTimeout} is
 * stopped, a session nobody used for {@code sessionTimeout} forgotten (its segments stay); all stop on
 * shutdown. A dead input ends ffmpeg by itself ({@code -rw_timeout}).
 */
@Component
public class Transcoder implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Transcoder.class);
    /** Session folders of earlier versions (one per member), and ffmpeg's run folders. */
    private static final Pattern LEFTOVER = Pattern.compile("[0-9a-f]{16}-[a-z0-9-]+|run-.*");
    /** A film's name in the cache: an info-hash, or any short lower-case name (tests, tools). */
    private static final Pattern FILM = Pattern.compile("[0-9a-z][0-9a-z-]{0,79}");

    private final FfmpegBinaries binaries;
    private final MediaProperties properties;
    private final Path workDir;
    private final Path cacheDir;
    private final Semaphore transcodeSlots;
    private final Semaphore remuxSlots;
    private final Map<String, HlsSession> sessions = new ConcurrentHashMap<>();
    /** Key of a requested plan carried out as another (a remux without keyframe index) -> that plan's key. */
    private final Map<String, String> aliases = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicLong started = new java.util.concurrent.atomic.AtomicLong();
    private final ScheduledExecutorService reaper;
    private volatile java.util.function.BiConsumer<Delivery, Duration> firstSegment = (mode, time) -> { };

    @Autowired
    public Transcoder(FfmpegBinaries binaries, MediaProperties properties, HypertubeProperties hypertube) {
        this(binaries, properties, properties.workDir() != null ? properties.workDir()
                : hypertube.dataDir().resolve("transcode"), hypertube.dataDir().resolve("media").resolve(".hls"));
    }

    /** With an explicit work folder, the kept segments in its "kept" folder (tests, tools). */
    public Transcoder(FfmpegBinaries binaries, MediaProperties properties, Path workDir) {
        this(binaries, properties, workDir, workDir.resolve("kept"));
    }

    /**
     * @param workDir  ffmpeg's own files while it writes (local, emptied at start)
     * @param cacheDir the kept segments, one folder per film (may be shared by several instances)
     */
    public Transcoder(FfmpegBinaries binaries, MediaProperties properties, Path workDir, Path cacheDir) {
        this.binaries = binaries;
        this.properties = properties;
        this.workDir = workDir.toAbsolutePath().normalize();
        this.cacheDir = cacheDir.toAbsolutePath().normalize();
        this.transcodeSlots = new Semaphore(properties.maxTranscodes(), true);
        this.remuxSlots = new Semaphore(properties.maxRemuxes(), true);
        try {
            Files.createDirectories(this.workDir);
            Files.createDirectories(this.cacheDir);
        } catch (IOException e) {
            throw new MediaException("cannot create the transcode folders " + this.workDir + ", " + this.cacheDir
                    + ": " + e.getMessage(), e);
        }
        removeLeftovers();
        this.reaper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "hls-reaper");
            t.setDaemon(true);
            return t;
        });
        long period = Math.max(200, Math.min(5000, properties.idleTimeout().toMillis() / 4));
        reaper.scheduleWithFixedDelay(this::reap, period, period, TimeUnit.MILLISECONDS);
    }

    /** The key of a film's variant: its sessions are found and shared by it. */
    public static String key(String film, Plan plan) {
        return film + "/" + plan.label();
    }

    /**
     * The conversion of this film for this plan, shared by every viewer: the open one, or a new one over
     * the segments kept for it. ffmpeg starts with the first init or segment request that is not kept.
     * A REMUX whose keyframe index cannot be read (AVI, TS, MKV without Cues) becomes a TRANSCODE at the
     * default quality: see {@link HlsSession#plan()}.
     *
     * @param film     the film file's name in the cache: its info-hash (or, in tests and tools, a short lower-case name)
     * @param inputUrl the loopback stream URL of the file (or, in tests and tools, an absolute file path)
     */
    public HlsSession open(String film, String inputUrl, MediaProbe probe, Plan plan) {
        if (plan.mode() == Delivery.DIRECT) {
            throw new IllegalArgumentException("direct play needs no conversion");
        }
        if (film == null || !FILM.matcher(film).matches()) {
            throw new IllegalArgumentException("not a film name: " + film);
        }
        MediaInput.isUrl(inputUrl);
        if (probe.videoStream(plan.videoStream()) == null
                || (plan.audioStream() >= 0 && probe.audioStream(plan.audioStream()) == null)) {
            throw new IllegalArgumentException("the plan " + plan.label() + " names streams the film does not have");
        }
        HlsSession existing = sessions.get(effectiveKey(key(film, plan)));
        if (existing != null) {
            return existing;
        }
        Plan effective = plan;
        double[] keyframes = null;
        long opening = System.nanoTime();
        if (plan.mode() == Delivery.REMUX) {
            keyframes = Keyframes.read(inputUrl, probe, plan.videoStream()).orElse(null);
            if (keyframes == null) {
                effective = Decision.transcodeInstead(probe, plan, Quality.DEFAULT);
                log.info("playback {}: no keyframe index, transcoding instead of remuxing", key(film, plan));
            }
        }
        Delivery mode = effective.mode();
        // keyed by the plan carried out, as its folder is: one session per folder
        String key = key(film, effective);
        synchronized (this) {
            if (!effective.equals(plan)) {
                aliases.put(key(film, plan), key);
            }
            existing = sessions.get(key);
            if (existing != null) {
                return existing;
            }
            HlsSession created = new HlsSession(key, inputUrl, probe, plan, effective, keyframes,
                    cacheDir.resolve(film).resolve(effective.label()), workDir, binaries,
                    mode == Delivery.TRANSCODE ? transcodeSlots : remuxSlots, properties.segmentTimeout(),
                    time -> firstSegment.accept(mode, time), started::incrementAndGet);
            sessions.put(key, created);
            log.info("playback {}: opened, {} segments{}", key, created.segmentCount(), keyframes == null ? ""
                    : ", keyframe index read in " + (System.nanoTime() - opening) / 1_000_000 + " ms");
            if (created.segmentsKept() > 0) {
                log.info("playback {}: {} of {} segments kept from earlier viewings", key, created.segmentsKept(),
                        created.segmentCount());
            }
            return created;
        }
    }

    /** Bytes of the converted segments kept for a film (for the disk quota). */
    public long keptBytes(String film) {
        Path dir = cacheDir.resolve(film == null ? "" : film).normalize();
        if (film == null || !FILM.matcher(film).matches() || !Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(dir, 3)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        } catch (IOException | java.io.UncheckedIOException e) {
            return 0;
        }
    }

    /** The conversion of this key ({@link #key}), if open. */
    public Optional<HlsSession> find(String key) {
        return Optional.ofNullable(sessions.get(effectiveKey(key)));
    }

    /** Stops the conversion's ffmpeg and forgets it; its kept segments stay. */
    public void close(String key) {
        HlsSession session;
        synchronized (this) {
            session = sessions.remove(effectiveKey(key));
        }
        if (session != null) {
            session.close();
        }
    }

    /**
     * A viewer chose another variant of the film: unless someone else asked anything of this one lately,
     * its ffmpeg stops at once (the slot is free for the new variant) instead of when it goes idle.
     */
    public void leave(String key, String viewer) {
        HlsSession session = sessions.get(effectiveKey(key));
        if (session != null) {
            session.leave(viewer);
        }
    }

    /** The film's cache is evicted (the film deleted): its conversions stop and their kept segments go. */
    public void evict(String film) {
        if (film == null || !FILM.matcher(film).matches()) {
            return;
        }
        List<String> keys = sessions.keySet().stream().filter(k -> k.startsWith(film + "/")).toList();
        keys.forEach(this::close);
        aliases.keySet().removeIf(k -> k.startsWith(film + "/"));
        Path dir = cacheDir.resolve(film);
        if (Files.exists(dir)) {
            SegmentStore.delete(dir);
            log.info("{}: converted segments deleted", film);
        }
    }

    /** ffmpeg processes (transcodes and remuxes together) running now, and those waiting for a slot. */
    public record Load(int running, int queued) {}

    public Load load() {
        int running = 0;
        int queued = 0;
        for (HlsSession session : sessions.values()) {
            running += session.ffmpegRunning();
            queued += session.ffmpegQueued();
        }
        return new Load(running, queued);
    }

    /** Told, for each conversion, how long its first segment took from the session's opening (for metrics). */
    public void onFirstSegment(java.util.function.BiConsumer<Delivery, Duration> listener) {
        this.firstSegment = listener;
    }

    /** ffmpeg processes started since this server started (each run of each conversion). */
    public long conversionsStarted() {
        return started.get();
    }

    /** The key of the session carrying out the plan of {@code key}. */
    private String effectiveKey(String key) {
        return aliases.getOrDefault(key, key);
    }

    /** Video encodes running now. */
    public int runningTranscodes() {
        return properties.maxTranscodes() - transcodeSlots.availablePermits();
    }

    /** Stops every ffmpeg (the kept segments stay). */
    @Override
    @PreDestroy
    public void close() {
        reaper.shutdownNow();
        List<String> keys = new ArrayList<>(sessions.keySet());
        keys.forEach(this::close);
    }

    Path workDir() {
        return workDir;
    }

    private void reap() {
        try {
            long now = System.nanoTime();
            for (var entry : sessions.entrySet()) {
                HlsSession session = entry.getValue();
                long idle = now - session.lastAccess();
                if (idle > properties.sessionTimeout().toNanos()) {
                    log.info("playback {}: no request for {} s, forgotten (its segments stay)", entry.getKey(),
                            Duration.ofNanos(idle).toSeconds());
                    synchronized (this) {
                        sessions.remove(entry.getKey(), session);
                    }
                    session.close();
                } else {
                    session.stopIdle(properties.idleTimeout());
                }
            }
        } catch (RuntimeException e) {
            log.warn("reaping idle conversions failed", e);
        }
    }

    /** ffmpeg's run folders and per-member session folders of a previous run of the server. */
    private void removeLeftovers() {
        try (Stream<Path> children = Files.list(workDir)) {
            for (Path child : children.toList()) {
                if (Files.isDirectory(child) && LEFTOVER.matcher(child.getFileName().toString()).matches()) {
                    SegmentStore.delete(child);
                }
            }
        } catch (IOException e) {
            log.warn("could not clean {}: {}", workDir, e.toString());
        }
    }
}
