package org.hypertube.playback;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.hypertube.catalog.Catalog;
import org.hypertube.catalog.FilmTorrent;

/**
 * A film's candidate torrents in the order a Play tries them ({@link SwarmHealth}), without those already
 * tried for it in this run, so a dead torrent is not retried at once.
 */
final class FilmCandidates {

    private final Catalog catalog;
    private final SwarmHealth health;
    /** Candidates already tried for a film in this run (info-hashes). */
    private final Map<Long, Set<String>> tried = new ConcurrentHashMap<>();

    FilmCandidates(Catalog catalog, SwarmHealth health) {
        this.catalog = catalog;
        this.health = health;
    }

    /** The film's candidates not tried yet, best first (a candidate may be tried while the caller goes through them). */
    List<FilmTorrent> untried(long filmId) {
        Set<String> done = tried(filmId);
        List<FilmTorrent> candidates = catalog.details(filmId).map(Catalog.Details::torrents).orElse(List.of());
        List<FilmTorrent> ranked = SwarmHealth.rank(candidates.stream()
                .filter(c -> c.getInfoHash() == null || !done.contains(c.getInfoHash())).toList());
        return health.rerank(ranked);
    }

    /** The info-hashes tried for the film in this run (live: the caller adds to it). */
    Set<String> tried(long filmId) {
        return tried.computeIfAbsent(filmId, k -> ConcurrentHashMap.newKeySet());
    }

    /** Forgets which torrents were tried for the film, so a later Play may fetch them again. */
    void forget(long filmId) {
        tried.remove(filmId);
    }
}
