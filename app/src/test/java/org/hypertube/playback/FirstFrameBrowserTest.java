package org.hypertube.playback;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Page;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.hypertube.browser.BrowserTestBase;
import org.hypertube.catalog.Catalog;
import org.hypertube.torrent.Torrent;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The wait before the first frame in Chromium, on films that only rate-limited real peers (aria2) have:
 * direct play decided from our own reader of the MP4's headers (ffprobe never runs), the status pushed
 * to the page as server-sent events on Play's own answer (one request, no polling) and saying what it waits for with
 * figures; and the subtitle tracks inside a Matroska film in the menu, with their cues, while the film
 * is still downloading.
 */
class FirstFrameBrowserTest extends BrowserTestBase {

    @Autowired
    Downloads downloads;
    @Autowired
    DownloadRepository repository;
    @Autowired
    Catalog catalog;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    MeterRegistry meters;

    /** Every text the status line and its detail show, in order, as the page changes them. */
    static final String RECORD_STATES = "() => { window.seenStates = [];"
            + " const seen = () => { const t = document.getElementById('player-state-text').textContent + ' | '"
            + " + document.getElementById('player-state-detail').textContent;"
            + " if (window.seenStates[window.seenStates.length - 1] !== t) window.seenStates.push(t); };"
            + " new MutationObserver(seen).observe(document.querySelector('.player-state'),"
            + " { childList: true, subtree: true, characterData: true }); }";

    double probes(String by) {
        return meters.get("hypertube.playback.probes").tag("by", by).functionCounter().count();
    }

    long member(Person person) {
        return jdbc.queryForObject("select id from members where username = ?", Long.class, person.username());
    }

    @Test
    void directPlayStartsFromOurHeaderReaderWithTheStatusPushedWithFigures() throws Exception {
        // A torrent of its own (another name, another info hash): nothing probed before, in this or another test.
        var folder = org.hypertube.TestDirs.temporary("hypertube-firstframe");
        var film = java.nio.file.Files.copy(TestFilms.MP4_MOOV_END.file(), folder.resolve("first-frame-" + System.nanoTime() + ".mp4"));
        long filmId = TestFilms.unplayedFilm(catalog, repository);
        double headerDecisions = probes("headers");
        double ffprobeRuns = probes("ffprobe");
        // 2 × 150 kB/s: the beginning and the index at the end take a few seconds to come.
        try (Swarm swarm = Swarm.seed(film, 2, 150_000)) {
            Page page = browser.open(1280, 800, "en-US");
            Person person = Person.fresh();
            register(page, person);
            Download d = downloads.add(null, swarm.torrentFile, filmId, member(person));
            AtomicInteger playRequests = new AtomicInteger();
            AtomicInteger eventStreams = new AtomicInteger();
            page.onRequest(r -> {
                if (r.url().contains("/films/" + filmId + "/play") && r.method().equals("POST")) {
                    playRequests.incrementAndGet();
                } else if (r.url().contains("/films/" + filmId + "/play/events")) {
                    eventStreams.incrementAndGet();
                }
            });

            page.navigate(url("/films/" + filmId));
            page.evaluate(RECORD_STATES);
            page.click("#play-button");
            page.waitForFunction("() => document.getElementById('video').currentTime > 0.5", null,
                    new Page.WaitForFunctionOptions().setTimeout(90_000));

            assertThat(page.getAttribute("#player", "data-mode")).isEqualTo("direct");
            @SuppressWarnings("unchecked")
            List<String> seen = (List<String>) page.evaluate("() => window.seenStates");
            // What the server waited for, in words and figures: the beginning or the index at the end.
            assertThat(seen).as("states shown: %s", seen).anyMatch(s -> s.matches(
                    ".*(Fetching the beginning of the film|Reading the index at the end of the file): \\d+\\.\\d of \\d+\\.\\d MB.*"));
            // The status changed several times on the page, yet Play was asked once: the rest was pushed on Play's
            // own answer, with no second request for a status stream.
            assertThat(seen.stream().filter(s -> !s.isBlank() && !s.equals(" | ")).distinct().count())
                    .as("states shown: %s", seen).isGreaterThanOrEqualTo(2);
            assertThat(playRequests.get()).as("Play requests (no polling)").isEqualTo(1);
            assertThat(eventStreams.get()).as("status streams asked for apart from Play").isZero();
            // The operator's metrics: decided by our reader of the MP4 headers, no ffprobe run.
            assertThat(probes("headers")).isEqualTo(headerDecisions + 1);
            assertThat(probes("ffprobe")).isEqualTo(ffprobeRuns);
            page.context().close();
            downloads.remove(d, "test over");
        }
    }

