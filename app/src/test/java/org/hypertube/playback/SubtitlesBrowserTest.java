package org.hypertube.playback;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Page;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.hypertube.browser.BrowserTestBase;
import org.hypertube.catalog.Catalog;
import org.hypertube.torrent.Torrent;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Subtitles and audio tracks in Chromium, on a torrent from real peers (aria2): a Matroska film
 * (remuxed) with English and French audio, English SRT and German ASS tracks inside, and a French
 * Latin-1 .srt beside it. A French-speaking member gets the French file, whose cues are active at
 * their times, also after seeking in the converted stream; switching the audio keeps the position;
 * every track is served as correct WebVTT.
 */
class SubtitlesBrowserTest extends BrowserTestBase {

    @Autowired
    Downloads downloads;
    @Autowired
    DownloadRepository repository;
    @Autowired
    Catalog catalog;
    @Autowired
    JdbcTemplate jdbc;

    long freeFilm() {
        return TestFilms.unplayedFilm(catalog, repository);
    }

    static final String ACTIVE_CUE = "lang => { const v = document.getElementById('video');"
            + " const t = [...v.textTracks].find(x => x.language === lang);"
            + " return t && t.activeCues && t.activeCues.length ? t.activeCues[0].text : null; }";

    @Test
    void frenchSubtitlesFollowTheFilmAndTheAudioTrackSwitchesInPlace() throws Exception {
        var folder = SubtitledFilm.make();
        long filmId = freeFilm();
        try (Swarm swarm = Swarm.seed(folder, 2, 500_000)) {
            Page page = browser.open(1280, 800, "en-US");
            Person person = Person.fresh();
            register(page, person);
            page.selectOption("#lang", "fr");
            // The page is on "/" before and after the language form posts, so the wait is for the French page.
            page.waitForSelector("html[lang=fr]");
            long member = jdbc.queryForObject("select id from members where username = ?", Long.class, person.username());
            Download d = downloads.add(null, swarm.torrentFile, filmId, member);

            page.navigate(url("/films/" + filmId));
            page.click("#play-button");
            page.waitForFunction("() => document.getElementById('video').currentTime > 0.5", null,
                    new Page.WaitForFunctionOptions().setTimeout(90_000));
            assertThat(page.getAttribute("#player", "data-mode")).isEqualTo("remux");

            // The French file beside the film is there, labelled in French and on by default (the member reads
            // French); the tracks inside the film come once it is complete.
            List<?> labels = (List<?>) page.evaluate("() => [...document.querySelectorAll('#video track')]"
                    + ".map(t => t.srclang + ':' + t.label + ':' + t.default)");
            assertThat(labels).anyMatch(l -> l.toString().toLowerCase(java.util.Locale.ROOT).startsWith("fr:français")
                    && l.toString().endsWith(":true"));

            page.evaluate("() => { for (const t of document.getElementById('video').textTracks)"
                    + " t.mode = t.language === 'fr' ? 'showing' : 'disabled'; }");
            page.evaluate("() => { document.getElementById('video').currentTime = 10.5; }");
            // The French cue of 10.5 s shows (the page may reload a track while the film downloads, so the
            // wait is for that cue itself, not for any cue).
            page.waitForFunction("text => (" + ACTIVE_CUE + ")('fr') === text", "Réplique numéro à été 2",
                    new Page.WaitForFunctionOptions().setTimeout(60_000));
            // Far ahead in the converted stream: ffmpeg starts again there, the cues stay in step.
            page.evaluate("() => { document.getElementById('video').currentTime = 30.5; }");
            page.waitForFunction("() => { const v = document.getElementById('video'); return !v.seeking && v.currentTime > 30.6; }",
                    null, new Page.WaitForFunctionOptions().setTimeout(60_000));
            page.waitForFunction("text => (" + ACTIVE_CUE + ")('fr') === text", "Réplique numéro à été 6",
                    new Page.WaitForFunctionOptions().setTimeout(10_000));

            // Switching to the French audio track keeps the position.
            assertThat(page.isHidden("#audio-menu")).isFalse();
            page.evaluate("() => { document.getElementById('video').currentTime = 20; }");
            page.waitForFunction("() => { const v = document.getElementById('video'); return !v.seeking && v.currentTime > 20.3; }",
                    null, new Page.WaitForFunctionOptions().setTimeout(60_000));
            String french = (String) page.evaluate("() => [...document.querySelectorAll('#audio-menu [role=menuitemradio]')]"
                    + ".find(o => o.getAttribute('aria-checked') === 'false').dataset.value");
            double before = ((Number) page.evaluate("() => document.getElementById('video').currentTime")).doubleValue();
            openPlayerMenu(page, "#audio-menu");
            page.click("#audio-menu [role=menuitemradio][data-value='" + french + "']");
            page.waitForFunction("a => document.getElementById('player').dataset.src.includes('/hls/a' + a + '-')", french,
                    new Page.WaitForFunctionOptions().setTimeout(30_000));
            // The new variant plays from where the old one was (not from the start) and decodes its audio.
            page.waitForFunction("t => { const v = document.getElementById('video'); return !v.paused && !v.seeking"
                    + " && v.currentTime > t + 0.5; }", before, new Page.WaitForFunctionOptions().setTimeout(60_000));
            double after = ((Number) page.evaluate("() => document.getElementById('video').currentTime")).doubleValue();
            assertThat(after).as("the position survived the switch").isBetween(before, before + 10);
            assertThat(((Number) page.evaluate("() => document.getElementById('video').webkitAudioDecodedByteCount")).longValue())
                    .as("the new source's audio is decoded").isPositive();

            // Once the film is complete, its own tracks are offered too; every track is WebVTT as expected.
            Torrent torrent = downloads.torrent(d).orElseThrow();
            assertThat(torrent.awaitCompletion(Duration.ofSeconds(120))).isTrue();
            page.reload();
            page.click("#play-button");
            page.waitForFunction("() => document.querySelectorAll('#video track').length >= 4", null,
                    new Page.WaitForFunctionOptions().setTimeout(60_000));
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> tracks = (List<Map<String, Object>>) page.evaluate(
                    "() => [...document.querySelectorAll('#video track')].map(t => ({lang: t.srclang, src: t.getAttribute('src')}))");
            Map<String, String> vtt = new java.util.HashMap<>();
            String online = null;
            for (Map<String, Object> t : tracks) {
                var response = page.request().get(url((String) t.get("src")));
                assertThat(response.status()).isEqualTo(200);
                assertThat(response.headers().get("content-type")).startsWith("text/vtt");
                if (((String) t.get("src")).contains("/opensubtitles-" + OPENSUBTITLES_FILE + ".vtt")) {
                    online = response.text();
                } else {
                    vtt.put((String) t.get("lang"), response.text());
                }
            }
            assertThat(online).as("the OpenSubtitles file (WireMock) is a track too: %s", tracks)
                    .contains("00:00:05.000 --> 00:00:08.000\nFrom OpenSubtitles 1");
            assertThat(vtt).as("tracks %s", tracks).containsKeys("fr", "en", "de");
            assertThat(vtt.get("fr")).startsWith("WEBVTT");
            assertCues(vtt.get("fr"), n -> "Réplique numéro à été " + n);
            assertCues(vtt.get("en"), n -> "English line " + n);
            assertCues(vtt.get("de"), n -> "<i>Deutsche Zeile</i> " + n + "\nzweite Zeile");
            page.context().close();
            downloads.remove(repository.findByInfoHash(d.getInfoHash()).orElseThrow(), "test over");
        }
    }

