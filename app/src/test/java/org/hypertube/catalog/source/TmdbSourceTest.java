package org.hypertube.catalog.source;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.context.i18n.LocaleContextHolder;

class TmdbSourceTest {

    private static final String KEY = "0123456789abcdef0123456789abcdef";
    private static final String TOKEN = "eyJhbGciOiJIUzI1NiJ9.eyJhdWQiOiJ0ZXN0In0.c2lnbmF0dXJlLW9mLXRoZS1mYWtlLXRva2Vu";
    @RegisterExtension
    static final WireMockExtension server = FakeServer.extension();
    private TmdbSource tmdb;

    @BeforeEach
    void freshSource() {
        tmdb = source(KEY);
        server.stubFor(get(urlPathEqualTo("/3/genre/movie/list")).withQueryParam("language", equalTo("en"))
                .willReturn(okJson(FakeServer.fixture("tmdb/genres.json"))));
    }

    @AfterEach
    void resetLocale() {
        LocaleContextHolder.resetLocaleContext();
    }

    private TmdbSource source(String key) {
        return new TmdbSource(FakeServer.quickHttp(), new TmdbProperties(key, server.baseUrl() + "/3",
                "https://image.tmdb.org/t/p/"));
    }

    @Test
    void searchResultsAreMappedAndGapsStayEmpty() throws Exception {
        server.stubFor(get(urlPathEqualTo("/3/search/movie")).withQueryParam("query", equalTo("fight club"))
                .withQueryParam("api_key", equalTo(KEY)).withQueryParam("page", equalTo("1"))
                .willReturn(okJson(FakeServer.fixture("tmdb/search.json"))));

        List<SourceFilm> films = tmdb.find(FilmQuery.search("fight club"), 1);

        assertThat(films).hasSize(2);
        SourceFilm fightClub = films.getFirst();
        assertThat(fightClub.source()).isEqualTo("tmdb");
        assertThat(fightClub.sourceId()).isEqualTo("550");
        assertThat(fightClub.title()).isEqualTo("Fight Club");
        assertThat(fightClub.year()).isEqualTo(1999);
        assertThat(fightClub.rating()).isEqualTo(8.433);
        assertThat(fightClub.genres()).containsExactly("Drama");
        assertThat(fightClub.summary()).startsWith("A ticking-time-bomb insomniac");
        assertThat(fightClub.coverUrl()).isEqualTo("https://image.tmdb.org/t/p/w500/pB8BM7pdSp6B6Ih7QZ4DrQ3PmJK.jpg");
        assertThat(fightClub.backdropUrl()).isEqualTo("https://image.tmdb.org/t/p/w1280/hZkgoQYus5vegHoetLkCJzb17zJ.jpg");
        assertThat(fightClub.popularity()).isEqualTo(73.433);
        assertThat(fightClub.imdbId()).as("lists carry no IMDb id").isNull();

        SourceFilm sequel = films.get(1);
        assertThat(sequel.year()).as("release_date \"\"").isNull();
        assertThat(sequel.rating()).as("no votes is no rating").isNull();
        assertThat(sequel.coverUrl()).isNull();
        assertThat(sequel.backdropUrl()).isNull();
        assertThat(sequel.genres()).isEmpty();
        assertThat(sequel.summary()).isNull();
    }

