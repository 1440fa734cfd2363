package org.hypertube.playback;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import net.javacrumbs.shedlock.core.LockConfiguration;
import net.javacrumbs.shedlock.core.LockProvider;
import net.javacrumbs.shedlock.core.SimpleLock;
import org.hypertube.playback.media.FfmpegBinaries;
import org.hypertube.playback.media.MediaProbe;
import org.hypertube.playback.media.Transcoder;
import org.hypertube.playback.thumbnails.SpriteSheets;
import org.hypertube.playback.thumbnails.ThumbnailProperties;
import org.hypertube.playback.thumbnails.ThumbnailStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Seek-bar thumbnails of the finished films ({@link SpriteSheets}), made once per film file and kept with it
 * ({@code media/.thumbs/<info-hash>/}, {@link ThumbnailStore}): counted in the disk quota, deleted with the film.
 * A finished download is queued at once, and a sweep every minute queues those still without (after a restart,
 * or those another instance did not make); one worker makes them one film at a time at the lowest priority, and
 * never while a conversion for a viewer runs here: it waits for the conversions to end, and a run under way gives
 * way (is stopped and made again later).
 * With several instances, the one holding the download's lease makes them, or, when none does, whichever
 * takes the film's lock first; every instance serves them from the shared media folder.
 */
@Component
class FilmThumbnails {

    private static final Logger log = LoggerFactory.getLogger(FilmThumbnails.class);
    /** A film whose thumbnails failed is tried again after this long (or after a restart). */
    static final Duration RETRY_AFTER_FAILURE = Duration.ofHours(6);
    /** How often a film waiting for the viewers' conversions to end looks again. */
    private static final Duration BUSY_PAUSE = Duration.ofSeconds(5);

