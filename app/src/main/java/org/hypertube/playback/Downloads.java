package org.hypertube.playback;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.hypertube.catalog.Catalog;
import org.hypertube.catalog.FilmTorrent;
import org.hypertube.torrent.Torrent;
import org.hypertube.torrent.TorrentEvent;
import org.hypertube.torrent.TorrentState;
import org.hypertube.torrent.InfoHash;
import org.hypertube.torrent.Magnet;
import org.hypertube.torrent.Metainfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;

/**
 * The downloads: which torrent of a film to fetch ({@link FilmCandidates}, {@link TorrentInput}), starting and
 * restoring them in the {@link Engine}, following the engine's events into the database (told on to
 * {@link DownloadListeners}), seeding within the operator's limits ({@link SeedLimits}), removing them
 * ({@link DownloadRemoval}), and moving to the next candidate when a torrent finds no peer. The one entry point
 * for the rest of the app; its collaborators are its own (built here, called under its lock where it holds one).
 */
@Service
class Downloads {

    private static final Logger log = LoggerFactory.getLogger(Downloads.class);

    /** Refused input, with a message key for the person who gave it. */
    static final class Refused extends Exception {
        final String messageKey;

        Refused(String messageKey, String detail) {
            super(detail);
            this.messageKey = messageKey;
        }
    }

    private final DownloadRepository repository;
    private final Engine engine;
    private final TorrentFiles torrentFiles;
    private final Catalog catalog;
    private final PlaybackProperties properties;
    private final Clock clock;
    private final Leases leases;
    private final DownloadRemoval removal;
    private final DownloadListeners listeners = new DownloadListeners();
    private final FilmCandidates candidates;
    private final SeedLimits seedLimits;
    /** One lock per film: two Plays of a film never add two torrents, two films' Plays never wait for each other. */
    private final Map<Long, ReentrantLock> filmLocks = new ConcurrentHashMap<>();
    /** When each torrent was (re)started in this run, for the no-peer time-out. */
    private final Map<String, Instant> startedAt = new ConcurrentHashMap<>();

    Downloads(DownloadRepository repository, Engine engine, TorrentFiles torrentFiles, Catalog catalog,
              PlaybackProperties properties, Clock clock, SwarmHealth health,
              org.hypertube.playback.subtitle.SubtitleCache subtitleCache, Leases leases, FilmUse filmUse) {
        this.leases = leases;
        this.repository = repository;
        this.engine = engine;
        this.torrentFiles = torrentFiles;
        this.catalog = catalog;
        this.properties = properties;
        this.clock = clock;
        this.candidates = new FilmCandidates(catalog, health);
        this.seedLimits = new SeedLimits(properties, clock);
        this.removal = new DownloadRemoval(engine, torrentFiles, subtitleCache, repository, leases, filmUse, listeners,
                startedAt::remove);
        engine.onEvent(this::onEvent);
        leases.onLost(this::lost);
    }

    // ------------------------------------------------------------------ queries

    Optional<Download> find(long id) {
        return repository.findById(id);
    }

    Optional<Download> byHash(String infoHash) {
        return repository.findByInfoHash(infoHash);
    }

    List<Download> all() {
        return repository.findAllByOrderByAddedAtDesc();
    }

    /** The folder under which every torrent's files are. */
    Path mediaDir() {
        return engine.mediaDir();
    }

    Optional<Torrent> torrent(Download d) {
        return engine.torrent(d.getInfoHash());
    }

    /** The download a Play of this film uses, if one exists (finished first, then the newest). */
    Optional<Download> existingForFilm(long filmId) {
        return repository.findByFilmIdOrderByAddedAtDesc(filmId).stream()
                .filter(d -> d.getState() != Download.State.FAILED)
                .min(Comparator.comparing((Download d) -> d.getState() != Download.State.COMPLETE));
    }

    // ------------------------------------------------------------------ Play

