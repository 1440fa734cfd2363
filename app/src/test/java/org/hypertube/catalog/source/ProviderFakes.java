package org.hypertube.catalog.source;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.imageio.ImageIO;
import org.springframework.util.unit.DataSize;

/**
 * Fakes of every outside film source on one WireMock server, answering in the providers' documented
 * shapes from one small consistent world of public-domain films ({@link FakeFilmWorld#FILMS}): the
 * same film has the same IMDb id at YTS, the Internet Archive, TMDB and OMDb, so merging can be
 * tested; there are enough films for two pages of 20 (infinite scroll); searches, genres, year
 * and rating ranges and sorts are answered by filtering the world, as the real APIs would.
 *
 * <pre>{@code
 * WireMockServer fakes = ProviderFakes.start();      // 127.0.0.1, free port
 * ProviderFakes.stubAll(fakes);                       // or stubYts(fakes), stubTmdb(fakes) ...
 * ProviderFakes.properties(fakes)                     // hypertube.catalog.* -> this server, keys set
 *     .forEach(registry::add);                        // e.g. in a @DynamicPropertySource
 * ProviderFakes.stubDown(fakes, "yts");               // YTS answers 503 from now on
 * ProviderFakes.stubUp(fakes, "yts");                 // ... and answers again
 * fakes.stop();
 * }</pre>
 *
 * Paths: YTS under {@code /yts/api/v2}, the Archive under {@code /archive}, TMDB under
 * {@code /tmdb/3}, OMDb at {@code /omdb/}, Torznab at {@code /torznab/api}; every cover and
 * backdrop is a small PNG under {@code /covers/} (or the Archive's {@code /archive/services/img/}),
 * so a browser really loads them.
 */
public final class ProviderFakes {

    public static final String TMDB_KEY = "fake-tmdb-key-0123456789abcdef";
    public static final String OMDB_KEY = "fake-omdb-key";
    public static final String TORZNAB_KEY = "fake-torznab-key";
    /** Loopback trackers only: tests never announce to the internet. */
    public static final String TRACKER = "http://127.0.0.1:6969/announce";

    private static final byte[] COVER = cover();

    private ProviderFakes() {
    }

    /** A started WireMock on 127.0.0.1 and a free port, able to answer from the fake world. */
    public static WireMockServer start() {
        WireMockServer server = new WireMockServer(options());
        server.start();
        return server;
    }

    /**
     * WireMock options for a server of one's own (127.0.0.1, free port) with the fake world's
     * extension, without which the stubs below answer nothing.
     */
    public static WireMockConfiguration options() {
        return WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort().extensions(new FakeFilmWorld());
    }

    /** The same, every answer delayed by {@code latency} (benchmarks: sources 100 ms away). */
    public static WireMockServer start(Duration latency) {
        WireMockServer server = start();
        server.setGlobalFixedDelay((int) latency.toMillis());
        return server;
    }

    /** Every source and the covers. */
    public static void stubAll(WireMockServer server) {
        stubYts(server);
        stubArchive(server);
        stubTmdb(server);
        stubOmdb(server);
        stubTorznab(server);
    }

    /** YTS: list_movies (query_term, genre, minimum_rating, sort_by, order_by, page, limit) and movie_details. */
    public static void stubYts(WireMockServer server) {
        world(server, "/yts/.*", "yts");
        stubCovers(server);
    }

    /** The Internet Archive: advancedsearch.php (the queries ArchiveSource sends) and metadata/{id}. */
    public static void stubArchive(WireMockServer server) {
        world(server, "/archive/.*", "archive");
        server.stubFor(get(urlPathMatching("/archive/services/img/.*")).atPriority(4)
                .willReturn(aResponse().withHeader("Content-Type", "image/png").withBody(COVER)));
    }

    /** TMDB: search/movie, discover/movie, movie/popular, movie/{id}, find/{imdb id}, genre/movie/list; needs {@link #TMDB_KEY}. */
    public static void stubTmdb(WireMockServer server) {
        world(server, "/tmdb/.*", "tmdb");
        stubCovers(server);
    }

    /** OMDb: s= (search) and i= (by IMDb id); needs {@link #OMDB_KEY}. */
    public static void stubOmdb(WireMockServer server) {
        world(server, "/omdb/.*", "omdb");
        stubCovers(server);
    }

    /** Torznab: t=movie&imdbid= and t=caps; needs {@link #TORZNAB_KEY}. */
    public static void stubTorznab(WireMockServer server) {
        world(server, "/torznab/.*", "torznab");
    }

    /** From now on {@code source} ("yts", "archive", "tmdb", "omdb", "torznab") answers 503. */
    public static void stubDown(WireMockServer server, String source) {
        server.stubFor(get(urlPathMatching("/" + source + "/.*")).atPriority(1)
                .willReturn(aResponse().withStatus(503).withBody("Service Unavailable")));
    }

