package org.hypertube.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import jakarta.persistence.EntityManagerFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hibernate.SessionFactory;
import org.hibernate.stat.Statistics;
import org.hypertube.AppTestBase;
import org.hypertube.catalog.source.SourceFilm;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.test.web.servlet.MockMvc;

/** What the library asks PostgreSQL: a bounded number of statements per page, and indexed lookups. */
class CatalogQueriesTest extends AppTestBase {

    @Autowired
    MockMvc mvc;
    @Autowired
    EntityManagerFactory entityManagerFactory;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    Catalog catalog;

    MockHttpSession member() throws Exception {
        return signedInMember(mvc, "q");
    }

    @Test
    void aWarmDiscoverPageCostsOneQueryWhateverTheNumberOfFilms() throws Exception {
        var session = member();
        String first = mvc.perform(get("/browse").session(session)).andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        int cards = first.split("class=\"film-card\"", -1).length - 1;
        assertThat(cards).isGreaterThanOrEqualTo(10);

        Statistics stats = entityManagerFactory.unwrap(SessionFactory.class).getStatistics();
        stats.clear();
        mvc.perform(get("/browse").session(session)).andExpect(status().isOk());
        // The films and their texts, the member's watch marks, which are on their watchlist and the e-mail banner:
        // a few statements, the same for 20 films as for 2 (no statement per film).
        assertThat(stats.getPrepareStatementCount()).as("statements for %d films", cards).isLessThanOrEqualTo(5);
    }

    @Test
    void theHomeRowsCostOneStatementEachWhateverTheNumberOfFilms() throws Exception {
        var session = member();
        String first = mvc.perform(get("/").session(session)).andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        assertThat(first.split("class=\"film-card\"", -1).length - 1).isGreaterThanOrEqualTo(20);

        Statistics stats = entityManagerFactory.unwrap(SessionFactory.class).getStatistics();
        stats.clear();
        mvc.perform(get("/").session(session)).andExpect(status().isOk());
        // continue watching (2), ready now (2), watchlist, popular, three genres, marks, listed films:
        // bounded whatever the rows hold.
        assertThat(stats.getPrepareStatementCount()).isLessThanOrEqualTo(11);
    }

    @Test
    void aPageSeenAgainIsNotReadAgainButShowsAFilmChangedMeanwhile() throws Exception {
        var session = member();
        String first = page(session);
        Statistics stats = entityManagerFactory.unwrap(SessionFactory.class).getStatistics();
        stats.clear();
        page(session);
        assertThat(stats.getEntityStatistics(Film.class.getName()).getLoadCount()).as("films read again").isZero();

        // A source now names one of the shown films differently: the next view shows the new title.
        var film = jdbc.queryForMap("select id, imdb_id, release_year from films where imdb_id is not null and id in ("
                + String.join(",", filmIds(first)) + ") order by id limit 1");
        String renamed = "Renamed " + uniqueName("f");
        LocaleContextHolder.setLocale(Locale.ENGLISH);
        try {
            catalog.keep(FilmMerge.Merged.of(List.of(new SourceFilm("yts", "renamed", (String) film.get("imdb_id"), renamed,
                    (Integer) film.get("release_year"), null, null, null, null, null, null, null, null, null, null, null))));
        } finally {
            LocaleContextHolder.resetLocaleContext();
        }
        assertThat(first).doesNotContain(renamed);
        assertThat(page(session)).contains(renamed);
    }

    @Test
    void aFilmMarkedWatchedShowsItsMarkOnTheGridSeenBefore() throws Exception {
        var session = member();
        Long memberId = jdbc.queryForObject("select max(id) from members", Long.class); // the member just made
        String first = page(session);
        assertThat(first).doesNotContain("class=\"watched\"");
        jdbc.update("insert into watch_progress (member_id, film_id, position_seconds, duration_seconds, watched, updated_at)"
                + " values (?, ?, 5400, 5400, true, current_timestamp)", memberId, Long.valueOf(filmIds(first).getFirst()));
        assertThat(page(session)).contains("class=\"watched\"");
        // Another member, who has not watched it, sees the grid without the mark.
        assertThat(page(member())).doesNotContain("class=\"watched\"");
    }

    private String page(MockHttpSession session) throws Exception {
        return mvc.perform(get("/browse").session(session)).andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
    }

    private static List<String> filmIds(String html) {
        List<String> ids = new ArrayList<>();
        Matcher m = Pattern.compile("<li class=\"film-card\">\\s*<a href=\"/films/(\\d+)\"").matcher(html);
        while (m.find()) {
            ids.add(m.group(1));
        }
        assertThat(ids).isNotEmpty();
        return ids;
    }

    @Test
    void filmLookupsByIdentityAndCommentPagesHaveIndexes() {
        assertThat(plan("select * from films where imdb_id = 'tt90001234'")).contains("films_imdb_id_uq");
        assertThat(plan("select * from films where imdb_id is null and title_key = 'film 77' and release_year = 1977"))
                .contains("Index").doesNotContain("Seq Scan");
        assertThat(plan("select * from comments where film_id = 5 order by created_at desc limit 20"))
                .contains("comments_film_created_idx");
        assertThat(plan("select * from film_torrents where film_id = 5")).contains("film_torrents_film_idx");
    }

    /** The plan with sequential scans ruled out: an index shows up only if one can answer the query. */
    private String plan(String sql) {
        return jdbc.execute((org.springframework.jdbc.core.ConnectionCallback<String>) connection -> {
            try (var statement = connection.createStatement()) {
                statement.execute("set enable_seqscan = off");
                var lines = new StringBuilder();
                try (var rows = statement.executeQuery("explain " + sql)) {
                    while (rows.next()) {
                        lines.append(rows.getString(1)).append('\n');
                    }
                }
                statement.execute("reset enable_seqscan");
                return lines.toString();
            }
        });
    }
}
