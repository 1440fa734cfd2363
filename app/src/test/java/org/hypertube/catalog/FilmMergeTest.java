package org.hypertube.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.hypertube.catalog.source.FilmQuery;
import org.hypertube.catalog.source.SourceFilm;
import org.hypertube.catalog.source.SourceTorrent;
import org.junit.jupiter.api.Test;

class FilmMergeTest {

    static SourceFilm film(String source, String id, String imdb, String title, Integer year, Double rating, String summary,
                           List<String> genres, List<String> cast, List<SourceTorrent> torrents) {
        return new SourceFilm(source, id, imdb, title, year, rating, null, genres, summary, null, null, null, null, cast, null, torrents);
    }

    static final SourceTorrent YTS_1080 = new SourceTorrent("yts", "a".repeat(40), "NOTLD 1080p", "1080p", 1_500_000_000L, 40, 3, "magnet:?xt=urn:btih:" + "a".repeat(40));

    @Test
    void theSameFilmFromYtsAndTmdbAppearsOnceWithTheBestFieldsOfEach() {
        var yts = List.of(film("yts", "15", "tt0063350", "Night of the Living Dead", 1968, 7.8, "YTS summary",
                List.of("Horror"), List.of(), List.of(YTS_1080)));
        var tmdb = List.of(film("tmdb", "10331", "TT0063350", "Night of the Living Dead", 1968, 7.5, "TMDB overview",
                List.of("Horror", "Thriller"), List.of("Duane Jones", "Judith O'Dea"), List.of()));
        var merged = FilmMerge.interleave(List.of(yts, tmdb));
        assertThat(merged).hasSize(1);
        var f = merged.getFirst();
        assertThat(f.film().imdbId()).isEqualTo("tt0063350");
        assertThat(f.film().rating()).isEqualTo(7.8);               // IMDb's, as YTS gives it
        assertThat(f.film().summary()).isEqualTo("TMDB overview");  // TMDB writes the best texts
        assertThat(f.film().genres()).containsExactly("Horror", "Thriller");
        assertThat(f.film().cast()).containsExactly("Duane Jones", "Judith O'Dea");
        assertThat(f.film().torrents()).containsExactly(YTS_1080);
        assertThat(f.sourceIds()).containsEntry("yts", "15").containsEntry("tmdb", "10331");
    }

    @Test
    void withoutImdbIdTitleAndYearDecide() {
        var archive = List.of(film("archive", "nosferatu_1922", null, "Nosferatu", 1922, null, "A vampyre", List.of(), List.of(), List.of()),
                film("archive", "nosferatu_1979", null, "Nosferatu", 1979, null, null, List.of(), List.of(), List.of()));
        var yts = List.of(film("yts", "99", "tt0013442", "Nosferatu", 1922, 7.9, null, List.of("Horror"), List.of(), List.of()));
        var merged = FilmMerge.interleave(List.of(yts, archive));
        assertThat(merged).hasSize(2);
        assertThat(merged.getFirst().sourceIds()).containsEntry("yts", "99").containsEntry("archive", "nosferatu_1922");
        assertThat(merged.getFirst().film().summary()).isEqualTo("A vampyre");
        assertThat(merged.get(1).film().year()).isEqualTo(1979);
    }

    @Test
    void sourcesAreInterleavedByRankAndNothingIsInvented() {
        var a = List.of(film("yts", "1", "tt0000001", "A1", 2000, null, null, List.of(), List.of(), List.of()),
                film("yts", "2", "tt0000002", "A2", 2001, null, null, List.of(), List.of(), List.of()));
        var b = List.of(film("archive", "b1", null, "B1", 1950, null, null, List.of(), List.of(), List.of()));
        var merged = FilmMerge.interleave(List.of(a, b));
        assertThat(merged).extracting(m -> m.film().title()).containsExactly("A1", "B1", "A2");
        assertThat(merged.get(1).film().rating()).isNull();
        assertThat(merged.get(1).film().summary()).isNull();
    }

    @Test
    void theQueryIsAppliedAgainToWhatSourcesReturn() {
        var horror1968 = film("yts", "15", "tt0063350", "Night of the Living Dead", 1968, 7.8, null, List.of("Horror"), List.of(), List.of());
        var scifi = film("yts", "16", "tt0000016", "Metropolis", 1927, 8.3, null, List.of("Sci-Fi", "Drama"), List.of(), List.of());
        var q = new FilmQuery(null, "Horror", 1960, 1970, 7.0, 8.0, FilmQuery.Sort.TITLE);
        assertThat(Catalog.matches(horror1968, q)).isTrue();
        assertThat(Catalog.matches(scifi, q)).isFalse();
        assertThat(Catalog.matches(scifi, new FilmQuery(null, "Science Fiction", null, null, null, null, null))).isTrue();
        assertThat(Catalog.matches(horror1968, new FilmQuery(null, null, 1970, null, null, null, null))).isFalse();
        var unrated = film("archive", "x", null, "X", 1930, null, null, List.of(), List.of(), List.of());
        assertThat(Catalog.matches(unrated, new FilmQuery(null, null, null, null, 5.0, null, null))).isFalse();
    }

    @Test
    void titlesMatchIgnoringCaseAccentsAndPunctuation() {
        assertThat(FilmIdentity.titleKey("The Général!")).isEqualTo(FilmIdentity.titleKey("the general"));
        assertThat(FilmIdentity.imdbId("TT0063350")).isEqualTo("tt0063350");
        assertThat(FilmIdentity.imdbId("tt63350; drop table")).isNull();
    }
}
