package org.hypertube.catalog;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;

/** A film's title and summary in one language other than English. */
@Entity
@Table(name = "film_texts")
@IdClass(FilmText.Key.class)
class FilmText {

    record Key(Long filmId, String language) implements Serializable {
        Key() {
            this(null, null);
        }
    }

    @Id
    private Long filmId;
    @Id
    private String language;
    private String title;
    private String summary;

    protected FilmText() {
    }

    FilmText(Long filmId, String language) {
        this.filmId = filmId;
        this.language = language;
    }

    Long filmId() { return filmId; }
    String title() { return title; }
    String summary() { return summary; }

    void set(String title, String summary) {
        if (title != null && !title.isBlank()) {
            this.title = title.strip().length() > 300 ? title.strip().substring(0, 300) : title.strip();
        }
        if (summary != null && !summary.isBlank()) {
            this.summary = summary.strip().length() > 4000 ? summary.strip().substring(0, 4000) : summary.strip();
        }
    }
}