    /**
     * A Matroska film with AC-3 audio is remuxed as decided from our reader of its headers: ffprobe never
     * runs (the remux takes the streams and duration from the headers and the keyframes from the index).
     * Its first keyframe gap (10 s) is served in parts: the player starts on the first part.
     */
    @Test
    void aRemuxStartsFromOurHeaderReaderWithoutFfprobe() throws Exception {
        var folder = org.hypertube.TestDirs.temporary("hypertube-firstframe");
        var film = java.nio.file.Files.copy(TestFilms.MKV_LONG_GOP.file(), folder.resolve("remux-" + System.nanoTime() + ".mkv"));
        long filmId = TestFilms.unplayedFilm(catalog, repository);
        double headerDecisions = probes("headers");
        double ffprobeRuns = probes("ffprobe");
        try (Swarm swarm = Swarm.seed(film, 2, 250_000)) {
            Page page = browser.open(1280, 800, "en-US");
            Person person = Person.fresh();
            register(page, person);
            Download d = swarm.addTo(downloads, repository, filmId, member(person));
            try {
                page.navigate(url("/films/" + filmId));
                page.click("#play-button");
                page.waitForFunction("() => document.getElementById('video').currentTime > 0.5", null,
                        new Page.WaitForFunctionOptions().setTimeout(90_000));
                assertThat(page.getAttribute("#player", "data-mode")).isEqualTo("remux");
                String playlist = page.request().get(url(page.getAttribute("#player", "data-src"))).text();
                assertThat(playlist.lines().filter(l -> l.matches("#EXTINF:(0\\.9|1\\.0)\\d*,")).count())
                        .as("the first 10 s in parts of about a second: %s", playlist).isGreaterThanOrEqualTo(9);
                page.waitForFunction("() => document.getElementById('video').webkitAudioDecodedByteCount > 0", null,
                        new Page.WaitForFunctionOptions().setTimeout(30_000));
                assertThat(probes("headers")).as("decided by our reader of the Matroska headers").isEqualTo(headerDecisions + 1);
                assertThat(probes("ffprobe")).as("no ffprobe run").isEqualTo(ffprobeRuns);
            } finally {
                page.context().close();
                downloads.remove(d, "test over");
            }
        }
    }

    @Test
    void subtitleTracksInsideTheFilmAreOfferedBeforeTheDownloadCompletes() throws Exception {
        var folder = SubtitledFilm.make();
        long filmId = TestFilms.unplayedFilm(catalog, repository);
        // About 7 MB at 2 × 50 kB/s: over a minute to arrive.
        try (Swarm swarm = Swarm.seed(folder, 2, 50_000)) {
            Page page = browser.open(1280, 800, "en-US");
            Person person = Person.fresh();
            register(page, person);
            Download d = downloads.add(null, swarm.torrentFile, filmId, member(person));

            page.navigate(url("/films/" + filmId));
            page.click("#play-button");
            page.waitForFunction("() => [...document.querySelectorAll('#video track')]"
                    + ".some(t => t.srclang === 'en' && t.getAttribute('src').includes('/subtitles/embedded-'))", null,
                    new Page.WaitForFunctionOptions().setTimeout(120_000));
            Torrent torrent = downloads.torrent(d).orElseThrow();
            assertThat(torrent.progress()).as("the film is still downloading").isLessThan(1.0);
            String src = (String) page.evaluate("() => [...document.querySelectorAll('#video track')]"
                    + ".find(t => t.srclang === 'en' && t.getAttribute('src').includes('/subtitles/embedded-')).getAttribute('src')");
            var response = page.request().get(url(src));
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.text()).as("cues of the part that has arrived").contains("English line 1");
            assertThat(torrent.progress()).as("still downloading after reading them").isLessThan(1.0);
            page.context().close();
            downloads.remove(repository.findByInfoHash(d.getInfoHash()).orElseThrow(), "test over");
        }
    }
}