    /**
     * The download behind a Play of this film: an existing one (started again if it rests), else the best
     * candidate torrent the sources offer, if the admission lets a new one in. Empty when no source offers
     * a torrent that has not failed. Only administrators pause downloads, so a paused one is resumed only
     * when {@code mayResume} (an administrator's Play); anyone else's Play gets it back still paused.
     *
     * <p>Only this film's Plays wait for each other here: the sources' answers, the trackers' scrapes and
     * a {@code .torrent} fetch happen under the film's own lock, and the shared state is changed under this
     * object's lock for a moment after them (compute, then commit).
     */
    Optional<Download> forFilm(long filmId, Admission admission, boolean mayResume) throws PlayRefused {
        ReentrantLock lock = filmLocks.computeIfAbsent(filmId, k -> new ReentrantLock());
        lock.lock();
        try {
            Optional<Download> existing = resumeExisting(filmId, mayResume);
            if (existing.isPresent()) {
                return existing;
            }
            admission.reserve();
            Optional<Started> started = Optional.empty();
            try {
                started = startNextCandidate(filmId);
            } finally {
                if (started.isEmpty() || !started.get().added()) {
                    admission.release();
                }
            }
            return started.map(Started::download);
        } finally {
            lock.unlock();
        }
    }

    private synchronized Optional<Download> resumeExisting(long filmId, boolean mayResume) {
        Optional<Download> existing = existingForFilm(filmId);
        if (existing.isPresent()) {
            Download d = existing.get();
            if (d.getState() == Download.State.PAUSED) {
                if (!mayResume) {
                    return existing;
                }
                d.setState(Download.State.ACTIVE);
                repository.save(d);
                log.info("{} resumed by an administrator's Play of film {}", d.getInfoHash(), filmId);
            }
            if (d.getState() == Download.State.ACTIVE) {
                run(d);
            }
        }
        return existing;
    }

    /** The film's next candidate after one gave up (upkeep), under the film's lock like a Play. */
    private void nextCandidate(long filmId) {
        ReentrantLock lock = filmLocks.computeIfAbsent(filmId, k -> new ReentrantLock());
        lock.lock();
        try {
            if (existingForFilm(filmId).isEmpty()) {
                startNextCandidate(filmId);
            }
        } finally {
            lock.unlock();
        }
    }

    private Optional<Started> startNextCandidate(long filmId) {
        Set<String> done = candidates.tried(filmId);
        for (FilmTorrent candidate : candidates.untried(filmId)) {
            String hash = candidate.getInfoHash();
            if (hash != null && done.contains(hash)) {
                continue;
            }
            try {
                Started started = commit(TorrentInput.read(candidate.getUri(), null, torrentFiles), filmId, null);
                Download d = started.download();
                done.add(d.getInfoHash());
                log.info("film {}: playing {} ({} {}, {} seeds)", filmId, d.getInfoHash(), candidate.getSource(),
                        candidate.getQuality(), candidate.getSeeds());
                return Optional.of(started);
            } catch (Refused | IOException | RuntimeException e) {
                if (hash != null) {
                    done.add(hash);
                }
                log.warn("film {}: torrent {} from {} unusable: {}", filmId, hash, candidate.getSource(), e.getMessage());
            }
        }
        return Optional.empty();
    }

    // ------------------------------------------------------------------ operator

    /** Adds a torrent by magnet link or .torrent file, optionally as a copy of a film. */
    Download add(String magnet, byte[] torrentFile, Long filmId, Long memberId) throws Refused, IOException {
        if (filmId != null && !catalog.exists(filmId)) {
            throw new Refused("downloads.noSuchFilm", "no film " + filmId);
        }
        if (torrentFile != null && torrentFile.length > 0) {
            return commit(TorrentInput.read(null, torrentFile, torrentFiles), filmId, memberId).download();
        }
        if (magnet == null || magnet.isBlank()) {
            throw new Refused("downloads.nothingToAdd", "neither a magnet link nor a torrent file");
        }
        return commit(TorrentInput.read(magnet.strip(), null, torrentFiles), filmId, memberId).download();
    }

    synchronized void pause(Download d) {
        engine.torrent(d.getInfoHash()).ifPresent(Torrent::pause);
        if (d.getState() == Download.State.ACTIVE) {
            d.setState(Download.State.PAUSED);
            repository.save(d);
        }
        log.info("{} paused", d.getInfoHash());
    }

    synchronized void resume(Download d) {
        if (d.getState() == Download.State.PAUSED || d.getState() == Download.State.FAILED) {
            d.setState(Download.State.ACTIVE);
            repository.save(d);
        }
        Optional<Torrent> running = engine.torrent(d.getInfoHash());
        if (running.isPresent() && running.get().paused()) {
            running.get().resume();
        } else {
            run(d);
        }
        log.info("{} resumed", d.getInfoHash());
    }