    @Test
    void theCallersLanguageIsSentSoTitlesComeTranslatedWhileGenresStayEnglish() throws Exception {
        LocaleContextHolder.setLocale(Locale.FRANCE);
        server.stubFor(get(urlPathEqualTo("/3/movie/84892")).withQueryParam("language", equalTo("fr-FR"))
                .withQueryParam("append_to_response", equalTo("credits,external_ids"))
                .willReturn(okJson(FakeServer.fixture("tmdb/movie_84892.json"))));

        SourceFilm film = tmdb.details(null, "84892").orElseThrow();

        assertThat(film.title()).isEqualTo("Le Monde de Charlie");
        assertThat(film.summary()).startsWith("Pittsburgh, Pennsylvanie");
        assertThat(film.genres()).containsExactly("Drama");
        assertThat(film.imdbId()).isEqualTo("tt1659337");
        assertThat(film.year()).isEqualTo(2012);
        assertThat(film.runtimeMinutes()).isEqualTo(103);
        assertThat(film.rating()).isEqualTo(7.803);
        assertThat(film.director()).isEqualTo("Stephen Chbosky");
        assertThat(film.producers()).containsExactly("Lianne Halfon", "John Malkovich");
        assertThat(film.cast()).as("by billing order").containsExactly("Logan Lerman", "Emma Watson", "Patrick de Ledebur");
        assertThat(film.coverUrl()).isEqualTo("https://image.tmdb.org/t/p/w500/aKCvdFFF5n80P2VdS7d8YBwbCjh.jpg");
    }

    @Test
    void detailsByImdbIdGoThroughFind() throws Exception {
        server.stubFor(get(urlPathEqualTo("/3/find/tt1659337")).withQueryParam("external_source", equalTo("imdb_id"))
                .willReturn(okJson(FakeServer.fixture("tmdb/find.json"))));
        server.stubFor(get(urlPathEqualTo("/3/movie/84892")).willReturn(okJson(FakeServer.fixture("tmdb/movie_84892.json"))));

        assertThat(tmdb.details("tt1659337", null)).get().extracting(SourceFilm::sourceId).isEqualTo("84892");
    }

    @Test
    void anUnknownFilmIsEmptyWhetherFindIsEmptyOrTheFilmPageIs404() throws Exception {
        server.stubFor(get(urlPathEqualTo("/3/find/tt0000001")).willReturn(okJson(FakeServer.fixture("tmdb/find_empty.json"))));
        server.stubFor(get(urlPathEqualTo("/3/movie/999999999")).willReturn(aResponse().withStatus(404)
                .withHeader("Content-Type", "application/json").withBody(FakeServer.fixture("tmdb/not_found.json"))));

        assertThat(tmdb.details("tt0000001", null)).isEmpty();
        assertThat(tmdb.details(null, "999999999")).isEmpty();
    }

    @Test
    void discoverSendsGenreIdYearRangeRatingFloorAndSort() throws Exception {
        server.stubFor(get(urlPathEqualTo("/3/discover/movie")).willReturn(okJson(FakeServer.fixture("tmdb/search.json"))));
        LocaleContextHolder.setLocale(Locale.US);

        tmdb.find(new FilmQuery(null, "Horror", 1920, 1969, 6.0, null, FilmQuery.Sort.RATING), 3);

        server.verify(getRequestedFor(urlPathEqualTo("/3/discover/movie"))
                .withQueryParam("with_genres", equalTo("27"))
                .withQueryParam("primary_release_date.gte", equalTo("1920-01-01"))
                .withQueryParam("primary_release_date.lte", equalTo("1969-12-31"))
                .withQueryParam("vote_average.gte", equalTo("6.0"))
                .withQueryParam("vote_count.gte", equalTo("50"))
                .withQueryParam("sort_by", equalTo("vote_average.desc"))
                .withQueryParam("language", equalTo("en-US"))
                .withQueryParam("page", equalTo("3")));
    }

    @Test
    void oddValuesInsideAnAnswerNeverBreakTheCaller() throws Exception {
        server.stubFor(get(urlPathEqualTo("/3/search/movie")).willReturn(okJson("""
                {"page":1,"results":[{"id":"550","title":"Fight Club","genre_ids":["x",18,null],"vote_average":"8.4",
                 "vote_count":"n/a","release_date":"1999-10-15","poster_path":"no-slash.jpg","popularity":{"a":1}},
                 {"id":null,"title":"No id"},{"title":null,"id":3}],"total_pages":1}""")));

        assertThat(tmdb.find(FilmQuery.search("fight club"), 1)).singleElement().satisfies(film -> {
            assertThat(film.sourceId()).isEqualTo("550");
            assertThat(film.genres()).containsExactly("Drama");
            assertThat(film.rating()).isEqualTo(8.4);
            assertThat(film.coverUrl()).isNull();
            assertThat(film.popularity()).isNull();
        });
    }