    private static final java.util.regex.Pattern CUE = java.util.regex.Pattern.compile(
            "(\\d{2}):(\\d{2}):(\\d{2})\\.(\\d{3}) --> (\\d{2}):(\\d{2}):(\\d{2})\\.(\\d{3})[^\\n]*\\n((?:.+\\n?)+)");

    /**
     * The seven cues of the test film, n from 5n s to 5n + 3 s, with their text. Tracks muxed into the film
     * may sit a few milliseconds later (ffmpeg shifts every stream past the AAC priming), so times are
     * compared to 30 ms.
     */
    static void assertCues(String vtt, java.util.function.IntFunction<String> text) {
        var m = CUE.matcher(vtt.replace("\r\n", "\n"));
        List<String> found = new java.util.ArrayList<>();
        int n = 0;
        while (m.find()) {
            n++;
            double start = seconds(m, 1);
            double end = seconds(m, 5);
            assertThat(start).as("start of cue %d in %s", n, vtt).isCloseTo(5.0 * n, org.assertj.core.data.Offset.offset(0.03));
            assertThat(end).as("end of cue %d", n).isCloseTo(5.0 * n + 3, org.assertj.core.data.Offset.offset(0.03));
            found.add(m.group(9).strip());
        }
        assertThat(found).containsExactlyElementsOf(java.util.stream.IntStream.rangeClosed(1, 7).mapToObj(text).toList());
    }

    static double seconds(java.util.regex.Matcher m, int group) {
        return Integer.parseInt(m.group(group)) * 3600 + Integer.parseInt(m.group(group + 1)) * 60
                + Integer.parseInt(m.group(group + 2)) + Integer.parseInt(m.group(group + 3)) / 1000.0;
    }
}
