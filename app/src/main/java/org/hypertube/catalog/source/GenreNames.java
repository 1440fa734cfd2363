package org.hypertube.catalog.source;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Genre names in the catalog's vocabulary: TMDB's English names (see {@link FilmQuery#genre}).
 * YTS and OMDb spell genres as IMDb does, which differs for a few.
 */
final class GenreNames {

    /** TMDB's 19 movie genres in English, in its order. */
    static final List<String> TMDB = List.of("Action", "Adventure", "Animation", "Comedy", "Crime", "Documentary",
            "Drama", "Family", "Fantasy", "History", "Horror", "Music", "Mystery", "Romance", "Science Fiction",
            "TV Movie", "Thriller", "War", "Western");

    private static final Map<String, String> IMDB_TO_CATALOG = Map.of("sci-fi", "Science Fiction");
    private static final Map<String, String> CATALOG_TO_IMDB = Map.of("science fiction", "Sci-Fi");

    private GenreNames() {
    }

    /** A source's (IMDb-style) genre name in the catalog's spelling. */
    static String fromImdb(String name) {
        String lower = name.strip().toLowerCase(Locale.ROOT);
        String mapped = IMDB_TO_CATALOG.get(lower);
        if (mapped != null) {
            return mapped;
        }
        for (String known : TMDB) {
            if (known.equalsIgnoreCase(lower)) {
                return known;
            }
        }
        return name.strip();
    }

    /** The catalog's genre name as IMDb (and so YTS) spells it. */
    static String toImdb(String name) {
        return CATALOG_TO_IMDB.getOrDefault(name.strip().toLowerCase(Locale.ROOT), name.strip());
    }

    /** The catalog genre a free-form subject names exactly ("horror" → "Horror"), or null. */
    static String known(String subject) {
        String lower = subject.strip().toLowerCase(Locale.ROOT);
        String mapped = IMDB_TO_CATALOG.get(lower);
        if (mapped != null) {
            return mapped;
        }
        return TMDB.stream().filter(g -> g.equalsIgnoreCase(lower)).findFirst().orElse(null);
    }
}
