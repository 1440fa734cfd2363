package org.hypertube.playback.media;

import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
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
 * The converted playbacks (HLS sessions), one per playback key, and the limits on their ffmpeg processes:
 * at most {@code maxTranscodes} video encodes at once (others wait in line, first come first served) and
 * {@code maxRemuxes} video copies. A session's ffmpeg is stopped after {@code idleTimeout} without a
 * request (its segments stay), the session itself deleted after {@code sessionTimeout}; all stop on
 * shutdown. A dead input ends ffmpeg by itself ({@code -rw_timeout}).
 */
@Component
public class Transcoder implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Transcoder.class);
    private static final Pattern SESSION_FOLDER = Pattern.compile("[0-9a-f]{16}-[a-z0-9-]+");

    private final FfmpegBinaries binaries;
    private final MediaProperties properties;
    private final Path workDir;
    private final Semaphore transcodeSlots;
    private final Semaphore remuxSlots;
    private final Map<String, HlsSession> sessions = new ConcurrentHashMap<>();
    private final ScheduledExecutorService reaper;
    private volatile java.util.function.BiConsumer<Delivery, Duration> firstSegment = (mode, time) -> { };

    @Autowired
    public Transcoder(FfmpegBinaries binaries, MediaProperties properties, HypertubeProperties hypertube) {
        this(binaries, properties, properties.workDir() != null ? properties.workDir()
                : hypertube.dataDir().resolve("transcode"));
    }

    /** With an explicit work folder (tests, tools). */
    public Transcoder(FfmpegBinaries binaries, MediaProperties properties, Path workDir) {
        this.binaries = binaries;
        this.properties = properties;
        this.workDir = workDir.toAbsolutePath().normalize();
        this.transcodeSlots = new Semaphore(properties.maxTranscodes(), true);
        this.remuxSlots = new Semaphore(properties.maxRemuxes(), true);
        try {
            Files.createDirectories(this.workDir);
        } catch (IOException e) {
            throw new MediaException("cannot create the transcode folder " + this.workDir + ": " + e.getMessage(), e);
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

    /**
     * The session of this playback for this plan: the existing one, or a new one (replacing the key's
     * session for another plan, e.g. another audio track). ffmpeg starts with the first init or segment
     * request. A REMUX whose keyframe index cannot be read (AVI, TS, MKV without Cues) becomes a
     * TRANSCODE at the default quality: see {@link HlsSession#plan()}.
     *
     * @param key      the playback's identity, e.g. info-hash + file index + viewer; any text
     * @param inputUrl the loopback stream URL of the file (or, in tests and tools, an absolute file path)
     */
    public HlsSession open(String key, String inputUrl, MediaProbe probe, Plan plan) {
        if (plan.mode() == Delivery.DIRECT) {
            throw new IllegalArgumentException("direct play needs no conversion");
        }
        MediaInput.isUrl(inputUrl);
        if (probe.videoStream(plan.videoStream()) == null
                || (plan.audioStream() >= 0 && probe.audioStream(plan.audioStream()) == null)) {
            throw new IllegalArgumentException("the plan " + plan.label() + " names streams the film does not have");
        }
        HlsSession existing = sessions.get(key);
        if (existing != null && existing.requestedPlan().equals(plan)) {
            return existing;
        }
        Plan effective = plan;
        double[] keyframes = null;
        if (plan.mode() == Delivery.REMUX) {
            keyframes = Keyframes.read(inputUrl, probe, plan.videoStream()).orElse(null);
            if (keyframes == null) {
                effective = Decision.transcodeInstead(probe, plan, Quality.DEFAULT);
                log.info("playback {}: no keyframe index, transcoding instead of remuxing", key);
            }
        }
        Path dir = workDir.resolve(folder(key) + "-" + effective.label());
        Delivery mode = effective.mode();
        HlsSession created;
        synchronized (this) {
            existing = sessions.get(key);
            if (existing != null && existing.requestedPlan().equals(plan)) {
                return existing;
            }
            try {
                Files.createDirectories(dir);
            } catch (IOException e) {
                throw new MediaException("cannot create " + dir + ": " + e.getMessage(), e);
            }
            created = new HlsSession(key, inputUrl, probe, plan, effective, keyframes, dir, binaries,
                    effective.mode() == Delivery.TRANSCODE ? transcodeSlots : remuxSlots, properties.segmentTimeout(),
                    time -> firstSegment.accept(mode, time));
            sessions.put(key, created);
        }
        if (existing != null) {
            existing.close();
        }
        return created;
    }

    /** The session of this playback, if open. */
    public Optional<HlsSession> find(String key) {
        return Optional.ofNullable(sessions.get(key));
    }

    /** Stops the playback's ffmpeg and deletes its files. */
    public void close(String key) {
        HlsSession session;
        synchronized (this) {
            session = sessions.remove(key);
        }
        if (session != null) {
            session.close();
        }
    }

    /** Conversions (transcodes and remuxes together) whose ffmpeg runs now, and those waiting for a slot. */
    public record Load(int running, int queued) {}

    public Load load() {
        int running = 0;
        int queued = 0;
        for (HlsSession session : sessions.values()) {
            if (session.queued()) {
                queued++;
            } else if (session.converting()) {
                running++;
            }
        }
        return new Load(running, queued);
    }

    /** Told, for each conversion, how long its first segment took from the session's opening (for metrics). */
    public void onFirstSegment(java.util.function.BiConsumer<Delivery, Duration> listener) {
        this.firstSegment = listener;
    }

    /** Video encodes running now. */
    public int runningTranscodes() {
        return properties.maxTranscodes() - transcodeSlots.availablePermits();
    }

    /** Stops every ffmpeg and deletes every session. */
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
                    log.info("playback {}: no request for {} s, deleting its conversion", entry.getKey(),
                            Duration.ofNanos(idle).toSeconds());
                    synchronized (this) {
                        sessions.remove(entry.getKey(), session);
                    }
                    session.close();
                } else if (idle > properties.idleTimeout().toNanos() && session.converting()) {
                    log.info("playback {}: no request for {} s, stopping ffmpeg", entry.getKey(),
                            Duration.ofNanos(idle).toSeconds());
                    session.stopConversion();
                }
            }
        } catch (RuntimeException e) {
            log.warn("reaping idle conversions failed", e);
        }
    }

    /** Folders of a previous run of the server: nothing refers to them any more. */
    private void removeLeftovers() {
        try (Stream<Path> children = Files.list(workDir)) {
            for (Path child : children.toList()) {
                if (Files.isDirectory(child) && SESSION_FOLDER.matcher(child.getFileName().toString()).matches()) {
                    try (Stream<Path> files = Files.walk(child)) {
                        for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                            Files.deleteIfExists(p);
                        }
                    }
                }
            }
        } catch (IOException e) {
            log.warn("could not clean {}: {}", workDir, e.toString());
        }
    }

    /** A file-name-safe, fixed-length name for any key. */
    private static String folder(String key) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
