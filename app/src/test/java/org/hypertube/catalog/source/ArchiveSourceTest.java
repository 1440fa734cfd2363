package org.hypertube.catalog.source;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
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

class ArchiveSourceTest {

    private static final String SEARCH = "/advancedsearch.php";
    @RegisterExtension
    static final WireMockExtension server = FakeServer.extension();
    private ArchiveSource archive;

    @BeforeEach
    void freshSource() {
        archive = new ArchiveSource(FakeServer.quickHttp(), new ArchiveProperties(true, server.baseUrl()));
    }

    @Test
    void popularFeatureFilmsAreMappedWithTheirItemTorrent() throws Exception {
        server.stubFor(get(urlPathEqualTo(SEARCH))
                .withQueryParam("q", containing("collection:(feature_films) AND mediatype:(movies)"))
                .withQueryParam("sort[]", equalTo("downloads desc")).withQueryParam("output", equalTo("json"))
                .willReturn(okJson(FakeServer.fixture("archive/advancedsearch.json"))));

        List<SourceFilm> films = archive.find(FilmQuery.popular(), 1);

        assertThat(films).extracting(SourceFilm::title).containsExactly("Night of the Living Dead", "Nosferatu");
        SourceFilm night = films.getFirst();
        assertThat(night.source()).isEqualTo("archive");
        assertThat(night.sourceId()).isEqualTo("night_of_the_living_dead");
        assertThat(night.imdbId()).isEqualTo("tt0063350");
        assertThat(night.year()).as("a string year").isEqualTo(1968);
        assertThat(night.summary()).isEqualTo("George A. Romero's classic & creepy zombie film.\nPublic domain.");
        assertThat(night.genres()).containsExactly("Horror");
        assertThat(night.popularity()).isEqualTo(3894112.0);
        assertThat(night.rating()).isNull();
        assertThat(night.coverUrl()).isEqualTo(server.baseUrl() + "/services/img/night_of_the_living_dead");
        assertThat(night.torrents()).singleElement().satisfies(t -> {
            assertThat(t.uri()).isEqualTo(server.baseUrl()
                    + "/download/night_of_the_living_dead/night_of_the_living_dead_archive.torrent");
            assertThat(t.infoHash()).isNull();
            assertThat(t.seeds()).isEqualTo(-1);
        });
        SourceFilm nosferatu = films.get(1);
        assertThat(nosferatu.year()).as("a number year").isEqualTo(1922);
        assertThat(nosferatu.imdbId()).isNull();
        assertThat(nosferatu.genres()).containsExactly("Horror");
    }

    @Test
    void aSearchBecomesTitleWordsAndAYearRangeThatCannotChangeTheQuery() throws Exception {
        server.stubFor(get(urlPathEqualTo(SEARCH)).willReturn(okJson(FakeServer.fixture("archive/advancedsearch.json"))));

        archive.find(new FilmQuery("Night) OR (living*", null, 1960, 1970, null, null, FilmQuery.Sort.TITLE), 2);

        server.verify(getRequestedFor(urlPathEqualTo(SEARCH))
                .withQueryParam("q", containing(" AND title:(night AND or AND living)"))
                .withQueryParam("q", containing(" AND year:[1960 TO 1970]"))
                .withQueryParam("sort[]", equalTo("titleSorter asc"))
                .withQueryParam("rows", equalTo("20"))
                .withQueryParam("page", equalTo("2")));
    }

    @Test
    void itemMetadataGivesRuntimeDirectorAndTheTorrentsInfoHash() throws Exception {
        server.stubFor(get(urlPathEqualTo("/metadata/night_of_the_living_dead"))
                .willReturn(okJson(FakeServer.fixture("archive/metadata.json"))));

        SourceFilm film = archive.details(null, "night_of_the_living_dead").orElseThrow();

        assertThat(film.title()).isEqualTo("Night of the Living Dead");
        assertThat(film.year()).isEqualTo(1968);
        assertThat(film.runtimeMinutes()).isEqualTo(96);
        assertThat(film.director()).isEqualTo("George A. Romero");
        assertThat(film.imdbId()).isEqualTo("tt0063350");
        assertThat(film.genres()).containsExactly("Horror", "Thriller");
        assertThat(film.summary()).isEqualTo("Barbra and Johnny visit their father's grave & are attacked.");
        assertThat(film.torrents()).singleElement().satisfies(t -> {
            assertThat(t.infoHash()).isEqualTo("112d1609ad458c93ff08d3c8561759c38084702d");
            assertThat(t.quality()).isEqualTo("480p");
            assertThat(t.sizeBytes()).isEqualTo(2_489_000_000L);
        });
    }

    @Test
    void detailsByImdbIdFindTheItemFirst() throws Exception {
        server.stubFor(get(urlPathEqualTo(SEARCH)).withQueryParam("q", containing("external-identifier:(\"urn:imdb:tt0063350\")"))
                .willReturn(okJson(FakeServer.fixture("archive/advancedsearch.json"))));
        server.stubFor(get(urlPathEqualTo("/metadata/night_of_the_living_dead"))
                .willReturn(okJson(FakeServer.fixture("archive/metadata.json"))));

        assertThat(archive.details("tt0063350", null)).get().extracting(SourceFilm::sourceId).isEqualTo("night_of_the_living_dead");
    }

    @Test
    void anErrorBodyWithHttp200IsUnavailableAndAnUnknownItemIsEmpty() throws Exception {
        server.stubFor(get(urlPathEqualTo("/metadata/broken")).willReturn(okJson(FakeServer.fixture("archive/metadata_error.json"))));
        server.stubFor(get(urlPathEqualTo("/metadata/nothing_here")).willReturn(okJson(FakeServer.fixture("archive/metadata_unknown.json"))));

        assertThatThrownBy(() -> archive.details(null, "broken")).isInstanceOf(SourceUnavailableException.class)
                .hasMessageContaining("item metadata may be invalid");
        assertThat(archive.details(null, "nothing_here")).isEmpty();
    }

    @Test
    void aSearchAnswerWithoutDocsIsUnavailable() {
        server.stubFor(get(urlPathEqualTo(SEARCH)).willReturn(okJson("{\"responseHeader\":{\"status\":400},\"error\":{\"msg\":\"bad query\"}}")));

        assertThatThrownBy(() -> archive.find(FilmQuery.popular(), 1)).isInstanceOf(SourceUnavailableException.class)
                .hasMessageContaining("bad query");
    }

    @Test
    void runtimesComeInSeveralForms() {
        assertThat(ArchiveSource.runtimeMinutes("1:36:00")).isEqualTo(96);
        assertThat(ArchiveSource.runtimeMinutes("6:00")).isEqualTo(6);
        assertThat(ArchiveSource.runtimeMinutes("78 min")).isEqualTo(78);
        assertThat(ArchiveSource.runtimeMinutes("about an hour")).isNull();
    }
}
