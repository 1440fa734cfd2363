package org.hypertube.playback;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.assertj.core.data.Offset;
import org.hypertube.AppTestBase;
import org.hypertube.browser.FirefoxCase;
import org.hypertube.catalog.Catalog;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The site and the player in Debian's Firefox ESR ({@code app/src/test/firefox/cases.mjs}, WebDriver BiDi),
 * each case signing up first: search, the film page, direct play, converted play (hls.js) with a seek, a
 * subtitle cue, and a film Firefox plays itself where Chromium gets it converted (HEVC: the page says what it
 * plays). Films come from real peers (aria2) on loopback; every case ends with a clean console.
 */
class FirefoxBrowserTest extends AppTestBase {

    /** Two seeders at 500 kB/s each: the films (about 8 MB) arrive in some 8 s, playing starts before. */
    private static final long SEEDER_RATE = 500_000;

    @LocalServerPort
    int port;
    @Autowired
    Downloads downloads;
    @Autowired
    DownloadRepository repository;
    @Autowired
    Catalog catalog;
    @Autowired
    org.hypertube.playback.media.Transcoder transcoder;

    private FirefoxCase run(String name, Map<String, Object> arguments) throws Exception {
        String username = uniqueName("f");
        Map<String, Object> all = new java.util.HashMap<>(arguments);
        all.put("person", Map.of("username", username, "email", username + "@example.org",
                "password", "copper-meadow-" + username.substring(1, 5)));
        FirefoxCase result = FirefoxCase.run("http://localhost:" + port, name, all);
        assertThat(result.failure()).as("%s", result).isNull();
        assertThat(result.fact("afterSignUp")).as("signed up: %s", result).isEqualTo("/login?registered");
        assertThat(result.fact("afterSignIn")).as("signed in on the library: %s", result).isEqualTo("/");
        assertThat(result.console()).as("the console stayed clean: %s", result).isEmpty();
        if (result.facts().has("autoplayRefused")) {
            assertThat(result.fact("autoplayRefused")).as("Firefox would not start the film itself; the page says so: %s",
                    result).isEqualTo("Ready: press play to start.");
        }
        return result;
    }

    @Test
    void aPersonSignsUpAndSignsInOnTheLibrary() throws Exception {
        FirefoxCase result = run("sign-up", Map.of());
        assertThat(result.facts().path("filmCards").asInt()).as("films on the library page: %s", result).isPositive();
    }

    @Test
    void searchFindsAFilm() throws Exception {
        FirefoxCase result = run("search", Map.of("query", "nosferatu"));
        assertThat(result.fact("url")).contains("q=nosferatu");
        assertThat(result.facts().path("titles").get(0).asString()).as("%s", result).isEqualTo("Nosferatu");
    }

    @Test
    void aFilmPageShowsItsTitleAndThePlayer() throws Exception {
        long filmId = TestFilms.unplayedFilm(catalog, repository);
        String title = catalog.find(filmId).orElseThrow().getTitle();
        FirefoxCase result = run("film-page", Map.of("film", filmId));
        assertThat(result.fact("heading")).as("%s", result).contains(title);
        assertThat(result.facts().path("playButton").asBoolean()).as("a Play button: %s", result).isTrue();
        assertThat(result.facts().path("video").asBoolean()).as("a video element: %s", result).isTrue();
    }

    @Test
    void anMp4PlaysDirectlyWhileItDownloads() throws Exception {
        FirefoxCase result = play(TestFilms.MP4_FASTSTART, Map.of());
        assertThat(result.fact("mode")).as("%s", result).isEqualTo("direct");
    }

    @Test
    void aMatroskaFilmWithAc3IsRemuxedAndPlaysThroughHlsJsAndSeeks() throws Exception {
        FirefoxCase result = play(TestFilms.MKV_H264_AC3, Map.of("seekTo", 0.7));
        assertThat(result.fact("mode")).as("Firefox does not play AC-3: %s", result).isEqualTo("remux");
        assertThat(result.fact("src")).contains("/hls/");
        assertThat(result.number("afterSeek")).as("playing on after the seek to 70 %%: %s", result)
                .isGreaterThan(result.number("seekTarget") + 1);
        assertThat(result.facts().path("error").asInt()).as("no media error: %s", result).isZero();
    }

    /**
     * HEVC: Chromium here answers no (PlaybackBrowserTest sees it transcoded), Firefox ESR answers that it
     * plays it in Matroska: the page says so with Play and the server lets Firefox play the file itself.
     */
    @Test
    void anHevcFilmChromiumGetsTranscodedFirefoxPlaysItselfBecauseItSaysItCan() throws Exception {
        FirefoxCase result = play(TestFilms.MKV_HEVC, Map.of());
        assertThat(result.fact("plays")).as("the page sent Firefox's answers with Play: %s", result)
                .contains("mkv.hevc").contains("mkv.avc1").doesNotContain("ac3");
        assertThat(result.fact("mode")).as("%s", result).isEqualTo("direct");
    }

    @Test
    void aSubtitleCueShowsAtItsTime() throws Exception {
        var folder = SubtitledFilm.make();
        long filmId = TestFilms.unplayedFilm(catalog, repository);
        try (Swarm swarm = Swarm.seed(folder, 2, SEEDER_RATE)) {
            Download d = downloads.add(null, swarm.torrentFile, filmId, null);
            try {
                FirefoxCase result = run("subtitles", Map.of("film", filmId, "language", "fr", "at", 10.5,
                        "cue", "Réplique numéro à été 2"));
                assertThat(result.fact("cue")).as("%s", result).isEqualTo("Réplique numéro à été 2");
            } finally {
                removed(d);
            }
        }
    }

    /** Presses Play on a film only a rate-limited swarm has; the video's time moves on. */
    private FirefoxCase play(TestFilms kind, Map<String, Object> arguments) throws Exception {
        long filmId = TestFilms.unplayedFilm(catalog, repository);
        try (Swarm swarm = Swarm.seed(kind.file(), 2, SEEDER_RATE)) {
            Download d = downloads.add(null, swarm.torrentFile, filmId, null);
            transcoder.evict(d.getInfoHash());   // the same film in another test left its segments
            try {
                Map<String, Object> all = new java.util.HashMap<>(arguments);
                all.put("film", filmId);
                FirefoxCase result = run("play", all);
                assertThat(result.number("advancedTo")).as("the time moves on: %s", result)
                        .isGreaterThan(result.number("startedAt") + 1);
                assertThat(result.number("duration")).as("%s", result).isCloseTo(TestFilms.SECONDS, Offset.offset(1.5));
                assertThat(result.facts().path("hasAudio").asBoolean()).as("the sound is decoded: %s", result).isTrue();
                return result;
            } finally {
                removed(d);
            }
        }
    }

    /** The test's download goes, even when the case failed, so later tests find the film unplayed. */
    private void removed(Download d) {
        downloads.find(d.getId()).ifPresent(found -> downloads.remove(found, "test over"));
        transcoder.evict(d.getInfoHash());
    }
}