    /**
     * Stops the torrent and deletes its files, resume data, converted subtitles and row. A download another
     * live instance runs is not touched here: its owner is asked to delete it on its next upkeep (its torrent
     * must not go on writing into deleted files), and false says so.
     */
    synchronized boolean remove(Download d, String why) {
        return remove(d, why, false);
    }

    /**
     * As {@link #remove(Download, String)}, for retention and the disk quota: the owner asked to delete it
     * waits while anyone, on any instance, reads the film ({@link FilmUse}).
     */
    synchronized boolean removeIfUnused(Download d, String why) {
        return remove(d, why, true);
    }

    private synchronized boolean remove(Download d, String why, boolean ifUnused) {
        return removal.remove(d, why, ifUnused);
    }

    /**
     * Removes every download of the film (an administrator's stop) and forgets which of its torrents were
     * tried, so a later Play may fetch them again.
     */
    synchronized List<String> removeFilm(long filmId, String why) {
        List<String> removed = new ArrayList<>();
        for (Download d : repository.findByFilmIdOrderByAddedAtDesc(filmId)) {
            remove(d, why);
            removed.add(d.getInfoHash());
        }
        candidates.forget(filmId);
        return removed;
    }

    // ------------------------------------------------------------------ starting

    /** The download a candidate became, and whether it is a new torrent (not one already known). */
    private record Started(Download download, boolean added) {}

    /** Adds a prepared torrent, or joins the download that already has it. */
    private synchronized Started commit(TorrentInput p, Long filmId, Long memberId) throws IOException {
        InfoHash hash = p.hash();
        Metainfo metainfo = p.metainfo();
        Magnet magnet = p.magnet();
        Optional<Download> known = repository.findByInfoHash(hash.hex());
        if (known.isPresent()) {
            Download d = known.get();
            if (d.getFilmId() == null && filmId != null) {
                d.setFilmId(filmId);
                repository.save(d);
            }
            if (d.getState() == Download.State.ACTIVE) {
                run(d);
            }
            return new Started(d, false);
        }
        if (metainfo != null) {
            torrentFiles.keep(metainfo, p.bytes());
        }
        String name = metainfo != null ? metainfo.info().name() : magnet.displayName().orElse(null);
        Download d = repository.save(new Download(hash.hex(), filmId, magnet == null ? null : magnet.toUri(), name,
                memberId, clock.instant()));
        log.info("{} added for film {} ({})", hash.hex(), filmId, metainfo != null ? "torrent file" : "magnet");
        run(d);
        return new Started(d, true);
    }

    /**
     * Makes sure the engine has this torrent (after a restart, a pause, a seeding stop or its owner's death),
     * if this instance holds or can take the download's lease; false when another live instance runs it.
     * Verified pieces already in the shared media folder are not fetched again: the engine resumes from its
     * resume data there (and checks files changed since it was written).
     */
    private boolean run(Download d) {
        Optional<Torrent> running = engine.torrent(d.getInfoHash());
        if (running.isPresent()) {
            if (running.get().paused() && d.getState() == Download.State.ACTIVE) {
                running.get().resume();
            }
            return true;
        }
        Leases.Acquired lease = leases.acquire(d.getInfoHash());
        if (!lease.held()) {
            return false;
        }
        Optional<Metainfo> metainfo = torrentFiles.kept(d.getInfoHash());
        if (metainfo.isEmpty() && d.getUri() == null) {
            d.failed("the torrent file is gone");
            repository.save(d);
            leases.release(d.getInfoHash());
            return false;
        }
        if (lease.before() != null && !lease.before().owner().equals(leases.me())) {
            log.info("{} taken over from {} for film {}: resuming from the shared media folder", d.getInfoHash(),
                    lease.before().owner(), d.getFilmId());
        }
        Torrent t = engine.add(d.getUri(), metainfo);
        startedAt.put(d.getInfoHash(), clock.instant());
        t.info().ifPresent(info -> chooseFile(d, t));
        return true;
    }

    /**
     * For a Play of an active download that this engine does not run: runs it here when its lease is free or
     * expired (taking it over), else names the live owner to read the film from.
     */
    synchronized Optional<Lease> runHereOrFindOwner(Download d) {
        if (engine.torrent(d.getInfoHash()).isPresent()) {
            return Optional.empty();
        }
        Optional<Lease> owner = leases.heldElsewhere(d.getInfoHash());
        if (owner.isPresent()) {
            return owner;
        }
        Optional<Download> current = repository.findById(d.getId());
        if (current.isPresent() && current.get().getState() == Download.State.ACTIVE && !run(current.get())) {
            return leases.heldElsewhere(d.getInfoHash());
        }
        return Optional.empty();
    }

