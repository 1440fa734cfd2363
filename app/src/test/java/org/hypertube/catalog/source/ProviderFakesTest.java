package org.hypertube.catalog.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import java.net.URI;
import java.time.Duration;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.i18n.LocaleContextHolder;

/** The fake world the catalog's own tests use answers consistently through the real clients. */
class ProviderFakesTest {

    private static final String NIGHT = "tt0063350";
    private static WireMockServer fakes;

    @BeforeAll
    static void start() {
        fakes = ProviderFakes.start();
        ProviderFakes.stubAll(fakes);
    }

    @AfterAll
    static void stop() {
        fakes.stop();
    }

    @AfterEach
    void resetLocale() {
        LocaleContextHolder.resetLocaleContext();
    }

    @Test
    void ytsHasTwoPagesOfPopularFilmsThenNothing() throws Exception {
        FilmSource yts = ProviderFakes.source(fakes, "yts");

        List<SourceFilm> first = yts.find(FilmQuery.popular(), 1);
        assertThat(first).hasSize(20);
        assertThat(first.getFirst().title()).isEqualTo("Night of the Living Dead");
        assertThat(first.getFirst().torrents()).extracting(SourceTorrent::infoHash)
                .containsExactly(ProviderFakes.film(NIGHT).orElseThrow().ytsHash("720p"),
                        ProviderFakes.film(NIGHT).orElseThrow().ytsHash("1080p"));
        assertThat(yts.find(FilmQuery.popular(), 2)).hasSize(4);
        assertThat(yts.find(FilmQuery.popular(), 3)).isEmpty();
    }

    @Test
    void theSameFilmHasTheSameImdbIdEverywhere() throws Exception {
        for (String name : List.of("yts", "archive", "tmdb", "omdb")) {
            SourceFilm film = ProviderFakes.source(fakes, name).details(NIGHT, null).orElseThrow();
            assertThat(film.imdbId()).as(name).isEqualTo(NIGHT);
            assertThat(film.title()).as(name).isEqualTo("Night of the Living Dead");
            assertThat(film.year()).as(name).isEqualTo(1968);
        }
        assertThat(ProviderFakes.source(fakes, "tmdb").details(NIGHT, null).orElseThrow().cast())
                .startsWith("Duane Jones", "Judith O'Dea");
        assertThat(ProviderFakes.source(fakes, "torznab").details(NIGHT, null).orElseThrow().torrents()).hasSize(2);
    }

    @Test
    void aFilmTheArchiveKnowsWithoutItsImdbIdMatchesTmdbByTitleAndYear() throws Exception {
        SourceFilm archived = ProviderFakes.source(fakes, "archive").find(FilmQuery.search("brain wouldn't die"), 1).getFirst();
        SourceFilm listed = ProviderFakes.source(fakes, "tmdb").find(FilmQuery.search("brain wouldn't die"), 1).getFirst();

        assertThat(archived.imdbId()).isNull();
        assertThat(listed.imdbId()).isNull();
        assertThat(archived.title()).isEqualTo(listed.title()).isEqualTo("The Brain That Wouldn't Die");
        assertThat(archived.year()).isEqualTo(listed.year()).isEqualTo(1962);
    }

    @Test
    void searchesGenresAndYearsAreAnsweredByFilteringTheWorld() throws Exception {
        for (FilmSource source : ProviderFakes.sources(fakes)) {
            if (source.answers(FilmQuery.search("nosferatu"))) {
                assertThat(source.find(FilmQuery.search("nosferatu"), 1)).as(source.name())
                        .extracting(SourceFilm::title).containsExactly("Nosferatu");
            }
        }
        FilmQuery horrorOfThe60s = new FilmQuery(null, "Horror", 1960, 1969, null, null, FilmQuery.Sort.YEAR);
        assertThat(ProviderFakes.source(fakes, "tmdb").find(horrorOfThe60s, 1))
                .isNotEmpty().allSatisfy(f -> {
                    assertThat(f.genres()).contains("Horror");
                    assertThat(f.year()).isBetween(1960, 1969);
                });
        assertThat(ProviderFakes.source(fakes, "archive").find(horrorOfThe60s, 1))
                .isNotEmpty().allSatisfy(f -> assertThat(f.year()).isBetween(1960, 1969));
        assertThat(ProviderFakes.source(fakes, "yts").find(FilmQuery.search("no such film here"), 1)).isEmpty();
        assertThat(ProviderFakes.source(fakes, "omdb").find(FilmQuery.search("no such film here"), 1)).isEmpty();
    }

    @Test
    void tmdbAnswersInFrenchForAFrenchReader() throws Exception {
        LocaleContextHolder.setLocale(Locale.FRENCH);

        SourceFilm film = ProviderFakes.source(fakes, "tmdb").details(NIGHT, null).orElseThrow();

        assertThat(film.title()).isEqualTo("La Nuit des morts-vivants");
        assertThat(film.genres()).containsExactly("Horror", "Thriller");
    }

    @Test
    void aSlowSourceTimesOut() throws Exception {
        WireMockServer own = ProviderFakes.start();
        try {
            ProviderFakes.stubAll(own);
            ProviderFakes.stubSlow(own, "archive", Duration.ofSeconds(3));

            assertThatThrownBy(() -> ProviderFakes.source(own, "archive").find(FilmQuery.popular(), 1))
                    .isInstanceOf(SourceUnavailableException.class).hasMessageContaining("timed out");
        } finally {
            own.stop();
        }
    }

    @Test
    void coversAreRealImages() throws Exception {
        SourceFilm film = ProviderFakes.source(fakes, "tmdb").find(FilmQuery.popular(), 1).getFirst();
        try (HttpClient client = HttpClient.newHttpClient()) {
            HttpResponse<byte[]> cover = client.send(HttpRequest.newBuilder(URI.create(film.coverUrl())).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(cover.statusCode()).isEqualTo(200);
            assertThat(cover.headers().firstValue("Content-Type")).hasValue("image/png");
            assertThat(cover.body()).startsWith((byte) 0x89, (byte) 'P', (byte) 'N', (byte) 'G');
        }
    }

    @Test
    void aSourceTakenDownIsUnavailableWhileTheOthersAnswer() throws Exception {
        WireMockServer own = ProviderFakes.start();
        try {
            ProviderFakes.stubAll(own);
            ProviderFakes.stubDown(own, "yts");

            assertThatThrownBy(() -> ProviderFakes.source(own, "yts").find(FilmQuery.popular(), 1))
                    .isInstanceOf(SourceUnavailableException.class).hasMessageContaining("503");
            assertThat(ProviderFakes.source(own, "archive").find(FilmQuery.popular(), 1)).isNotEmpty();

            ProviderFakes.stubUp(own, "yts");
            assertThat(ProviderFakes.source(own, "yts").find(FilmQuery.popular(), 1)).isNotEmpty();
        } finally {
            own.stop();
        }
    }
}
