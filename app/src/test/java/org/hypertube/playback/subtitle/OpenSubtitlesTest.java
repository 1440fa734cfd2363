package org.hypertube.playback.subtitle;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.zip.GZIPOutputStream;
import org.hypertube.playback.subtitle.OpenSubtitles.SubtitleFile;
import org.hypertube.playback.subtitle.OpenSubtitlesException.Reason;
import org.hypertube.playback.subtitle.SubtitleProperties.OpenSubtitlesSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class OpenSubtitlesTest {

    private static final String KEY = "k3yK3yK3yK3yK3y";
    private static final long CAP = 64 * 1024;

    @RegisterExtension
    static final WireMockExtension server = WireMockExtension.newInstance()
            .options(options().bindAddress("127.0.0.1").dynamicPort()).build();

    /** A clock tests move by hand. */
    static final class TestClock extends Clock {
        Instant now;

        TestClock(Instant now) {
            this.now = now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    /** 2024-04-23 14:02:12 UTC, the "ts" of the documented 406 answer. */
    /** The stand-in is on loopback, which only the operator's setting allows. */
    private static final org.hypertube.system.OutsideFetch LOCAL = new org.hypertube.system.OutsideFetch(new org.hypertube.system.OutsideProperties(true, null));
    private final TestClock clock = new TestClock(Instant.ofEpochSecond(1713880932));

    private OpenSubtitles client(String username, String password, Duration timeout) {
        return new OpenSubtitles(new OpenSubtitlesSettings(KEY, URI.create(server.baseUrl() + "/api/v1"), null, username,
                password, Duration.ofSeconds(2), timeout), CAP, clock, LOCAL);
    }

    private OpenSubtitles client() {
        return client(null, null, Duration.ofSeconds(5));
    }

    private void stubDownload(long fileId) {
        server.stubFor(post(urlPathEqualTo("/api/v1/download"))
                .withRequestBody(matchingJsonPath("$.file_id", equalTo(Long.toString(fileId))))
                .withRequestBody(matchingJsonPath("$.sub_format", equalTo("webvtt")))
                .willReturn(okJson("{\"link\":\"" + server.baseUrl() + "/download/A184A5/subfile/matrix.webvtt\","
                        + "\"file_name\":\"matrix.webvtt\",\"requests\":3,\"remaining\":97,"
                        + "\"message\":\"Your quota will be renewed in 07 hours and 30 minutes (2024-04-23 23:59:59 UTC) \","
                        + "\"reset_time\":\"07 hours and 30 minutes\",\"reset_time_utc\":\"2024-04-23T23:59:59.000Z\"}")));
    }

    @Test
    void searchSendsTheRequiredHeadersAndCanonicalParametersAndMapsTheRows() throws Exception {
        server.stubFor(get(urlPathEqualTo("/api/v1/subtitles"))
                .withQueryParam("imdb_id", equalTo("133093"))
                .withQueryParam("languages", equalTo("en,fr,pt-br,pt-pt"))
                .withQueryParam("moviehash", equalTo("8e245d9679d31e12"))
                .withHeader("Api-Key", equalTo(KEY))
                .withHeader("User-Agent", matching(".+ v\\d+(\\.\\d+)*"))
                .withHeader("Accept", equalTo("application/json"))
                .willReturn(okJson(Fixtures.text("opensubtitles/search.json"))));

        List<SubtitleFile> files = client().search("tt0133093", List.of("fr", "en", "pt"), Optional.of("8E245D9679D31E12"));

        assertThat(files).containsExactly(
                new SubtitleFile(1349324, "en", "Desperate.Housewives.S01.DVDRip.XviD-WAT", 25300, false, true, null, false, false),
                new SubtitleFile(7100001, "fr", "The.Matrix.1999.1080p.BluRay.x264", 812, true, false, "srt", true, false),
                new SubtitleFile(7100002, "pt-BR", "The.Matrix.1999.DVDRip", 40, false, false, null, false, false));
        server.verify(getRequestedFor(urlPathEqualTo("/api/v1/subtitles")).withHeader("User-Agent", equalTo("Hypertube v0.1")));
        String query = server.getAllServeEvents().getFirst().getRequest().getUrl();
        assertThat(query).isEqualTo("/api/v1/subtitles?imdb_id=133093&languages=en,fr,pt-br,pt-pt&moviehash=8e245d9679d31e12");
    }

    @Test
    void searchFollowsARedirectToTheCanonicalUrl() throws Exception {
        server.stubFor(get(urlPathEqualTo("/api/v1/subtitles")).willReturn(aResponse().withStatus(301)
                .withHeader("Location", "/api/v1/canonical/subtitles?imdb_id=133093")));
        server.stubFor(get(urlPathEqualTo("/api/v1/canonical/subtitles")).willReturn(okJson(Fixtures.text("opensubtitles/search.json"))));

        assertThat(client().search("133093", List.of(), Optional.empty())).hasSize(3);
    }

    @Test
    void downloadAsksForWebVttAndFollowsTheLinkWithoutTheApiHeaders() throws Exception {
        stubDownload(1349324);
        server.stubFor(get(urlPathEqualTo("/download/A184A5/subfile/matrix.webvtt"))
                .willReturn(aResponse().withHeader("Content-Type", "text/plain; charset=utf-8").withBody(Fixtures.bytes("opensubtitles/sample.vtt"))));

        byte[] vtt = client().download(1349324);

        assertThat(vtt).isEqualTo(Fixtures.bytes("opensubtitles/sample.vtt"));
        assertThat(WebVtt.withDefaults().parse(vtt, "os").cues()).containsExactly(
                new Cue(1_000, 2_500, "Wake up, Neo..."), new Cue(3_000, 5_000, "The Matrix has you &amp; me"));
        server.verify(postRequestedFor(urlPathEqualTo("/api/v1/download")).withHeader("Api-Key", equalTo(KEY))
                .withHeader("Content-Type", matching("application/json.*")).withHeader("Authorization", absent())
                .withRequestBody(equalToJson("{\"file_id\":1349324,\"sub_format\":\"webvtt\"}")));
        server.verify(getRequestedFor(urlPathEqualTo("/download/A184A5/subfile/matrix.webvtt")).withHeader("Api-Key", absent()));
    }

    @Test
    void aLoggedInDownloadSendsTheTokenAndLogsInOnce() throws Exception {
        server.stubFor(post(urlPathEqualTo("/api/v1/login"))
                .withRequestBody(equalToJson("{\"username\":\"neo\",\"password\":\"trinity\"}"))
                .willReturn(okJson(Fixtures.text("opensubtitles/login.json"))));
        stubDownload(1349324);
        server.stubFor(get(urlPathEqualTo("/download/A184A5/subfile/matrix.webvtt")).willReturn(aResponse().withBody("WEBVTT\n")));
        OpenSubtitles os = client("neo", "trinity", Duration.ofSeconds(5));

        os.download(1349324);
        os.download(1349324);

        server.verify(1, postRequestedFor(urlPathEqualTo("/api/v1/login")));
        server.verify(2, postRequestedFor(urlPathEqualTo("/api/v1/download"))
                .withHeader("Authorization", equalTo("Bearer eyJhbGciOiJIUzI1NiJ9.test.signature")).withHeader("Api-Key", equalTo(KEY)));
    }

    @Test
    void anExpiredTokenIsRenewedOnceAndARefusedLoginFallsBackToAnonymousDownloads() throws Exception {
        server.stubFor(post(urlPathEqualTo("/api/v1/login")).willReturn(okJson(Fixtures.text("opensubtitles/login.json"))));
        server.stubFor(post(urlPathEqualTo("/api/v1/download")).inScenario("token").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(401).withBody("{\"message\":\"token expired\"}")).willSetStateTo("renewed"));
        server.stubFor(post(urlPathEqualTo("/api/v1/download")).inScenario("token").whenScenarioStateIs("renewed")
                .willReturn(okJson("{\"link\":\"" + server.baseUrl() + "/download/x/subfile/a.vtt\",\"remaining\":9}")));
        server.stubFor(get(urlPathEqualTo("/download/x/subfile/a.vtt")).willReturn(aResponse().withBody("WEBVTT\n")));
        OpenSubtitles os = client("neo", "trinity", Duration.ofSeconds(5));

        assertThat(os.download(7)).isEqualTo("WEBVTT\n".getBytes(StandardCharsets.UTF_8));
        server.verify(2, postRequestedFor(urlPathEqualTo("/api/v1/login")));
        server.verify(2, postRequestedFor(urlPathEqualTo("/api/v1/download")));
        assertThat(os.enabled()).isTrue();

        server.resetAll();
        server.stubFor(post(urlPathEqualTo("/api/v1/login")).willReturn(aResponse().withStatus(401)
                .withBody("{\"message\":\"Error, invalid username/password\",\"status\":401}")));
        server.stubFor(post(urlPathEqualTo("/api/v1/download")).willReturn(okJson("{\"link\":\"" + server.baseUrl()
                + "/download/x/subfile/a.vtt\",\"remaining\":4}")));
        server.stubFor(get(urlPathEqualTo("/download/x/subfile/a.vtt")).willReturn(aResponse().withBody("WEBVTT\n")));
        OpenSubtitles wrongPassword = client("neo", "wrong", Duration.ofSeconds(5));

        wrongPassword.download(7);
        wrongPassword.download(8);
        server.verify(1, postRequestedFor(urlPathEqualTo("/api/v1/login")));
        server.verify(2, postRequestedFor(urlPathEqualTo("/api/v1/download")).withHeader("Authorization", absent()));
        assertThat(wrongPassword.enabled()).isTrue();
    }

    @Test
    void aSpentQuotaIsRememberedUntilItsResetTime() {
        server.stubFor(post(urlPathEqualTo("/api/v1/download")).willReturn(aResponse().withStatus(406)
                .withHeader("Content-Type", "application/json").withBody(Fixtures.text("opensubtitles/quota_406.json"))));
        OpenSubtitles os = client();

        assertThatThrownBy(() -> os.download(1349324)).isInstanceOfSatisfying(OpenSubtitlesException.class, e -> {
            assertThat(e.reason()).isEqualTo(Reason.QUOTA);
            assertThat(e.retryAt()).contains(Instant.parse("2024-04-23T23:59:59Z"));
            assertThat(e.getMessage()).contains("You have downloaded your allowed 5 subtitles");
        });
        clock.now = Instant.parse("2024-04-23T23:59:58Z");
        assertThatThrownBy(() -> os.download(1349324)).isInstanceOfSatisfying(OpenSubtitlesException.class,
                e -> assertThat(e.reason()).isEqualTo(Reason.QUOTA));
        server.verify(1, postRequestedFor(urlPathEqualTo("/api/v1/download")));

        clock.now = Instant.parse("2024-04-24T00:00:00Z");
        assertThatThrownBy(() -> os.download(1349324)).isInstanceOf(OpenSubtitlesException.class);
        server.verify(2, postRequestedFor(urlPathEqualTo("/api/v1/download")));
    }

    @Test
    void theLastDownloadOfTheQuotaStopsFurtherDownloadsBeforeA406() throws Exception {
        server.stubFor(post(urlPathEqualTo("/api/v1/download")).willReturn(okJson("{\"link\":\"" + server.baseUrl()
                + "/download/x/subfile/a.vtt\",\"requests\":5,\"remaining\":0,\"reset_time_utc\":\"2024-04-23T23:59:59.000Z\"}")));
        server.stubFor(get(urlPathEqualTo("/download/x/subfile/a.vtt")).willReturn(aResponse().withBody("WEBVTT\n")));
        OpenSubtitles os = client();

        os.download(1);
        assertThatThrownBy(() -> os.download(2)).isInstanceOfSatisfying(OpenSubtitlesException.class,
                e -> assertThat(e.retryAt()).contains(Instant.parse("2024-04-23T23:59:59Z")));
        server.verify(1, postRequestedFor(urlPathEqualTo("/api/v1/download")));
    }

    @Test
    void aRefusedKeyTurnsTheSourceOffAndItIsNotAskedAgain() throws Exception {
        server.stubFor(get(urlPathEqualTo("/api/v1/subtitles")).willReturn(aResponse().withStatus(401)
                .withHeader("Content-Type", "application/json").withBody("{\"message\":\"Error, invalid API key " + KEY + "\",\"status\":401}")));
        OpenSubtitles os = client();

        assertThatThrownBy(() -> os.search("133093", List.of("en"), Optional.empty()))
                .isInstanceOfSatisfying(OpenSubtitlesException.class, e -> assertThat(e.reason()).isEqualTo(Reason.DISABLED))
                .hasMessageNotContaining(KEY);
        assertThat(os.enabled()).isFalse();
        assertThat(os.search("133093", List.of("en"), Optional.empty())).isEmpty();
        assertThatThrownBy(() -> os.download(1)).isInstanceOfSatisfying(OpenSubtitlesException.class,
                e -> assertThat(e.reason()).isEqualTo(Reason.DISABLED));
        server.verify(1, getRequestedFor(urlPathEqualTo("/api/v1/subtitles")));
    }

    @Test
    void withoutAKeyTheSourceIsOffAndCallsNothing() throws Exception {
        OpenSubtitles os = new OpenSubtitles(SubtitleProperties.defaults(), LOCAL);

        assertThat(os.enabled()).isFalse();
        assertThat(os.search("133093", List.of("en"), Optional.empty())).isEmpty();
    }

    @Test
    void theRateLimitIsRespectedUntilRetryAfter() throws Exception {
        server.stubFor(get(urlPathEqualTo("/api/v1/subtitles")).willReturn(aResponse().withStatus(429)
                .withHeader("Retry-After", "5").withHeader("Content-Type", "application/json")
                .withBody("{\"message\":\"API rate limit exceeded\"}")));
        OpenSubtitles os = client();

        assertThatThrownBy(() -> os.search("133093", List.of("en"), Optional.empty()))
                .isInstanceOfSatisfying(OpenSubtitlesException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.QUOTA);
                    assertThat(e.retryAt()).contains(clock.now.plusSeconds(5));
                }).hasMessageContaining("API rate limit exceeded");
        assertThatThrownBy(() -> os.search("133093", List.of("en"), Optional.empty())).isInstanceOf(OpenSubtitlesException.class);
        assertThatThrownBy(() -> os.download(1)).isInstanceOf(OpenSubtitlesException.class);
        server.verify(1, getRequestedFor(urlPathEqualTo("/api/v1/subtitles")));

        clock.now = clock.now.plusSeconds(5);
        server.stubFor(get(urlPathEqualTo("/api/v1/subtitles")).willReturn(okJson(Fixtures.text("opensubtitles/search.json"))));
        assertThat(os.search("133093", List.of("en"), Optional.empty())).hasSize(3);
    }

    @Test
    void serverErrorsAndTimeoutsFailClearlyOnceAndRestTheSource() {
        server.stubFor(get(urlPathEqualTo("/api/v1/subtitles")).willReturn(aResponse().withStatus(503)));
        OpenSubtitles os = client();

        assertThatThrownBy(() -> os.search("133093", List.of("en"), Optional.empty()))
                .isInstanceOfSatisfying(OpenSubtitlesException.class, e -> assertThat(e.reason()).isEqualTo(Reason.UNAVAILABLE))
                .hasMessage("OpenSubtitles: answered HTTP 503");
        assertThatThrownBy(() -> os.search("133093", List.of("en"), Optional.empty())).hasMessageContaining("resting after a failure");
        server.verify(1, getRequestedFor(urlPathEqualTo("/api/v1/subtitles")));

        server.stubFor(get(urlPathEqualTo("/api/v1/subtitles")).willReturn(okJson("{\"data\":[]}").withFixedDelay(3000)));
        OpenSubtitles impatient = client(null, null, Duration.ofMillis(500));
        long start = System.nanoTime();
        assertThatThrownBy(() -> impatient.search("133093", List.of("en"), Optional.empty()))
                .hasMessageContaining("timed out after 500 ms");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(2500));
    }

    @Test
    void aGzipBombBehindTheLinkIsRefusedAndAnHonestGzipFileIsInflated() throws Exception {
        ByteArrayOutputStream bomb = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bomb)) {
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 32; i++) {
                gz.write(zeros); // 32 MiB of zeros in about 32 KiB
            }
        }
        assertThat((long) bomb.size()).isLessThan(CAP);
        ByteArrayOutputStream honest = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(honest)) {
            gz.write(Fixtures.bytes("opensubtitles/sample.vtt"));
        }
        stubDownload(1349324);
        server.stubFor(get(urlPathEqualTo("/download/A184A5/subfile/matrix.webvtt"))
                .willReturn(aResponse().withHeader("Content-Type", "application/gzip").withBody(bomb.toByteArray())));
        OpenSubtitles os = client();

        assertThatThrownBy(() -> os.download(1349324)).isInstanceOf(OpenSubtitlesException.class)
                .hasMessageContaining("inflates to more than " + CAP + " bytes");

        server.stubFor(get(urlPathEqualTo("/download/A184A5/subfile/matrix.webvtt"))
                .willReturn(aResponse().withHeader("Content-Encoding", "gzip").withBody(honest.toByteArray())));
        assertThat(new String(os.download(1349324), StandardCharsets.UTF_8)).isEqualTo(Fixtures.text("opensubtitles/sample.vtt"));
    }

    @Test
    void anOversizedFileIsRefused() {
        stubDownload(1349324);
        server.stubFor(get(urlPathEqualTo("/download/A184A5/subfile/matrix.webvtt"))
                .willReturn(aResponse().withBody(new byte[(int) CAP + 1])));

        assertThatThrownBy(() -> client().download(1349324)).isInstanceOf(OpenSubtitlesException.class)
                .hasMessageContaining("answered more than " + CAP + " bytes");
    }

    @Test
    void languagesAreAskedInOpenSubtitlesCodes() {
        assertThat(OpenSubtitles.requestCodes("pt")).containsExactly("pt-br", "pt-pt");
        assertThat(OpenSubtitles.requestCodes("pt-BR")).containsExactly("pt-br");
        assertThat(OpenSubtitles.requestCodes("en-US")).containsExactly("en");
        assertThat(OpenSubtitles.requestCodes("und")).isEmpty();
        assertThat(OpenSubtitles.requestCodes("fr;drop")).isEmpty();
    }
}
