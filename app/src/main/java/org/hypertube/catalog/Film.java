package org.hypertube.catalog;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A film as the sources described it, merged; lists are stored '|'-separated. */
@Entity
@Table(name = "films")
public class Film {

    static final String SEPARATOR = "|";

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;
    private String imdbId;
    private String title;
    private String titleKey;
    @Column(name = "release_year")
    private Integer year;
    private BigDecimal rating;
    private Integer runtimeMinutes;
    private String genres;
    private String summary;
    private String coverUrl;
    private String backdropUrl;
    private String director;
    private String producers;
    @Column(name = "cast_list")
    private String cast;
    private String sourceIds;
    private Instant detailsFetchedAt;
    private Instant createdAt;
    private Instant updatedAt;
    /** Title and summary in the reader's language, when a source gave them (not stored here). */
    @jakarta.persistence.Transient
    private String localTitle;
    @jakarta.persistence.Transient
    private String localSummary;

    protected Film() {
    }

    Film(String title, Integer year, Instant now) {
        setTitle(title);
        this.year = year;
        this.createdAt = now;
        this.updatedAt = now;
    }

    public Long getId() { return id; }
    public String getImdbId() { return imdbId; }
    public String getTitle() { return title; }
    public Integer getYear() { return year; }
    public Double getRating() { return rating == null ? null : rating.doubleValue(); }
    public Integer getRuntimeMinutes() { return runtimeMinutes; }
    public List<String> getGenres() { return split(genres); }
    public String getSummary() { return summary; }
    public String getCoverUrl() { return coverUrl; }
    public String getBackdropUrl() { return backdropUrl; }
    public String getDirector() { return director; }
    public List<String> getProducers() { return split(producers); }
    public List<String> getCast() { return split(cast); }
    Instant getDetailsFetchedAt() { return detailsFetchedAt; }

    /** The title to show: in the reader's language when we have it, else the one the sources agree on. */
    public String getLocalTitle() { return localTitle != null ? localTitle : title; }

    public String getLocalSummary() { return localSummary != null ? localSummary : summary; }

    /** What titles are sorted by: the shown title without case, accents or punctuation. */
    String sortKey() { return localTitle != null ? FilmIdentity.titleKey(localTitle) : titleKey; }

    void localize(FilmText text) {
        this.localTitle = text.title();
        this.localSummary = text.summary();
    }

    /** This film's id at each source that described it, e.g. {yts=15, archive=nosferatu}. */
    Map<String, String> sourceIds() {
        Map<String, String> ids = new LinkedHashMap<>();
        for (String pair : split(sourceIds)) {
            int colon = pair.indexOf(':');
            if (colon > 0) {
                ids.put(pair.substring(0, colon), pair.substring(colon + 1));
            }
        }
        return ids;
    }

    void setTitle(String title) {
        this.title = cap(title, 300);
        this.titleKey = FilmIdentity.titleKey(title);
    }

    void setImdbId(String imdbId) { this.imdbId = imdbId; }
    void setYear(Integer year) { this.year = year; }
    void setRating(Double rating) {
        this.rating = rating == null ? null : BigDecimal.valueOf(rating).setScale(1, RoundingMode.HALF_UP);
    }
    void setRuntimeMinutes(Integer minutes) { this.runtimeMinutes = minutes; }
    void setGenres(List<String> genres) { this.genres = join(genres, 500); }
    void setSummary(String summary) { this.summary = cap(summary, 4000); }
    void setCoverUrl(String url) { this.coverUrl = cap(url, 1000); }
    void setBackdropUrl(String url) { this.backdropUrl = cap(url, 1000); }
    void setDirector(String director) { this.director = cap(director, 300); }
    void setProducers(List<String> producers) { this.producers = join(producers, 1000); }
    void setCast(List<String> cast) { this.cast = join(cast, 2000); }
    void setSourceIds(Map<String, String> ids) {
        this.sourceIds = join(ids.entrySet().stream().map(e -> e.getKey() + ":" + e.getValue()).toList(), 1000);
    }
    void setDetailsFetchedAt(Instant at) { this.detailsFetchedAt = at; }
    void touch(Instant now) { this.updatedAt = now; }

    private static List<String> split(String joined) {
        return joined == null || joined.isEmpty() ? List.of() : Arrays.asList(joined.split("\\" + SEPARATOR));
    }

    /** Joins whole items only, as many as fit, so a list is never cut in the middle of a name. */
    private static String join(List<String> items, int max) {
        if (items == null || items.isEmpty()) {
            return null;
        }
        StringBuilder out = new StringBuilder();
        for (String item : items) {
            String clean = item == null ? "" : item.replace(SEPARATOR, "/").strip();
            if (clean.isEmpty()) {
                continue;
            }
            if (out.length() + clean.length() + 1 > max) {
                break;
            }
            if (!out.isEmpty()) {
                out.append(SEPARATOR);
            }
            out.append(clean);
        }
        return out.isEmpty() ? null : out.toString();
    }

    private static String cap(String value, int max) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String v = value.strip();
        return v.length() > max ? v.substring(0, max) : v;
    }
}
