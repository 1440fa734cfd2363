package org.hypertube.playback;

import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deleting a download: its torrent, files, resume data, converted subtitles and row when this instance may
 * ({@link Leases}), else asking the live instance that runs it; and carrying out what another instance asked of
 * this one. Its callers hold the {@link Downloads} lock.
 */
final class DownloadRemoval {

    /** Logged as the downloads' own lines, as before this moved out of {@link Downloads}. */
    private static final Logger log = LoggerFactory.getLogger(Downloads.class);

    private final Engine engine;
    private final TorrentFiles torrentFiles;
    private final org.hypertube.playback.subtitle.SubtitleCache subtitleCache;
    private final DownloadRepository repository;
    private final Leases leases;
    private final FilmUse filmUse;
    private final DownloadListeners listeners;
    /** Told the info-hash of each torrent removed here (the no-peer clock forgets it). */
    private final Consumer<String> stopped;

    DownloadRemoval(Engine engine, TorrentFiles torrentFiles, org.hypertube.playback.subtitle.SubtitleCache subtitleCache,
                    DownloadRepository repository, Leases leases, FilmUse filmUse, DownloadListeners listeners,
                    Consumer<String> stopped) {
        this.engine = engine;
        this.torrentFiles = torrentFiles;
        this.subtitleCache = subtitleCache;
        this.repository = repository;
        this.leases = leases;
        this.filmUse = filmUse;
        this.listeners = listeners;
        this.stopped = stopped;
    }

    /** {@link Downloads#remove} and {@link Downloads#removeIfUnused}: false when only asked of its owner. */
    boolean remove(Download d, String why, boolean ifUnused) {
        if (engine.torrent(d.getInfoHash()).isEmpty()) {
            Leases.Acquired lease = leases.acquire(d.getInfoHash());
            if (!lease.held() && !leases.requestRemoval(d.getInfoHash(), why, ifUnused)) {
                lease = leases.acquire(d.getInfoHash());   // the owner's row went in between: free now, most likely
            }
            if (!lease.held()) {
                leases.requestRemoval(d.getInfoHash(), why, ifUnused);
                log.info("{} removal ({}) asked of its owner {}, film {}", d.getInfoHash(), why,
                        lease.before() == null ? "?" : lease.before().owner(), d.getFilmId());
                return false;
            }
        }
        engine.remove(d.getInfoHash(), true);
        torrentFiles.forget(d.getInfoHash());
        try {
            subtitleCache.evict(d.getInfoHash().toLowerCase(Locale.ROOT));
        } catch (org.hypertube.playback.subtitle.SubtitleException | RuntimeException e) {
            log.warn("{} converted subtitles not deleted: {}", d.getInfoHash(), e.getMessage());
        }
        stopped.accept(d.getInfoHash());
        repository.delete(d);
        leases.removed(d.getInfoHash());
        filmUse.forget(d.getInfoHash());
        log.info("{} removed ({}), film {}", d.getInfoHash(), why, d.getFilmId());
        listeners.removedHere(d.getInfoHash());
        return true;
    }

    /**
     * Another instance (retention, the disk quota, an administrator) asked the owner, this one, to delete a
     * download: done on the next upkeep; one asked by retention or the quota only once nobody has read the film
     * for a while on any instance (FilmUse).
     */
    void removeRequested(String infoHash, String why) {
        if (leases.removalIfUnused(infoHash) && filmUse.inUse(infoHash)) {
            return;   // retention or the quota, and someone streams it (maybe elsewhere): the request stays for later
        }
        Optional<Download> d = repository.findByInfoHash(infoHash);
        if (d.isPresent()) {
            remove(d.get(), why + ", asked by another instance", false);
        } else {
            engine.remove(infoHash, true);
            leases.removed(infoHash);
            log.info("{} removed ({}, asked by another instance)", infoHash, why);
            listeners.removedHere(infoHash);
        }
    }
}
