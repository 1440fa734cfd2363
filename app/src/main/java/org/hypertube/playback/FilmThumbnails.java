package org.hypertube.playback;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
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
import org.hypertube.playback.thumbnails.ThumbnailSchedule;
import org.hypertube.playback.thumbnails.ThumbnailStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Seek-bar thumbnails of the films ({@link SpriteSheets}), made once per film file and kept with it
 * ({@code media/.thumbs/<info-hash>/}, {@link ThumbnailStore}): counted in the disk quota, deleted with the film.
 * A finished download is queued at once, and a sweep every minute queues those still without (after a restart,
 * or those another instance did not make) and the downloads running here whose verified beginning holds a sheet
 * more ({@link ThumbnailSchedule}: those sheets are made from the beginning alone, read from disk); one worker
 * makes them one film at a time at the lowest priority, and never while a conversion for a viewer runs here: it
 * waits for the conversions to end, and a run under way gives way (is stopped and made again later). The sweep
 * also deletes the thumbnails of films no download matches any more (a removal on an instance that was down).
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
    /** A folder matching no download is deleted by the sweep once it has not changed for this long. */
    static final Duration STRAY_AGE = Duration.ofMinutes(1);

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
    /** The sheets of the downloading films' verified beginnings. */
    private final BeginningThumbnails beginnings;
    private final Timer madeTimer;
    private final Timer failedTimer;

    FilmThumbnails(Downloads downloads, Transcoder transcoder, Leases leases, LockProvider locks, FilmProbes probes,
                   InternalMedia internal, FfmpegBinaries binaries, ThumbnailProperties properties, Clock clock,
                   MeterRegistry registry) {
        this.downloads = downloads;
        this.transcoder = transcoder;
        this.leases = leases;
        this.locks = locks;
        this.probes = probes;
        this.properties = properties;
        this.clock = clock;
        this.store = new ThumbnailStore(downloads.mediaDir().resolve(".thumbs"));
        this.sheets = new SpriteSheets(binaries);
        this.beginnings = new BeginningThumbnails(downloads, probes, internal, store, sheets, properties, clock,
                removed, this::busy, this::afterRun);
        this.madeTimer = Timer.builder("hypertube.thumbnails").tag("outcome", "made")
                .description("Seek-bar thumbnail runs of ffmpeg, one per film, and how long they took").register(registry);
        this.failedTimer = Timer.builder("hypertube.thumbnails").tag("outcome", "failed")
                .description("Seek-bar thumbnail runs of ffmpeg, one per film, and how long they took").register(registry);
        downloads.onRemoved(this::forget);
        downloads.onCompleted(this::completed);
    }

    /** What one attempt at a film came to. */
    enum Outcome { MADE, ALREADY, NOT_YET, BUSY, ELSEWHERE, GONE, FAILED }

    /**
     * What the player is told: the set of thumbnails served now ({@code version}, null when none, changes when
     * more are made) and whether more will come (the film downloads, or its thumbnails are still to be made).
     */
    record Shown(String version, boolean growing) {
    }

    @Scheduled(fixedDelayString = "${hypertube.thumbnails.sweep-interval:PT1M}",
            initialDelayString = "${hypertube.thumbnails.sweep-interval:PT1M}")
    void scheduledSweep() {
        sweep();
    }

    /**
     * Deletes what is kept for no download (and work folders left by a dead run), then queues every finished film
     * without thumbnails (not one that failed lately) and every download here whose beginning holds a sheet more;
     * returns how many were queued.
     */
    int sweep() {
        List<Download> all = downloads.all();
        int strays = store.sweep(films(all), clock.millis() - STRAY_AGE.toMillis(), properties.timeout().plusMinutes(10));
        if (strays > 0) {
            log.info("seek-bar thumbnails of {} film(s) no download matches deleted", strays);
        }
        if (!properties.enabled()) {
            return 0;
        }
        int added = 0;
        for (Download d : all) {
            if (queue(d)) {
                added++;
            }
        }
        return added;
    }

    /** Bytes kept for no download (until the sweep deletes them: they count in the disk quota meanwhile). */
    long strayBytes(List<Download> all) {
        return store.strayBytes(films(all));
    }

    private static Set<String> films(List<Download> all) {
        return all.stream().map(FilmThumbnails::film).collect(java.util.stream.Collectors.toSet());
    }

    /** A download finished: its thumbnails are made as soon as the worker and the CPU are free. */
    private void completed(Download d) {
        if (properties.enabled()) {
            queue(d);
        }
    }

    private boolean queue(Download d) {
        String hash = film(d);
        if (d.getFileIndex() == null || failedLately(hash) || !due(d) || !queued.add(hash)) {
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

    /**
     * Makes one download's thumbnails now (a finished film's, or the sheets a downloading film's verified beginning
     * holds) unless they exist, another instance makes them, or a viewer's conversion runs.
     */
    Outcome attempt(long downloadId) {
        Optional<Download> found = downloads.find(downloadId).filter(x -> x.getFileIndex() != null);
        if (found.isEmpty() || !EnumSet.of(Download.State.COMPLETE, Download.State.ACTIVE).contains(found.get().getState())) {
            return Outcome.GONE;
        }
        Download d = found.get();
        String hash = film(d);
        int file = d.getFileIndex();
        boolean whole = d.getState() == Download.State.COMPLETE;
        if (!due(d)) {
            return whole ? Outcome.ALREADY : Outcome.NOT_YET;
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
            if (!whole) {
                return beginnings.make(d, hash, file);
            }
            return store.made(hash, file) ? Outcome.ALREADY : make(d, hash, file);
        } finally {
            lock.get().unlock();
        }
    }

    /** A finished film without its thumbnails, or a downloading one whose beginning holds a sheet more. */
    private boolean due(Download d) {
        return switch (d.getState()) {
            case COMPLETE -> !store.made(film(d), d.getFileIndex());
            case ACTIVE -> beginnings.due(d);
            default -> false;
        };
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
            beginnings.forget(hash);
            log.info("film {} ({}): seek-bar thumbnails made, {} frames, {} sheet(s), in {} s", d.getFilmId(), hash,
                    made.times().size(), made.sheets(), seconds(started));
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
            afterRun(hash, work);
        }
    }

    /** A run ended: what it left in its work folder goes (published work is gone already). */
    void afterRun(String hash, Path work) {
        removed.remove(hash);
        if (work != null) {
            store.discard(work);
        }
        store.tidy(hash);
    }

    static String seconds(long startedNanos) {
        return String.format(Locale.ROOT, "%.1f", (System.nanoTime() - startedNanos) / 1e9);
    }

    /** The index of a film's thumbnails, once any are made (the download a Play of the film uses). */
    Optional<Path> index(long filmId) {
        return downloads.existingForFilm(filmId).filter(d -> d.getFileIndex() != null)
                .flatMap(d -> store.index(film(d), d.getFileIndex()));
    }

    /** Sheet {@code n} of a film's thumbnails, once made. */
    Optional<Path> sheet(long filmId, int n) {
        return downloads.existingForFilm(filmId).filter(d -> d.getFileIndex() != null)
                .flatMap(d -> store.sheet(film(d), d.getFileIndex(), n));
    }

    /**
     * What the player is told of a download's thumbnails. More come only while the film downloads: a finished
     * film's are made when no conversion runs here, which may be never while its viewer watches it converted, so
     * its page would keep asking (and its status stream keep running) for the whole film; they show at its next Play.
     */
    Shown shown(Download d) {
        if (d.getFileIndex() == null) {
            return new Shown(null, false);
        }
        String hash = film(d);
        String version = store.version(hash, d.getFileIndex()).orElse(null);
        boolean growing = properties.enabled() && d.getState() == Download.State.ACTIVE
                && !store.made(hash, d.getFileIndex()) && !failedLately(hash);
        return new Shown(version, growing);
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
        beginnings.forget(hash);
        if (store.evict(hash)) {
            log.info("{}: seek-bar thumbnails deleted", hash);
        }
    }

    /** A conversion for a viewer runs (or waits for a slot) on this instance: thumbnails wait. */
    boolean busy() {
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
