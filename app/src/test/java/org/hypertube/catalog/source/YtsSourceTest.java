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

class YtsSourceTest {

    private static final String LIST = "/api/v2/list_movies.json";
    private static final String DETAILS = "/api/v2/movie_details.json";
    private static final List<String> TRACKERS = List.of("udp://127.0.0.1:6969/announce", "http://127.0.0.1:8000/announce");
    @RegisterExtension
    static final WireMockExtension server = FakeServer.extension();
    private YtsSource yts;

    @BeforeEach
    void freshSource() {
        yts = new YtsSource(FakeServer.quickHttp(), new YtsProperties(true, server.baseUrl() + "/api/v2/", TRACKERS));
    }

    @Test
    void popularFilmsAreMappedFieldByFieldWithMagnetsFromTheirHashes() throws Exception {
        server.stubFor(get(urlPathEqualTo(LIST)).withQueryParam("sort_by", equalTo("download_count"))
                .withQueryParam("order_by", equalTo("desc")).withQueryParam("page", equalTo("1"))
                .withQueryParam("limit", equalTo("20")).willReturn(okJson(FakeServer.fixture("yts/list_movies.json"))));

        List<SourceFilm> films = yts.find(FilmQuery.popular(), 1);

        assertThat(films).extracting(SourceFilm::title).containsExactly("Dracula 3D", "Night of the Living Dead");
        SourceFilm dracula = films.getFirst();
        assertThat(dracula.source()).isEqualTo("yts");
        assertThat(dracula.sourceId()).isEqualTo("64315");
        assertThat(dracula.imdbId()).isEqualTo("tt1852770");
        assertThat(dracula.year()).isEqualTo(2012);
        assertThat(dracula.rating()).isEqualTo(3.6);
        assertThat(dracula.runtimeMinutes()).isEqualTo(110);
        assertThat(dracula.genres()).containsExactly("Drama", "Horror", "Romance", "Thriller");
        assertThat(dracula.summary()).as("YTS sends \"\" for no summary").isNull();
        assertThat(dracula.coverUrl()).isEqualTo("https://yts.mx/assets/images/movies/dracula_3d_2012/large-cover.jpg");
        assertThat(dracula.popularity()).isEqualTo(50.0);
        assertThat(dracula.torrents()).hasSize(2);
        SourceTorrent threeD = dracula.torrents().getFirst();
        assertThat(threeD.infoHash()).isEqualTo("47150a0e431ff0144b10637cf23b36bfab0345dc");
        assertThat(threeD.quality()).isEqualTo("3D");
        assertThat(threeD.sizeBytes()).isEqualTo(2179695903L);
        assertThat(threeD.seeds()).isEqualTo(9);
        assertThat(threeD.peers()).isEqualTo(6);
        assertThat(threeD.uri()).isEqualTo("magnet:?xt=urn:btih:47150a0e431ff0144b10637cf23b36bfab0345dc"
                + "&dn=Dracula%203D%20%282012%29%20%5B3D%5D%20%5Bbluray%5D"
                + "&tr=udp%3A%2F%2F127.0.0.1%3A6969%2Fannounce&tr=http%3A%2F%2F127.0.0.1%3A8000%2Fannounce");

        SourceFilm night = films.get(1);
        assertThat(night.rating()).as("0 means no rating yet").isNull();
        assertThat(night.runtimeMinutes()).isNull();
        assertThat(night.genres()).containsExactly("Horror", "Science Fiction");
        assertThat(night.summary()).startsWith("A ragtag group of Pennsylvanians barricade themselves in an old farmhouse to remain");
        SourceTorrent withoutHash = night.torrents().getFirst();
        assertThat(withoutHash.infoHash()).isNull();
        assertThat(withoutHash.uri()).isEqualTo("https://yts.lt/torrent/download/NOTAHASH?db3KMfZTINO9HUWiXzRuBHuucbs");
    }

