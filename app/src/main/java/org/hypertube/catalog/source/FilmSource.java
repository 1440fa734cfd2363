package org.hypertube.catalog.source;

import java.util.List;
import java.util.Optional;

/**
 * One outside film source. Implementations are Spring beans, present only when usable (keyless
 * sources always; keyed ones when their key is configured). Every call is bounded in time and size
 * and throws {@link SourceUnavailableException} when the source failed, timed out or answered
 * something malformed — never a half-parsed result.
 */
public interface FilmSource {

    /** Short lower-case name, e.g. "yts", "archive", "tmdb", "omdb", "torznab". */
    String name();

    /** Whether {@link #find} is worth calling for this query (e.g. OMDb cannot list popular films). */
    default boolean answers(FilmQuery query) {
        return true;
    }

    /**
     * Page {@code page} (1-based) of the films matching the query, in the source's order for the
     * query's sort. An empty list means there are no more.
     */
    List<SourceFilm> find(FilmQuery query, int page) throws SourceUnavailableException;

    /**
     * The fullest description this source has of a film (cast, director, summary, torrents ...),
     * looked up by the film's IMDb id, or by this source's own id when {@code sourceId} is from it.
     */
    Optional<SourceFilm> details(String imdbId, String sourceId) throws SourceUnavailableException;
}
