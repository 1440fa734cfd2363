package org.hypertube.catalog.source;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class TorznabSourceTest {

    private static final String KEY = "jackettkey0123456789";
    private static final String REDIRECTED_HASH = "fedcba9876543210fedcba9876543210fedcba98";
    @RegisterExtension
    static final WireMockExtension server = FakeServer.extension();
    private TorznabSource torznab;

    @BeforeEach
    void freshSource() {
        torznab = new TorznabSource(FakeServer.quickHttp(), new TorznabProperties(server.baseUrl() + "/api", KEY,
                List.of("udp://127.0.0.1:6969/announce")));
    }

    private void answer(String fixture) {
        server.stubFor(get(urlPathEqualTo("/api")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/rss+xml; charset=utf-8")
                .withBody(FakeServer.fixture(fixture).replace("{{BASE}}", server.baseUrl()))));
    }

    @Test
    void itListsNoFilms() throws SourceUnavailableException {
        assertThat(torznab.answers(FilmQuery.popular())).isFalse();
        assertThat(torznab.answers(FilmQuery.search("matrix"))).isFalse();
        assertThat(torznab.find(FilmQuery.search("matrix"), 1)).isEmpty();
    }

    @Test
    void torrentsOfAFilmByImdbIdComeAsMagnetsBestSeededFirst() throws Exception {
        answer("torznab/movie.xml");
        server.stubFor(get(urlPathEqualTo("/dl/other/")).withQueryParam("path", equalTo("MAGNET"))
                .willReturn(aResponse().withStatus(302).withHeader("Location",
                        "magnet:?xt=urn:btih:" + REDIRECTED_HASH.toUpperCase() + "&dn=The+Matrix+2160p")));
        server.stubFor(get(urlPathEqualTo("/dl/other/")).withQueryParam("path", equalTo("FILE"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/x-bittorrent")
                        .withBody("d8:announce0:e")));

        SourceFilm film = torznab.details("tt0133093", null).orElseThrow();

        server.verify(getRequestedFor(urlPathEqualTo("/api")).withQueryParam("t", equalTo("movie"))
                .withQueryParam("imdbid", equalTo("tt0133093")).withQueryParam("apikey", equalTo(KEY))
                .withQueryParam("cat", equalTo("2000")));
        assertThat(film.source()).isEqualTo("torznab");
        assertThat(film.imdbId()).isEqualTo("tt0133093");
        assertThat(film.title()).isNull();
        assertThat(film.torrents()).extracting(SourceTorrent::quality).containsExactly("1080p", "720p", "2160p");

        SourceTorrent jackett = film.torrents().get(0);
        assertThat(jackett.infoHash()).isEqualTo("d7a46713eaee18c746b3254b7d1492a50fd9d6ce");
        assertThat(jackett.seeds()).isEqualTo(203);
        assertThat(jackett.peers()).as("Torznab's peers include the seeders").isEqualTo(77);
        assertThat(jackett.sizeBytes()).isEqualTo(1997159793L);
        assertThat(jackett.name()).isEqualTo("The Matrix (1999) 1080p BRRip -YTS");
        assertThat(jackett.uri()).startsWith("magnet:?xt=urn:btih:D7A46713EAEE18C746B3254B7D1492A50FD9D6CE");

        SourceTorrent hashOnly = film.torrents().get(1);
        assertThat(hashOnly.sizeBytes()).isEqualTo(1073741824L);
        assertThat(hashOnly.peers()).isEqualTo(-1);
        assertThat(hashOnly.uri()).isEqualTo("magnet:?xt=urn:btih:0123456789abcdef0123456789abcdef01234567"
                + "&dn=The.Matrix.1999.720p.BluRay.x264&tr=udp%3A%2F%2F127.0.0.1%3A6969%2Fannounce");

        SourceTorrent redirected = film.torrents().get(2);
        assertThat(redirected.infoHash()).isEqualTo(REDIRECTED_HASH);
        assertThat(redirected.uri()).startsWith("magnet:?xt=urn:btih:");
        assertThat(redirected.peers()).isEqualTo(4);

        assertThat(film.torrents()).as("links carry the indexer's key and never leave the server")
                .allSatisfy(t -> assertThat(t.uri()).doesNotContain("KEY-IN-LINK").doesNotContain("apikey"));
    }

    @Test
    void aDownloadLinkThatFailsCostsOnlyItsOwnTorrent() throws Exception {
        answer("torznab/movie.xml");
        server.stubFor(get(urlPathEqualTo("/dl/other/")).willReturn(aResponse().withStatus(500)));

        assertThat(torznab.details("tt0133093", null).orElseThrow().torrents())
                .extracting(SourceTorrent::quality).containsExactly("1080p", "720p");
    }

    @Test
    void anErrorWithHttp200IsUnavailableWithoutTheKey() {
        answer("torznab/error_100.xml");

        assertThatThrownBy(() -> torznab.details("tt0133093", null))
                .isInstanceOf(SourceUnavailableException.class)
                .hasMessageContaining("error 100").hasMessageContaining("Invalid API Key")
                .hasMessageNotContaining(KEY);
    }

    @Test
    void anIndexerThatCannotSearchByImdbIdSaysSo() {
        answer("torznab/error_203.xml");

        assertThatThrownBy(() -> torznab.details("tt0133093", null))
                .isInstanceOf(SourceUnavailableException.class).hasMessageContaining("imdbid is not supported");
    }

    @Test
    void anEmptyChannelIsNoTorrents() throws Exception {
        answer("torznab/empty.xml");

        assertThat(torznab.details("tt0133093", null)).isEmpty();
    }

    @Test
    void notXmlIsUnavailable() {
        server.stubFor(get(urlPathEqualTo("/api")).willReturn(aResponse().withStatus(200).withBody("{\"error\":\"json?\"}")));

        assertThatThrownBy(() -> torznab.details("tt0133093", null)).isInstanceOf(SourceUnavailableException.class)
                .hasMessageContaining("malformed XML");
    }

    @Test
    void startUpRefusesAUrlWithoutAKey() {
        assertThatThrownBy(() -> new TorznabProperties("http://127.0.0.1:9117/api", "", List.of()))
                .hasMessageContaining("TORZNAB_API_KEY");
    }
}