    @Test
    void aGenreTmdbDoesNotHaveGivesNoFilms() throws Exception {
        assertThat(tmdb.find(new FilmQuery(null, "Film-Noir", null, null, null, null, null), 1)).isEmpty();
    }

    @Test
    void pagesPast500AreNotAsked() throws Exception {
        assertThat(tmdb.find(FilmQuery.popular(), 501)).isEmpty();
        server.verify(0, getRequestedFor(urlPathEqualTo("/3/discover/movie")));
    }

    @Test
    void a429WithItsBodyIsRetriedAndTheNextAnswerUsed() throws Exception {
        server.stubFor(get(urlPathEqualTo("/3/search/movie")).inScenario("limit").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("Content-Type", "application/json")
                        .withBody(FakeServer.fixture("tmdb/rate_limited.json")))
                .willSetStateTo("ok"));
        server.stubFor(get(urlPathEqualTo("/3/search/movie")).inScenario("limit").whenScenarioStateIs("ok")
                .willReturn(okJson(FakeServer.fixture("tmdb/search.json"))));

        assertThat(tmdb.find(FilmQuery.search("fight club"), 1)).extracting(SourceFilm::title).contains("Fight Club");
        server.verify(2, getRequestedFor(urlPathEqualTo("/3/search/movie")));
    }

    @Test
    void a429ForeverIsUnavailableAndSaysWhy() {
        server.stubFor(get(urlPathEqualTo("/3/search/movie")).willReturn(aResponse().withStatus(429)
                .withHeader("Content-Type", "application/json").withBody(FakeServer.fixture("tmdb/rate_limited.json"))));

        assertThatThrownBy(() -> tmdb.find(FilmQuery.search("fight club"), 1))
                .isInstanceOf(SourceUnavailableException.class)
                .hasMessageContaining("HTTP 429")
                .hasMessageContaining("over the allowed limit")
                .hasMessageNotContaining(KEY);
        server.verify(3, getRequestedFor(urlPathEqualTo("/3/search/movie")));
    }

    @Test
    void aBadKeyIsUnavailableAndTheKeyIsNotInTheMessage() {
        server.stubFor(get(urlPathEqualTo("/3/search/movie")).willReturn(aResponse().withStatus(401)
                .withHeader("Content-Type", "application/json").withBody(FakeServer.fixture("tmdb/invalid_key.json"))));

        assertThatThrownBy(() -> tmdb.find(FilmQuery.search("x"), 1))
                .isInstanceOf(SourceUnavailableException.class)
                .hasMessageContaining("HTTP 401")
                .hasMessageContaining("api_key=<redacted>")
                .hasMessageNotContaining(KEY);
    }

    @Test
    void aReadAccessTokenGoesInTheAuthorizationHeaderNotTheUrl() throws Exception {
        server.stubFor(get(urlPathEqualTo("/3/search/movie")).willReturn(okJson(FakeServer.fixture("tmdb/search.json"))));

        source(TOKEN).find(FilmQuery.search("fight club"), 1);

        server.verify(getRequestedFor(urlPathEqualTo("/3/search/movie"))
                .withHeader("Authorization", equalTo("Bearer " + TOKEN))
                .withQueryParam("api_key", absent()));
    }

    @Test
    void aSlowTmdbIsUnavailable() {
        server.stubFor(get(urlPathEqualTo("/3/search/movie")).willReturn(okJson(FakeServer.fixture("tmdb/search.json"))
                .withFixedDelay(10_000)));
        TmdbSource impatient = new TmdbSource(FakeServer.impatientHttp(), new TmdbProperties(KEY, server.baseUrl() + "/3",
                "https://image.tmdb.org/t/p/"));

        assertThatThrownBy(() -> impatient.find(FilmQuery.search("fight club"), 1))
                .isInstanceOf(SourceUnavailableException.class).hasMessageContaining("timed out");
    }
}
