package org.hypertube.playback;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hypertube.AppTestBase;
import org.hypertube.WebSession;
import org.hypertube.catalog.Catalog;
import org.hypertube.catalog.source.ProviderFakes;
import org.hypertube.torrent.Torrent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The operator's view over real HTTP: {@code /actuator/prometheus} for administrators and the scraper's
 * token only, with the engine's, playback's and the catalog's numbers moving as things happen; the
 * health components; the instance in every log line.
 */
@ExtendWith(OutputCaptureExtension.class)
class OperatorViewTest extends AppTestBase {

    private static final String PROMETHEUS = "/actuator/prometheus";

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    Downloads downloads;
    @Autowired
    DownloadRepository repository;
    @Autowired
    Catalog catalog;

    @Test
    void metricsAreForAdministratorsAndTheScrapersTokenOnly() throws Exception {
        try (WebSession anonymous = new WebSession(base(), null);
             WebSession member = PlayAdmissionWebTest.signedIn(port, jdbc, false);
             WebSession operator = PlayAdmissionWebTest.signedIn(port, jdbc, true)) {
            assertRefused(anonymous.get(PROMETHEUS), 401);
            assertRefused(anonymous.get(PROMETHEUS, "Authorization", "Bearer " + METRICS_TOKEN + "x"), 401);
            assertRefused(anonymous.get(PROMETHEUS, "Authorization", "Basic " + METRICS_TOKEN), 401);
            assertRefused(member.get(PROMETHEUS), 403);

            HttpResponse<String> scraped = anonymous.get(PROMETHEUS, "Authorization", "Bearer " + METRICS_TOKEN);
            assertThat(scraped.statusCode()).isEqualTo(200);
            assertThat(scraped.body()).contains("hypertube_torrent_downloaded_bytes_total", "hypertube_torrent_uploaded_bytes_total",
                    "hypertube_torrent_hash_failures_total", "hypertube_torrent_banned_peers_total", "hypertube_torrent_peers",
                    "hypertube_dht_nodes", "hypertube_viewers", "hypertube_conversions{state=\"queued\"}",
                    "hypertube_conversions{state=\"running\"}", "hypertube_conversion_first_segment_seconds_count{mode=\"transcode\"}");
            HttpResponse<String> byAdmin = operator.get(PROMETHEUS);
            assertThat(byAdmin.statusCode()).isEqualTo(200);
            assertThat(byAdmin.body()).contains("hypertube_torrents{state=\"seeding\"}");
        }
    }

    @Test
    void theEngineAndViewerMetersMoveWhenAFilmIsDownloadedAndWatched(CapturedOutput output) throws Exception {
        Path film = TestFilms.MP4_MOOV_END.file();
        long size = Files.size(film);
        long filmId = TestFilms.unplayedFilm(catalog, repository);
        try (WebSession viewer = PlayAdmissionWebTest.signedIn(port, jdbc, false);
             Swarm swarm = Swarm.seed(film, 2, 2_000_000).awaitSeeders(Duration.ofSeconds(60))) {
            String before = scrape();
            Download d = downloads.add(null, swarm.torrentFile, filmId, null);
            Torrent torrent = downloads.torrent(d).orElseThrow();
            assertThat(torrent.awaitCompletion(Duration.ofSeconds(120))).as(swarm.log()).isTrue();

            String after = scrape();
            assertThat(value(after, "hypertube_torrent_downloaded_bytes_total") - value(before, "hypertube_torrent_downloaded_bytes_total"))
                    .as("the film's bytes are counted").isGreaterThanOrEqualTo(size);
            assertThat(value(after, "hypertube_torrents{state=\"seeding\"}"))
                    .isEqualTo(value(before, "hypertube_torrents{state=\"seeding\"}") + 1);
            assertThat(value(after, "hypertube_torrent_hash_failures_total")).isEqualTo(value(before, "hypertube_torrent_hash_failures_total"));

            HttpResponse<String> range = viewer.get("/films/" + filmId + "/stream", "Range", "bytes=0-999");
            assertThat(range.statusCode()).isEqualTo(206);
            assertThat(value(scrape(), "hypertube_viewers")).as("the member reading the film is a viewer")
                    .isGreaterThanOrEqualTo(1);

            // Every log line names the instance (HYPERTUBE_INSTANCE, else the host name).
            String instance = System.getenv().getOrDefault("HYPERTUBE_INSTANCE", InetAddress.getLocalHost().getHostName());
            assertThat(output.getOut().lines().filter(l -> l.contains(d.getInfoHash()) && l.contains(" added ")))
                    .isNotEmpty().allMatch(l -> l.contains("[" + instance + "]"));
            downloads.remove(downloads.find(d.getId()).orElseThrow(), "test over");
        }
    }

    @Test
    void theCatalogCountsEachSourceCallByOutcome() throws Exception {
        String ok = "hypertube_catalog_source_calls_seconds_count{call=\"find\",outcome=\"ok\",source=\"yts\"}";
        String failed = "hypertube_catalog_source_calls_seconds_count{call=\"find\",outcome=\"failed\",source=\"yts\"}";
        try (WebSession member = PlayAdmissionWebTest.signedIn(port, jdbc, false)) {
            String before = scrape();
            assertThat(member.get("/?q=" + uniqueName("night")).statusCode()).isEqualTo(200);
            String afterSearch = scrape();
            assertThat(value(afterSearch, ok)).as("the search asked YTS").isGreaterThan(value(before, ok));

            ProviderFakes.stubDown(SOURCES, "yts");
            try {
                assertThat(member.get("/?q=" + uniqueName("storm")).statusCode()).isEqualTo(200);
            } finally {
                ProviderFakes.stubUp(SOURCES, "yts");
            }
            String afterFailure = scrape();
            assertThat(value(afterFailure, failed)).as("YTS down: a failed call").isGreaterThan(value(afterSearch, failed));
            assertThat(value(afterFailure, ok)).isEqualTo(value(afterSearch, ok));
        }
    }

    @Test
    void healthShowsTheEngineTheDatabaseAndTheDataFoldersDiskToAdministrators() throws Exception {
        try (WebSession anonymous = new WebSession(base(), null);
             WebSession operator = PlayAdmissionWebTest.signedIn(port, jdbc, true)) {
            HttpResponse<String> health = operator.get("/actuator/health");
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).contains("\"torrentEngine\"", "\"db\"", "\"diskSpace\"", "\"free\"",
                    "\"path\":\"" + DATA_DIR.toAbsolutePath().normalize() + "\"");
            String outside = anonymous.get("/actuator/health").body();
            assertThat(outside).contains("\"status\":\"UP\"").doesNotContain("diskSpace", "\"db\"");
        }
    }

    private String base() {
        return "http://127.0.0.1:" + port;
    }

    private String scrape() throws Exception {
        try (WebSession scraper = new WebSession(base(), null)) {
            HttpResponse<String> response = scraper.get(PROMETHEUS, "Authorization", "Bearer " + METRICS_TOKEN);
            assertThat(response.statusCode()).isEqualTo(200);
            return response.body();
        }
    }

    private static void assertRefused(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(response.body()).doesNotContain("hypertube_");
    }

    /** The value of one series in Prometheus' text format; 0 when it is not there yet. */
    static double value(String scrape, String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(scrape);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }
}
