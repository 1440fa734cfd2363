package org.hypertube.catalog.source;

import java.util.List;
import java.util.Optional;

/**
 * The one place where a surprise inside an answer (a field of an unexpected type, a number out of
 * range ...) becomes "this source is unavailable" instead of an error that breaks the page.
 */
abstract class GuardedSource implements FilmSource {

    @Override
    public final List<SourceFilm> find(FilmQuery query, int page) throws SourceUnavailableException {
        try {
            return findPage(query, page);
        } catch (RuntimeException e) {
            throw SourceJson.unreadable(name(), e);
        }
    }

    @Override
    public final Optional<SourceFilm> details(String imdbId, String sourceId) throws SourceUnavailableException {
        try {
            return lookUp(imdbId, sourceId);
        } catch (RuntimeException e) {
            throw SourceJson.unreadable(name(), e);
        }
    }

    /** {@link #find}, free to fail with any runtime exception on a malformed answer. */
    protected abstract List<SourceFilm> findPage(FilmQuery query, int page) throws SourceUnavailableException;

    /** {@link #details}, likewise. */
    protected abstract Optional<SourceFilm> lookUp(String imdbId, String sourceId) throws SourceUnavailableException;
}