    @Test
    void aSearchSendsTheTermGenreRatingAndTitleOrder() throws Exception {
        server.stubFor(get(urlPathEqualTo(LIST)).willReturn(okJson(FakeServer.fixture("yts/list_movies_empty.json"))));

        yts.find(new FilmQuery("night of the living dead", "Science Fiction", null, null, 6.5, null, FilmQuery.Sort.TITLE), 2);

        server.verify(getRequestedFor(urlPathEqualTo(LIST))
                .withQueryParam("query_term", equalTo("night of the living dead"))
                .withQueryParam("genre", equalTo("Sci-Fi"))
                .withQueryParam("minimum_rating", equalTo("6"))
                .withQueryParam("sort_by", equalTo("title"))
                .withQueryParam("order_by", equalTo("asc"))
                .withQueryParam("page", equalTo("2")));
    }

    @Test
    void noMatchIsAnEmptyListEvenThoughTheMoviesKeyIsMissing() throws Exception {
        server.stubFor(get(urlPathEqualTo(LIST)).willReturn(okJson(FakeServer.fixture("yts/list_movies_empty.json"))));

        assertThat(yts.find(FilmQuery.search("zzzz"), 1)).isEmpty();
    }

    @Test
    void anErrorStatusWithHttp200IsUnavailableNotEmpty() {
        server.stubFor(get(urlPathEqualTo(LIST)).willReturn(okJson(FakeServer.fixture("yts/error.json"))));

        assertThatThrownBy(() -> yts.find(FilmQuery.search("a"), 1))
                .isInstanceOf(SourceUnavailableException.class)
                .hasMessageContaining("Query term is too short")
                .extracting(e -> ((SourceUnavailableException) e).source()).isEqualTo("yts");
    }

    @Test
    void aMaintenancePageIsUnavailable() {
        server.stubFor(get(urlPathEqualTo(LIST)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "text/html").withBody("<html>Maintenance, back soon</html>")));

        assertThatThrownBy(() -> yts.find(FilmQuery.popular(), 1)).isInstanceOf(SourceUnavailableException.class);
    }

    @Test
    void detailsByImdbIdBringCastAndTorrents() throws Exception {
        server.stubFor(get(urlPathEqualTo(DETAILS)).withQueryParam("imdb_id", equalTo("tt0063350"))
                .withQueryParam("with_cast", equalTo("true")).withQueryParam("with_images", equalTo("true"))
                .willReturn(okJson(FakeServer.fixture("yts/movie_details.json"))));

        SourceFilm film = yts.details("tt0063350", null).orElseThrow();

        assertThat(film.title()).isEqualTo("Night of the Living Dead");
        assertThat(film.year()).isEqualTo(1968);
        assertThat(film.rating()).isEqualTo(7.8);
        assertThat(film.runtimeMinutes()).isEqualTo(96);
        assertThat(film.cast()).containsExactly("Duane Jones", "Judith O'Dea");
        assertThat(film.director()).isNull();
        assertThat(film.torrents()).singleElement().satisfies(t -> {
            assertThat(t.quality()).isEqualTo("1080p");
            assertThat(t.infoHash()).isEqualTo("a2c8e6b4f0d2e4a6c8b0d2f4a6c8e0b2d4f6a8c0");
            assertThat(t.seeds()).isEqualTo(57);
        });
    }

    @Test
    void detailsByTheSourcesOwnIdUseMovieId() throws Exception {
        server.stubFor(get(urlPathEqualTo(DETAILS)).withQueryParam("movie_id", equalTo("3175"))
                .willReturn(okJson(FakeServer.fixture("yts/movie_details.json"))));

        assertThat(yts.details(null, "3175")).get().extracting(SourceFilm::imdbId).isEqualTo("tt0063350");
    }

    @Test
    void anUnknownFilmIsEmpty() throws Exception {
        server.stubFor(get(urlPathEqualTo(DETAILS)).willReturn(okJson(FakeServer.fixture("yts/movie_details_unknown.json"))));

        assertThat(yts.details("tt9999999", null)).isEmpty();
    }
}
