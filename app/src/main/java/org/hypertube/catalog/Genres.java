package org.hypertube.catalog;

import java.util.List;
import java.util.Locale;

/** The genres people can filter on, and the sources' spellings of them. */
public final class Genres {

    /** Slug (message key suffix) and the English name sources use. */
    public record Genre(String slug, String name) {
    }

    public static final List<Genre> ALL = List.of(
            new Genre("action", "Action"), new Genre("adventure", "Adventure"), new Genre("animation", "Animation"),
            new Genre("comedy", "Comedy"), new Genre("crime", "Crime"), new Genre("documentary", "Documentary"),
            new Genre("drama", "Drama"), new Genre("family", "Family"), new Genre("fantasy", "Fantasy"),
            new Genre("history", "History"), new Genre("horror", "Horror"), new Genre("music", "Music"),
            new Genre("mystery", "Mystery"), new Genre("romance", "Romance"), new Genre("science-fiction", "Science Fiction"),
            new Genre("thriller", "Thriller"), new Genre("war", "War"), new Genre("western", "Western"));

    private Genres() {
    }

    public static Genre bySlug(String slug) {
        return ALL.stream().filter(g -> g.slug().equals(slug)).findFirst().orElse(null);
    }

    /** "Sci-Fi" (YTS) and "Science Fiction" (TMDB) are one genre. */
    static boolean same(String a, String b) {
        return canonical(a).equals(canonical(b));
    }

    private static String canonical(String genre) {
        String g = genre == null ? "" : genre.toLowerCase(Locale.ROOT).replaceAll("[^a-z]", "");
        return switch (g) {
            case "scifi", "sciencefiction" -> "sciencefiction";
            case "biography" -> "history";
            case "musical" -> "music";
            default -> g;
        };
    }
}