    /** Whether another live instance runs this download's torrent. */
    boolean runElsewhere(Download d) {
        return leases.heldElsewhere(d.getInfoHash()).isPresent();
    }

    /**
     * A lease this one had passed or may pass to another instance (taken after this one stalled past its expiry,
     * or not renewed long enough, Leases.fence): its torrent stops here. Not under the Downloads lock, which
     * upkeep may hold for long: the engine stops a torrent safely from any thread.
     */
    private void lost(String infoHash) {
        engine.remove(infoHash, false);
        startedAt.remove(infoHash);
        log.warn("{} stopped here: its lease passed to another instance", infoHash);
    }

    /** A clean shutdown: the engine saves its resume data and stops, then the leases go, so others take over at once. */
    @jakarta.annotation.PreDestroy
    void shutdown() {
        engine.stop();
        leases.releaseAll();
    }

    /** Picks the film file once the engine knows the torrent's files (a magnet's come with its metadata). */
    synchronized void ensureFile(Download d) {
        if (d.getFileIndex() == null) {
            engine.torrent(d.getInfoHash()).filter(t -> t.info().isPresent()).ifPresent(t -> chooseFile(d, t));
        }
    }

    /** The film is the largest video file ({@link FilmFileChoice}); the download fails when there is none. */
    private void chooseFile(Download d, Torrent t) {
        switch (FilmFileChoice.choose(d, t, engine.folder(InfoHash.parse(d.getInfoHash())))) {
            case NO_VIDEO -> {
                if (d.getState() != Download.State.FAILED) {
                    d.failed("no video file in the torrent");
                    repository.save(d);
                    log.warn("{} has no video file; film {}", d.getInfoHash(), d.getFilmId());
                }
            }
            case CHOSEN, OUTSIDE -> repository.save(d);
            case NOT_YET, UNCHANGED -> {
                // asked again by upkeep and Play, or nothing changed
            }
        }
    }

    /** Where a finished download's film is on disk: under the torrent's own folder, never outside it. */
    Optional<Path> fileOnDisk(Download d) {
        if (d.getFilePath() == null) {
            return Optional.empty();
        }
        Path folder = engine.folder(InfoHash.parse(d.getInfoHash()));
        Path file = folder.resolve(d.getFilePath()).normalize();
        return file.startsWith(folder) && !file.equals(folder) ? Optional.of(file) : Optional.empty();
    }

    // ------------------------------------------------------------------ events and upkeep

    private void onEvent(TorrentEvent event) {
        String hash = event.infoHash().hex();
        switch (event) {
            // The film is chosen as soon as the engine has placed the files (at the check, a moment after the
            // metadata), not when a page next asks: a Play waiting for it starts reading the headers at once.
            case TorrentEvent.MetadataReceived m -> repository.findByInfoHash(hash).ifPresent(this::fileKnown);
            case TorrentEvent.Checked c -> repository.findByInfoHash(hash).ifPresent(this::fileKnown);
            case TorrentEvent.Completed c -> repository.findByInfoHash(hash).ifPresent(d -> {
                d.completed(clock.instant());
                repository.save(d);
                log.info("{} complete, film {}", hash, d.getFilmId());
                listeners.completedHere(d);
            });
            case TorrentEvent.Failed f -> repository.findByInfoHash(hash).ifPresent(d -> {
                d.failed(f.reason());
                repository.save(d);
                log.warn("{} failed: {}", hash, f.reason());
            });
            default -> { }
        }
    }

    /** After a start: active downloads go on; finished ones seed again while within the limits. */
    @EventListener(ApplicationReadyEvent.class)
    void restore() {
        for (Download d : repository.findAllByOrderByAddedAtDesc()) {
            try {
                if (d.getState() == Download.State.ACTIVE && runningCount() < properties.maxActiveDownloads()) {
                    run(d);
                } else if (d.getState() == Download.State.COMPLETE && seedLimits.withinSeedTime(d)) {
                    run(d);
                }
            } catch (RuntimeException e) {
                log.warn("{} could not be restored: {}", d.getInfoHash(), e.getMessage());
            }
        }
    }

