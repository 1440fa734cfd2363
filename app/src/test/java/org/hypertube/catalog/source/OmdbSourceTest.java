package org.hypertube.catalog.source;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class OmdbSourceTest {

    private static final String KEY = "a1b2c3d4";
    @RegisterExtension
    static final WireMockExtension server = FakeServer.extension();
    private OmdbSource omdb;

    @BeforeEach
    void freshSource() {
        omdb = new OmdbSource(FakeServer.quickHttp(), new OmdbProperties(KEY, server.baseUrl() + "/"));
    }

    @Test
    void itAnswersSearchesButNotThePopularList() {
        assertThat(omdb.answers(FilmQuery.popular())).isFalse();
        assertThat(omdb.answers(FilmQuery.search("batman"))).isTrue();
    }

    @Test
    void searchResultsAreMappedAndNaMeansNull() throws Exception {
        server.stubFor(get(urlPathEqualTo("/")).withQueryParam("s", equalTo("batman")).withQueryParam("apikey", equalTo(KEY))
                .withQueryParam("type", equalTo("movie")).withQueryParam("y", equalTo("1989")).withQueryParam("page", equalTo("2"))
                .willReturn(okJson(FakeServer.fixture("omdb/search.json"))));

        List<SourceFilm> films = omdb.find(new FilmQuery("batman", null, 1989, 1989, null, null, null), 2);

        assertThat(films).extracting(SourceFilm::title).containsExactly("Batman Begins", "Batman");
        assertThat(films).extracting(SourceFilm::imdbId).containsExactly("tt0372784", "tt0096895");
        assertThat(films).extracting(SourceFilm::year).containsExactly(2005, 1989);
        assertThat(films.getFirst().coverUrl()).startsWith("https://m.media-amazon.com/");
        assertThat(films.get(1).coverUrl()).isNull();
    }

    @Test
    void movieNotFoundWithHttp200IsNoResultNotAFailure() throws Exception {
        server.stubFor(get(urlPathEqualTo("/")).willReturn(okJson(FakeServer.fixture("omdb/not_found.json"))));

        assertThat(omdb.find(FilmQuery.search("qwxzqwxz"), 1)).isEmpty();
        assertThat(omdb.details("tt9999999", null)).isEmpty();
    }

    @Test
    void anIncorrectImdbIdIsNotAFilm() throws Exception {
        server.stubFor(get(urlPathEqualTo("/")).willReturn(okJson(FakeServer.fixture("omdb/incorrect_id.json"))));

        assertThat(omdb.details("tt0000000", null)).isEmpty();
    }

    @Test
    void anInvalidKeyOrASpentQuotaWithHttp200IsUnavailableWithoutTheKey() {
        server.stubFor(get(urlPathEqualTo("/")).withQueryParam("s", equalTo("a"))
                .willReturn(okJson(FakeServer.fixture("omdb/invalid_key.json"))));
        server.stubFor(get(urlPathEqualTo("/")).withQueryParam("s", equalTo("b"))
                .willReturn(okJson(FakeServer.fixture("omdb/limit_reached.json"))));
        server.stubFor(get(urlPathEqualTo("/")).withQueryParam("s", equalTo("c")).willReturn(aResponse().withStatus(401)
                .withHeader("Content-Type", "application/json").withBody(FakeServer.fixture("omdb/invalid_key.json"))));

        assertThatThrownBy(() -> omdb.find(FilmQuery.search("a"), 1)).isInstanceOf(SourceUnavailableException.class)
                .hasMessageContaining("Invalid API key!").hasMessageNotContaining(KEY);
        assertThatThrownBy(() -> omdb.find(FilmQuery.search("b"), 1)).isInstanceOf(SourceUnavailableException.class)
                .hasMessageContaining("Request limit reached!").hasMessageNotContaining(KEY);
        assertThatThrownBy(() -> omdb.find(FilmQuery.search("c"), 1)).isInstanceOf(SourceUnavailableException.class)
                .hasMessageContaining("HTTP 401").hasMessageContaining("apikey=<redacted>").hasMessageNotContaining(KEY);
    }

    @Test
    void detailsGiveImdbRatingRuntimeDirectorAndActors() throws Exception {
        server.stubFor(get(urlPathEqualTo("/")).withQueryParam("i", equalTo("tt1375666")).withQueryParam("plot", equalTo("full"))
                .willReturn(okJson(FakeServer.fixture("omdb/inception.json"))));

        SourceFilm film = omdb.details("tt1375666", null).orElseThrow();

        assertThat(film.source()).isEqualTo("omdb");
        assertThat(film.title()).isEqualTo("Inception");
        assertThat(film.year()).isEqualTo(2010);
        assertThat(film.rating()).isEqualTo(8.8);
        assertThat(film.runtimeMinutes()).isEqualTo(148);
        assertThat(film.genres()).containsExactly("Action", "Adventure", "Science Fiction");
        assertThat(film.director()).isEqualTo("Christopher Nolan");
        assertThat(film.cast()).containsExactly("Leonardo DiCaprio", "Joseph Gordon-Levitt", "Elliot Page");
        assertThat(film.summary()).startsWith("A thief who steals corporate secrets");
        assertThat(film.popularity()).isEqualTo(2_300_000.0);
    }

    @Test
    void fieldsSaidToBeNaStayNull() throws Exception {
        server.stubFor(get(urlPathEqualTo("/")).willReturn(okJson(FakeServer.fixture("omdb/unknown_fields.json"))));

        SourceFilm film = omdb.details("tt0013442", null).orElseThrow();

        assertThat(film.title()).isEqualTo("Nosferatu");
        assertThat(film.rating()).isNull();
        assertThat(film.runtimeMinutes()).isNull();
        assertThat(film.director()).isNull();
        assertThat(film.summary()).isNull();
        assertThat(film.coverUrl()).isNull();
        assertThat(film.genres()).isEmpty();
        assertThat(film.cast()).isEmpty();
    }

    @Test
    void thePopularListAsksNothing() throws Exception {
        assertThat(omdb.find(FilmQuery.popular(), 1)).isEmpty();
        server.verify(0, getRequestedFor(urlPathEqualTo("/")));
    }
}