    private final Downloads downloads;
    private final Transcoder transcoder;
    private final Leases leases;
    private final LockProvider locks;
    private final FilmProbes probes;
    private final ThumbnailProperties properties;
    private final Clock clock;
    private final ThumbnailStore store;
    private final SpriteSheets sheets;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "thumbnails");
        t.setDaemon(true);
        t.setPriority(Thread.MIN_PRIORITY);
        return t;
    });
    private final Set<String> queued = ConcurrentHashMap.newKeySet();
    private final Map<String, Instant> failedAt = new ConcurrentHashMap<>();
    /** Films deleted while their thumbnails are being made: that run stops and publishes nothing. */
    private final Set<String> removed = ConcurrentHashMap.newKeySet();
    private final Timer madeTimer;
    private final Timer failedTimer;

    FilmThumbnails(Downloads downloads, Transcoder transcoder, Leases leases, LockProvider locks, FilmProbes probes,
                   FfmpegBinaries binaries, ThumbnailProperties properties, Clock clock, MeterRegistry registry) {
        this.downloads = downloads;
        this.transcoder = transcoder;
        this.leases = leases;
        this.locks = locks;
        this.probes = probes;
        this.properties = properties;
        this.clock = clock;
        this.store = new ThumbnailStore(downloads.mediaDir().resolve(".thumbs"));
        this.sheets = new SpriteSheets(binaries);
        this.madeTimer = Timer.builder("hypertube.thumbnails").tag("outcome", "made")
                .description("Seek-bar thumbnail runs of ffmpeg, one per film, and how long they took").register(registry);
        this.failedTimer = Timer.builder("hypertube.thumbnails").tag("outcome", "failed")
                .description("Seek-bar thumbnail runs of ffmpeg, one per film, and how long they took").register(registry);
        downloads.onRemoved(this::forget);
        downloads.onCompleted(this::completed);
    }

    /** What one attempt at a film came to. */
    enum Outcome { MADE, ALREADY, BUSY, ELSEWHERE, GONE, FAILED }

    @Scheduled(fixedDelayString = "${hypertube.thumbnails.sweep-interval:PT1M}",
            initialDelayString = "${hypertube.thumbnails.sweep-interval:PT1M}")
    void scheduledSweep() {
        sweep();
    }

    /** Queues every finished film without thumbnails (not one that failed lately); returns how many. */
    int sweep() {
        if (!properties.enabled()) {
            return 0;
        }
        int added = 0;
        for (Download d : downloads.all()) {
            if (queue(d)) {
                added++;
            }
        }
        return added;
    }

    /** A download finished: its thumbnails are made as soon as the worker and the CPU are free. */
    private void completed(Download d) {
        if (properties.enabled()) {
            queue(d);
        }
    }

    private boolean queue(Download d) {
        String hash = film(d);
        if (d.getState() != Download.State.COMPLETE || d.getFileIndex() == null || store.made(hash, d.getFileIndex())
                || failedLately(hash) || !queued.add(hash)) {
            return false;
        }
        long id = d.getId();
        worker.execute(() -> {
            try {
                while (attempt(id) == Outcome.BUSY) {
                    Thread.sleep(BUSY_PAUSE);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                queued.remove(hash);
            }
        });
        return true;
    }

    /** Makes one download's thumbnails now unless they exist, another instance makes them, or a viewer's conversion runs. */
    Outcome attempt(long downloadId) {
        Optional<Download> found = downloads.find(downloadId);
        if (found.isEmpty() || found.get().getState() != Download.State.COMPLETE || found.get().getFileIndex() == null) {
            return Outcome.GONE;
        }
        Download d = found.get();
        String hash = film(d);
        int file = d.getFileIndex();
        if (store.made(hash, file)) {
            return Outcome.ALREADY;
        }
        if (busy()) {
            return Outcome.BUSY;
        }
        if (leases.heldElsewhere(d.getInfoHash()).isPresent()) {
            return Outcome.ELSEWHERE;   // its owner makes them; this instance serves them from the shared folder
        }
        Optional<SimpleLock> lock = locks.lock(new LockConfiguration(clock.instant(), "thumbnails-" + hash,
                properties.timeout().plusMinutes(1), Duration.ZERO));
        if (lock.isEmpty()) {
            return Outcome.ELSEWHERE;
        }
        try {
            return store.made(hash, file) ? Outcome.ALREADY : make(d, hash, file);
        } finally {
            lock.get().unlock();
        }
    }

    private Outcome make(Download d, String hash, int file) {
        Optional<Path> film = downloads.fileOnDisk(d).filter(java.nio.file.Files::isRegularFile);
        if (film.isEmpty()) {
            return Outcome.GONE;
        }
        store.dropStaleWork(hash, properties.timeout().plusMinutes(10));
        removed.remove(hash);
        long started = System.nanoTime();
        Path work = null;
        try {
            work = store.workFolder(hash);
            double duration = probes.probed(d.getInfoHash()).map(MediaProbe::duration).orElse(0.0);
            SpriteSheets.Made made = sheets.make(film.get(), work, duration, properties.timeout(),
                    () -> busy() || removed.contains(hash));
            if (removed.contains(hash) || downloads.find(d.getId()).isEmpty() || !store.publish(hash, file, work)) {
                return Outcome.GONE;
            }
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            madeTimer.record(took);
            log.info("film {} ({}): seek-bar thumbnails made, {} frames, {} sheet(s), in {} s", d.getFilmId(), hash,
                    made.times().size(), made.sheets(), String.format(Locale.ROOT, "%.1f", took.toMillis() / 1000.0));
            return Outcome.MADE;
        } catch (FfmpegBinaries.StoppedException e) {
            log.info("film {} ({}): seek-bar thumbnails gave way to a conversion or the film's removal; tried again later",
                    d.getFilmId(), hash);
            return Outcome.BUSY;
        } catch (IOException | RuntimeException e) {
            failedTimer.record(Duration.ofNanos(System.nanoTime() - started));
            failedAt.put(hash, clock.instant());
            log.warn("film {} ({}): no seek-bar thumbnails (tried again in {} h): {}", d.getFilmId(), hash,
                    RETRY_AFTER_FAILURE.toHours(), e.getMessage());
            return Outcome.FAILED;
        } finally {
            removed.remove(hash);
            if (work != null) {
                store.discard(work);
            }
            store.tidy(hash);
        }
    }

    /** The index of a film's thumbnails, once made (the download a Play of the film uses). */
    Optional<Path> index(long filmId) {
        return downloads.existingForFilm(filmId).filter(d -> d.getFileIndex() != null)
                .flatMap(d -> store.index(film(d), d.getFileIndex()));
    }

    /** Sheet {@code n} of a film's thumbnails, once made. */
    Optional<Path> sheet(long filmId, int n) {
        return downloads.existingForFilm(filmId).filter(d -> d.getFileIndex() != null)
                .flatMap(d -> store.sheet(film(d), d.getFileIndex(), n));
    }

    boolean made(Download d) {
        return d.getFileIndex() != null && store.made(film(d), d.getFileIndex());
    }

    /** Bytes of a download's thumbnails (for the disk quota). */
    long keptBytes(String infoHash) {
        return store.keptBytes(infoHash.toLowerCase(Locale.ROOT));
    }

    /** The download was removed here: its thumbnails go (a run making them stops). */
    private void forget(String infoHash) {
        String hash = infoHash.toLowerCase(Locale.ROOT);
        removed.add(hash);
        failedAt.remove(hash);
        if (store.evict(hash)) {
            log.info("{}: seek-bar thumbnails deleted", hash);
        }
    }

    /** A conversion for a viewer runs (or waits for a slot) on this instance: thumbnails wait. */
    private boolean busy() {
        Transcoder.Load load = transcoder.load();
        return load.running() > 0 || load.queued() > 0;
    }

    private boolean failedLately(String hash) {
        Instant at = failedAt.get(hash);
        return at != null && at.plus(RETRY_AFTER_FAILURE).isAfter(clock.instant());
    }

    private static String film(Download d) {
        return d.getInfoHash().toLowerCase(Locale.ROOT);
    }

    @PreDestroy
    void stop() {
        worker.shutdownNow();
    }
}