    /** Every few seconds: queued downloads start when there is room, seeds stop at their limits, dead candidates give way. */
    @Scheduled(fixedDelayString = "${hypertube.playback.upkeep-interval:PT5S}", initialDelayString = "PT5S")
    void upkeep() {
        for (var request : leases.removalRequests().entrySet()) {
            removeRequested(request.getKey(), request.getValue());
        }
        for (Download d : repository.findAllByOrderByAddedAtDesc()) {
            try {
                Long moveOn = upkeep(d);
                if (moveOn != null) {
                    nextCandidate(moveOn);   // sources and trackers are asked outside the lock
                }
            } catch (RuntimeException e) {
                log.warn("{} upkeep failed: {}", d.getInfoHash(), e.toString());
            }
        }
    }

    /** What another instance asked of this one, the owner ({@link DownloadRemoval#removeRequested}). */
    private synchronized void removeRequested(String infoHash, String why) {
        removal.removeRequested(infoHash, why);
    }

    /** Called on the torrent engine's event thread once a download's film file is known (its metadata came). */
    void onFileKnown(java.util.function.Consumer<Download> listener) {
        listeners.onFileKnown(listener);
    }

    private void fileKnown(Download d) {
        ensureFile(d);
        if (d.getFileIndex() == null) {
            return;
        }
        listeners.fileKnown(d);
    }

    /**
     * Called with the info-hash of each download this instance actually removed (never one whose removal was
     * only asked of its owner): what others keep of the film (probes, converted segments) goes with it.
     */
    void onRemoved(java.util.function.Consumer<String> listener) {
        listeners.onRemoved(listener);
    }

    /** Called with each download whose film this instance finished (its file is whole and verified on disk). */
    void onCompleted(java.util.function.Consumer<Download> listener) {
        listeners.onCompleted(listener);
    }

    /** One download's upkeep; returns the film whose next candidate should start now, if any. */
    private synchronized Long upkeep(Download listed) {
        // The list was read before this lock: an operator may have removed or paused the download since.
        Optional<Download> current = repository.findById(listed.getId());
        if (current.isEmpty()) {
            return null;
        }
        Download d = current.get();
        Optional<Torrent> running = engine.torrent(d.getInfoHash());
        if (d.getState() == Download.State.ACTIVE && running.isEmpty()
                && runningCount() < properties.maxActiveDownloads()) {
            run(d);
            return null;
        }
        if (running.isEmpty()) {
            return null;
        }
        Torrent t = running.get();
        if (d.getState() == Download.State.PAUSED && !t.paused()) {
            t.pause();   // an administrator paused it on another instance
        } else if (d.getState() == Download.State.ACTIVE && t.paused()) {
            t.resume();
        }
        if (d.getFileIndex() == null && t.info().isPresent()) {
            chooseFile(d, t);
        }
        if (t.state() == TorrentState.SEEDING && d.getState() != Download.State.COMPLETE) {
            d.completed(clock.instant());
            repository.save(d);
            listeners.completedHere(d);
        }
        if (t.state() == TorrentState.SEEDING && !seedLimits.withinSeedLimits(d, t)) {
            engine.remove(d.getInfoHash(), false);
            leases.release(d.getInfoHash());
            log.info("{} stops seeding (ratio {}, since {})", d.getInfoHash(),
                    String.format(Locale.ROOT, "%.2f", SeedLimits.ratio(t)), d.getCompletedAt());
            return null;
        }
        if (d.getFilmId() != null && d.getAddedBy() == null && t.verifiedBytes() == 0 && t.peers().isEmpty()) {
            Instant since = startedAt.getOrDefault(d.getInfoHash(), clock.instant());
            if (Duration.between(since, clock.instant()).compareTo(properties.sourceTimeout()) > 0) {
                log.info("{} found no peer in {} s; film {} tries its next torrent", d.getInfoHash(),
                        properties.sourceTimeout().toSeconds(), d.getFilmId());
                long film = d.getFilmId();
                remove(d, "no peer");
                return film;
            }
        }
        return null;
    }

    private int runningCount() {
        return (int) engine.torrents().stream()
                .filter(t -> t.state() != TorrentState.SEEDING && t.state() != TorrentState.CLOSED && !t.paused())
                .count();
    }

}
