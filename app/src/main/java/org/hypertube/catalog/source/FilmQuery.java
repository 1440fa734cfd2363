package org.hypertube.catalog.source;

/**
 * What a person asked the library for. Every field may be null (no constraint); a null or blank
 * {@code text} means "the popular films". Sources apply what their API supports; the catalog applies
 * the whole query again to what they return, so a source that ignores a filter is still correct.
 *
 * @param genre     an English genre name as TMDB and YTS spell it ("Action", "Science Fiction" ...)
 * @param minRating on a 0-10 scale (IMDb/TMDB)
 */
public record FilmQuery(String text, String genre, Integer yearFrom, Integer yearTo, Double minRating, Double maxRating,
                        Sort sort) {

    public enum Sort { TITLE, YEAR, RATING, POPULARITY }

    public static FilmQuery popular() {
        return new FilmQuery(null, null, null, null, null, null, Sort.POPULARITY);
    }

    public static FilmQuery search(String text) {
        return new FilmQuery(text, null, null, null, null, null, Sort.TITLE);
    }

    public boolean isSearch() {
        return text != null && !text.isBlank();
    }
}
