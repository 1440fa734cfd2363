package org.hypertube.catalog.source;

import java.util.List;

/**
 * One film as one source describes it. Only what the source really said is filled in; everything
 * else is null (or an empty list). The catalog merges several of these into one film by IMDb id,
 * then by title + year.
 *
 * @param source       the source's name, e.g. "yts"
 * @param sourceId     the film's id at that source (YTS movie id, TMDB id, archive identifier ...)
 * @param imdbId       "tt" + digits, or null
 * @param rating       0-10 (IMDb's where the source has it, else the source's own vote average)
 * @param popularity   the source's own popularity figure (seeds, downloads, TMDB popularity); only
 *                     comparable within one source
 * @param coverUrl     an absolute URL of a poster image, or null: https from the real sources, http from the
 *                     loopback fakes in tests
 * @param untranslatedTitle the film's English title whatever language the source was asked in, when the source
 *                     says which it is (TMDB: its {@code original_title} when {@code original_language} is
 *                     {@code en}), else null
 */
public record SourceFilm(String source, String sourceId, String imdbId, String title, Integer year, Double rating,
                         Integer runtimeMinutes, List<String> genres, String summary, String coverUrl, String backdropUrl,
                         String director, List<String> producers, List<String> cast, Double popularity,
                         List<SourceTorrent> torrents, String untranslatedTitle) {

    /** A film whose source does not say which title is the English one. */
    public SourceFilm(String source, String sourceId, String imdbId, String title, Integer year, Double rating,
                      Integer runtimeMinutes, List<String> genres, String summary, String coverUrl, String backdropUrl,
                      String director, List<String> producers, List<String> cast, Double popularity,
                      List<SourceTorrent> torrents) {
        this(source, sourceId, imdbId, title, year, rating, runtimeMinutes, genres, summary, coverUrl, backdropUrl,
                director, producers, cast, popularity, torrents, null);
    }

    public SourceFilm {
        genres = genres == null ? List.of() : List.copyOf(genres);
        producers = producers == null ? List.of() : List.copyOf(producers);
        cast = cast == null ? List.of() : List.copyOf(cast);
        torrents = torrents == null ? List.of() : List.copyOf(torrents);
    }
}