    /** Undoes {@link #stubDown} and {@link #stubSlow} for {@code source}. */
    public static void stubUp(WireMockServer server, String source) {
        String pattern = "/" + source + "/.*";
        List<StubMapping> overrides = server.getStubMappings().stream()
                .filter(m -> Integer.valueOf(1).equals(m.getPriority()) && pattern.equals(m.getRequest().getUrlPathPattern()))
                .toList();
        overrides.forEach(server::removeStub);
    }

    /** From now on {@code source} answers after {@code delay} (past the timeout, it is a slow source). */
    public static void stubSlow(WireMockServer server, String source, Duration delay) {
        server.stubFor(get(urlPathMatching("/" + source + "/.*")).atPriority(1)
                .willReturn(aResponse().withTransformers(FakeFilmWorld.NAME).withTransformerParameter("source", source)
                        .withFixedDelay((int) delay.toMillis())));
    }

    /**
     * Spring properties pointing every source at this server, keys included (every keyed source is
     * then on). Put them in a {@code @DynamicPropertySource} or a test's properties.
     */
    public static Map<String, String> properties(WireMockServer server) {
        String base = server.baseUrl();
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("hypertube.catalog.yts.enabled", "true");
        properties.put("hypertube.catalog.yts.base-url", base + "/yts/api/v2");
        properties.put("hypertube.catalog.yts.trackers", TRACKER);
        properties.put("hypertube.catalog.archive.enabled", "true");
        properties.put("hypertube.catalog.archive.base-url", base + "/archive");
        properties.put("hypertube.catalog.tmdb.api-key", TMDB_KEY);
        properties.put("hypertube.catalog.tmdb.base-url", base + "/tmdb/3");
        properties.put("hypertube.catalog.tmdb.image-base-url", base + "/covers/tmdb");
        properties.put("hypertube.catalog.omdb.api-key", OMDB_KEY);
        properties.put("hypertube.catalog.omdb.base-url", base + "/omdb/");
        properties.put("hypertube.catalog.torznab.url", base + "/torznab/api");
        properties.put("hypertube.catalog.torznab.api-key", TORZNAB_KEY);
        properties.put("hypertube.catalog.torznab.trackers", TRACKER);
        properties.put("hypertube.catalog.http.timeout", "2s");
        properties.put("hypertube.catalog.http.connect-timeout", "1s");
        return properties;
    }

    /** Every source, built by hand against this server (for tests without Spring). */
    public static List<FilmSource> sources(WireMockServer server) {
        SourceHttp http = http();
        String base = server.baseUrl();
        return List.of(
                new YtsSource(http, new YtsProperties(true, base + "/yts/api/v2", List.of(TRACKER))),
                new ArchiveSource(http, new ArchiveProperties(true, base + "/archive")),
                new TmdbSource(http, new TmdbProperties(TMDB_KEY, base + "/tmdb/3", base + "/covers/tmdb")),
                new OmdbSource(http, new OmdbProperties(OMDB_KEY, base + "/omdb/")),
                new TorznabSource(http, new TorznabProperties(base + "/torznab/api", TORZNAB_KEY, List.of(TRACKER))));
    }

    /** The source called {@code name} among {@link #sources}. */
    public static FilmSource source(WireMockServer server, String name) {
        return sources(server).stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }

    /** A film of the world by IMDb id. */
    public static Optional<FakeFilmWorld.FakeFilm> film(String imdbId) {
        return FakeFilmWorld.FILMS.stream().filter(f -> imdbId.equals(f.imdbId())).findFirst();
    }

    /** A fixture under src/test/resources/providers, e.g. "tmdb/search.json". */
    public static String fixture(String path) {
        return FakeServer.fixture(path);
    }

    private static SourceHttp http() {
        return new SourceHttp(new SourceHttpProperties(Duration.ofSeconds(1), Duration.ofSeconds(2), 2,
                Duration.ofSeconds(1), DataSize.ofMegabytes(4), Duration.ofMinutes(10), DataSize.ofMegabytes(16)),
                new org.hypertube.system.OutsideFetch(new org.hypertube.system.OutsideProperties(true, null)));
    }

    private static void world(WireMockServer server, String pathPattern, String source) {
        server.stubFor(get(urlPathMatching(pathPattern)).atPriority(5)
                .willReturn(aResponse().withTransformers(FakeFilmWorld.NAME).withTransformerParameter("source", source)));
    }

    private static void stubCovers(WireMockServer server) {
        server.stubFor(get(urlPathMatching("/covers/.*")).atPriority(4)
                .willReturn(aResponse().withHeader("Content-Type", "image/png")
                        .withHeader("Cache-Control", "max-age=3600").withBody(COVER)));
    }

    /** A small grey poster-shaped PNG. */
    private static byte[] cover() {
        BufferedImage image = new BufferedImage(20, 30, BufferedImage.TYPE_INT_RGB);
        var graphics = image.createGraphics();
        graphics.setColor(new Color(0x55, 0x5a, 0x66));
        graphics.fillRect(0, 0, 20, 30);
        graphics.dispose();
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", png);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return png.toByteArray();
    }
}
