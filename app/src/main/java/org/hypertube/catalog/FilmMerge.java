package org.hypertube.catalog;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.hypertube.catalog.source.SourceFilm;
import org.hypertube.catalog.source.SourceTorrent;

/**
 * Merges what several sources said about the same films. Each field is taken from the source that
 * describes it best (TMDB for texts and people, IMDb's rating as OMDb and YTS give it, ...), and a
 * field no source filled stays empty: nothing is invented.
 */
final class FilmMerge {

    /** Who is trusted first, field by field. */
    private static final List<String> TEXTS = List.of("tmdb", "omdb", "yts", "archive", "torznab");
    /** Sources that give titles in the reader's language; the others' titles are the English (or original) ones. */
    private static final java.util.Set<String> TRANSLATING = java.util.Set.of("tmdb");
    private static final List<String> RATINGS = List.of("omdb", "yts", "tmdb", "archive");

    private FilmMerge() {
    }

    /**
     * A merged film and its id at every source that described it. {@code keys}: every key it is
     * known by (its IMDb id if any, and its title + year), worked out once since pages ask often.
     */
    record Merged(SourceFilm film, Map<String, String> sourceIds, java.util.Set<String> keys, String key,
                  String untranslatedTitle) {

        /** Several descriptions of one film, merged, with each source's id for it. */
        static Merged of(List<SourceFilm> same) {
            SourceFilm film = merge(same);
            Map<String, String> ids = new LinkedHashMap<>();
            same.forEach(f -> {
                if (f.sourceId() != null) {
                    ids.putIfAbsent(f.source(), f.sourceId());
                }
            });
            // A source that does not translate names it first; else one that says which title is English.
            String untranslated = ordered(same, TEXTS).stream().filter(f -> !TRANSLATING.contains(f.source()))
                    .map(SourceFilm::title).filter(t -> t != null && !t.isBlank()).findFirst()
                    .orElseGet(() -> first(same, SourceFilm::untranslatedTitle));
            return new Merged(film, ids, keysOf(film), FilmIdentity.of(film), untranslated);
        }

        private static java.util.Set<String> keysOf(SourceFilm film) {
            String imdb = FilmIdentity.imdbId(film.imdbId());
            return imdb == null ? java.util.Set.of(FilmIdentity.titleYear(film)) : java.util.Set.of(imdb, FilmIdentity.titleYear(film));
        }
    }

    /**
     * Merges per-source result lists into one list of films. The order interleaves the sources by
     * rank (each source's first film, then each one's second ...), since their popularity figures
     * are not comparable with each other.
     */
    static List<Merged> interleave(List<List<SourceFilm>> perSource) {
        // First every title + year a source gave with an IMDb id, so that a film another source
        // lists without one joins it whichever came first.
        Map<String, String> titleYearToKey = new LinkedHashMap<>();
        List<SourceFilm> ranked = new ArrayList<>();
        int longest = perSource.stream().mapToInt(List::size).max().orElse(0);
        for (int rank = 0; rank < longest; rank++) {
            for (List<SourceFilm> list : perSource) {
                if (rank < list.size() && list.get(rank).title() != null && !list.get(rank).title().isBlank()) {
                    ranked.add(list.get(rank));
                }
            }
        }
        for (SourceFilm film : ranked) {
            String imdb = FilmIdentity.imdbId(film.imdbId());
            if (imdb != null) {
                titleYearToKey.putIfAbsent(FilmIdentity.titleYear(film), imdb);
            }
        }
        Map<String, List<SourceFilm>> groups = new LinkedHashMap<>();
        for (SourceFilm film : ranked) {
            String key = FilmIdentity.imdbId(film.imdbId());
            if (key == null) {
                key = titleYearToKey.getOrDefault(FilmIdentity.titleYear(film), FilmIdentity.titleYear(film));
            }
            groups.computeIfAbsent(key, k -> new ArrayList<>()).add(film);
        }
        return groups.values().stream().map(Merged::of).toList();
    }

    /** One film from several descriptions of it. */
    static SourceFilm merge(List<SourceFilm> same) {
        if (same.size() == 1) {
            return same.getFirst();
        }
        List<SourceFilm> byText = ordered(same, TEXTS);
        List<SourceFilm> byRating = ordered(same, RATINGS);
        List<SourceTorrent> torrents = same.stream().flatMap(f -> f.torrents().stream()).toList();
        return new SourceFilm(
                byText.getFirst().source(), byText.getFirst().sourceId(),
                first(byText, f -> FilmIdentity.imdbId(f.imdbId())),
                first(byText, SourceFilm::title), first(byText, SourceFilm::year), first(byRating, SourceFilm::rating),
                first(byText, SourceFilm::runtimeMinutes), firstList(byText, SourceFilm::genres), first(byText, SourceFilm::summary),
                first(byText, SourceFilm::coverUrl), first(byText, SourceFilm::backdropUrl), first(byText, SourceFilm::director),
                firstList(byText, SourceFilm::producers), firstList(byText, SourceFilm::cast),
                first(byText, SourceFilm::popularity), torrents);
    }

    private static List<SourceFilm> ordered(List<SourceFilm> films, List<String> preference) {
        return films.stream().sorted(Comparator.comparingInt(f -> {
            int i = preference.indexOf(f.source());
            return i < 0 ? preference.size() : i;
        })).toList();
    }

    private static <T> T first(List<SourceFilm> films, Function<SourceFilm, T> field) {
        return films.stream().map(field).filter(Objects::nonNull)
                .filter(v -> !(v instanceof String s) || !s.isBlank()).findFirst().orElse(null);
    }

    private static <T> List<T> firstList(List<SourceFilm> films, Function<SourceFilm, List<T>> field) {
        return films.stream().map(field).filter(l -> !l.isEmpty()).findFirst().orElse(List.of());
    }
}
