package org.hypertube.catalog;

import java.text.Normalizer;
import java.util.Locale;
import java.util.regex.Pattern;
import org.hypertube.catalog.source.SourceFilm;

/** How we tell that two descriptions are the same film: IMDb id first, then title + year. */
final class FilmIdentity {

    private static final Pattern IMDB = Pattern.compile("^tt\\d{7,10}$");

    private FilmIdentity() {
    }

    static String imdbId(String candidate) {
        if (candidate == null) {
            return null;
        }
        String id = candidate.strip().toLowerCase(Locale.ROOT);
        return IMDB.matcher(id).matches() ? id : null;
    }

    /** "The Général!" and "the general" are the same title. */
    static String titleKey(String title) {
        if (title == null) {
            return "";
        }
        String plain = Normalizer.normalize(title, Normalizer.Form.NFKD).replaceAll("\\p{M}", "");
        String key = plain.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}]+", " ").strip();
        return key.length() > 300 ? key.substring(0, 300) : key;
    }

    /** The key films are merged on: the IMDb id when known, else title and year. */
    static String of(SourceFilm film) {
        String imdb = imdbId(film.imdbId());
        return imdb != null ? imdb : titleYear(film);
    }

    /** The title + year key, which every film has, with or without an IMDb id. */
    static String titleYear(SourceFilm film) {
        return "t:" + titleKey(film.title()) + ":" + (film.year() == null ? "" : film.year());
    }
}
