package org.hypertube.playback;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Page;
import org.hypertube.browser.BrowserTestBase;
import org.hypertube.catalog.Catalog;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The player's own controls in Chromium: the seek bar shows the parts the server holds, growing while the
 * film downloads from rate-limited real peers (aria2); the keyboard shortcuts move the position, change
 * the volume and toggle the subtitles; the menus in the control bar switch the audio track and the
 * subtitles, and the subtitle appearance is remembered for the member.
 */
class PlayerControlsBrowserTest extends BrowserTestBase {

    @Autowired
    Downloads downloads;
    @Autowired
    DownloadRepository repository;
    @Autowired
    Catalog catalog;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    FilmThumbnails thumbnails;
    @Autowired
    Playback playback;
    @Autowired
    FilmProbes probes;

    /** The share of the film the seek bar's server strip covers, from the widths the page drew. */
    static final String SERVER_SHARE = "() => [...document.querySelectorAll('#player .ht-server-ranges span')]"
            + ".reduce((sum, s) => sum + parseFloat(s.style.width), 0) / 100";

    static final String TIME = "() => document.getElementById('video').currentTime";

    long member(Person person) {
        return jdbc.queryForObject("select id from members where username = ?", Long.class, person.username());
    }

    double number(Page page, String script) {
        return ((Number) page.evaluate(script)).doubleValue();
    }

    @Test
    void theSeekBarShowsTheServersPartsGrowingWhileTheFilmDownloads() throws Exception {
        long filmId = TestFilms.unplayedFilm(catalog, repository);
        // About 8 MB at 2 × 80 kB/s: some 50 s to arrive, playing starts long before.
        try (Swarm swarm = Swarm.seedCopy(TestFilms.MP4_FASTSTART.file(), "ranges-" + System.nanoTime() + ".mp4", 2, 80_000)) {
            Page page = browser.open(1280, 800, "en-US");
            Person person = Person.fresh();
            register(page, person);
            Download d = downloads.add(null, swarm.torrentFile, filmId, member(person));

            page.navigate(url("/films/" + filmId));
            page.click("#play-button");
            page.waitForFunction("() => document.getElementById('video').currentTime > 0.5", null,
                    new Page.WaitForFunctionOptions().setTimeout(90_000));
            page.waitForFunction(SERVER_SHARE + " > 0", null, new Page.WaitForFunctionOptions().setTimeout(20_000));
            double first = number(page, SERVER_SHARE);
            assertThat(first).as("part of the film is on the server, not all of it").isBetween(0.0, 0.99);
            // The status keeps coming while the film downloads: the strip grows, up to the whole film.
            page.waitForFunction("s => (" + SERVER_SHARE + ")() > s + 0.05", first,
                    new Page.WaitForFunctionOptions().setTimeout(60_000));
            assertThat(downloads.torrent(d).orElseThrow().awaitCompletion(java.time.Duration.ofSeconds(120))).isTrue();
            page.waitForFunction(SERVER_SHARE + " > 0.999", null, new Page.WaitForFunctionOptions().setTimeout(30_000));
            page.context().close();
            downloads.remove(d, "test over");
        }
    }

    @Test
    void keysMoveThePositionAndToggleSubtitlesAndTheMenusSwitchAudioAndSubtitles() throws Exception {
        var folder = SubtitledFilm.make();
        long filmId = TestFilms.unplayedFilm(catalog, repository);
        try (Swarm swarm = Swarm.seed(folder, 2, 2_000_000)) {
            Page page = browser.open(1280, 800, "en-US");
            Person person = Person.fresh();
            register(page, person);
            Download d = downloads.add(null, swarm.torrentFile, filmId, member(person));
            assertThat(downloads.torrent(d).orElseThrow().awaitCompletion(java.time.Duration.ofSeconds(60))).isTrue();

            page.navigate(url("/films/" + filmId));
            page.click("#play-button");
            page.waitForFunction("() => document.getElementById('video').currentTime > 0.5", null,
                    new Page.WaitForFunctionOptions().setTimeout(90_000));
            page.waitForFunction("() => document.querySelectorAll('#video track').length >= 3", null,
                    new Page.WaitForFunctionOptions().setTimeout(30_000));
            page.keyboard().press("k");
            page.waitForFunction("() => document.getElementById('video').paused");

            // j/l 10 s, arrows 5 s, digits a tenth of the film each.
            double at = number(page, TIME);
            page.keyboard().press("l");
            assertThat(number(page, TIME)).isCloseTo(at + 10, org.assertj.core.data.Offset.offset(0.5));
            page.keyboard().press("ArrowLeft");
            assertThat(number(page, TIME)).isCloseTo(at + 5, org.assertj.core.data.Offset.offset(0.5));
            page.keyboard().press("j");
            assertThat(number(page, TIME)).isCloseTo(Math.max(0, at - 5), org.assertj.core.data.Offset.offset(0.5));
            page.keyboard().press("5");
            double duration = number(page, "() => document.getElementById('video').duration");
            assertThat(number(page, TIME)).isCloseTo(duration / 2, org.assertj.core.data.Offset.offset(0.5));
            page.keyboard().press("ArrowDown");
            assertThat(number(page, "() => document.getElementById('video').volume")).isLessThan(1.0);
            page.keyboard().press("m");
            assertThat(page.evaluate("() => document.getElementById('video').muted")).isEqualTo(true);
            page.keyboard().press("m");

            // c: subtitles on (the player draws the cue of the moment), c again: off.
            page.evaluate("() => { document.getElementById('video').currentTime = 10.5; }");
            page.keyboard().press("c");
            page.waitForFunction("() => document.querySelector('#player .plyr').classList.contains('plyr--captions-active')"
                    + " && document.querySelector('#player .plyr__captions').textContent.trim().length > 0", null,
                    new Page.WaitForFunctionOptions().setTimeout(30_000));
            page.keyboard().press("c");
            page.waitForFunction("() => !document.querySelector('#player .plyr').classList.contains('plyr--captions-active')");

            // The subtitles menu (in the player's settings): German chosen, German cues drawn.
            String german = (String) page.evaluate("() => [...document.querySelectorAll('#video track')]"
                    + ".find(t => t.srclang === 'de').label");
            showPlayerControls(page);
            page.click("#player button[data-plyr=settings]");
            page.click("#player [role=menuitem]:has-text('Subtitles')");
            page.click("#player [role=menuitemradio][data-plyr=language]:has-text('" + german + "')");
            page.waitForFunction("() => document.querySelector('#player .plyr__captions').textContent.includes('Deutsche Zeile 2')",
                    null, new Page.WaitForFunctionOptions().setTimeout(30_000));

            // The subtitle appearance menu: the choice shows at once and is kept for the member.
            openPlayerMenu(page, "#subtitle-style-menu");
            assertThat(page.textContent("#subtitle-style-menu [role=menuitemradio][data-value=XL]")).isEqualTo("Extra large");
            page.screenshot(new Page.ScreenshotOptions().setPath(java.nio.file.Path.of("target/player-menu.png")));
            page.click("#subtitle-style-menu [role=menuitemradio][data-value=XL]");
            assertThat(page.getAttribute("#player .plyr", "class")).contains("ht-subs-xl");
            page.waitForCondition(() -> "XL".equals(jdbc.query("select subtitle_size from player_settings where member_id = ?",
                    (rs, n) -> rs.getString(1), member(person)).stream().findFirst().orElse(null)));

            // The audio menu: the other track, converted, from the same position.
            page.keyboard().press("k");
            double before = number(page, TIME);
            openPlayerMenu(page, "#audio-menu");
            String other = (String) page.evaluate("() => document.querySelector("
                    + "'#audio-menu [role=menuitemradio][aria-checked=false]').dataset.value");
            page.click("#audio-menu [role=menuitemradio][data-value='" + other + "']");
            page.waitForFunction("a => document.getElementById('player').dataset.src.includes('/hls/a' + a + '-')", other,
                    new Page.WaitForFunctionOptions().setTimeout(30_000));
            page.waitForFunction("t => { const v = document.getElementById('video'); return !v.paused && !v.seeking"
                    + " && v.currentTime > t + 0.5; }", before, new Page.WaitForFunctionOptions().setTimeout(60_000));
            assertThat(number(page, TIME)).isBetween(before, before + 10);
            assertThat(page.getAttribute("#audio-menu [role=menuitemradio][data-value='" + other + "']", "aria-checked"))
                    .isEqualTo("true");

            // The next film page starts with the member's subtitle appearance.
            page.reload();
            page.click("#play-button");
            page.waitForFunction("() => { const p = document.querySelector('#player .plyr'); return p && p.classList.contains('ht-subs-xl'); }",
                    null, new Page.WaitForFunctionOptions().setTimeout(60_000));
            page.context().close();
            downloads.remove(repository.findByInfoHash(d.getInfoHash()).orElseThrow(), "test over");
        }
    }

    /** A new member signs in on {@code page}, and the download of the film for them completes. */
    private Download fetchedWhole(Page page, Swarm swarm, long filmId) throws Exception {
        Person person = Person.fresh();
        register(page, person);
        Download d = downloads.add(null, swarm.torrentFile, filmId, member(person));
        assertThat(downloads.torrent(d).orElseThrow().awaitCompletion(java.time.Duration.ofSeconds(60))).isTrue();
        return d;
    }

    /**
     * Seek-bar thumbnails, end to end: a film that finished downloading gets its sprite sheets from the real
     * ffmpeg (nobody asks for them), the status then says they are made, and hovering the seek bar shows the
     * frame of that moment from the sheet the server's WebVTT index names.
     */
    @Test
    void hoveringTheSeekBarShowsTheThumbnailOfThatMomentOnceMade() throws Exception {
        long filmId = TestFilms.unplayedFilm(catalog, repository);
        // The test film served fast by two seeders (a copy: its torrent is this test's own).
        try (Swarm swarm = Swarm.seedCopy(TestFilms.MP4_FASTSTART.file(), "thumbs-" + System.nanoTime() + ".mp4", 2, 2_000_000)) {
            Page page = browser.open(1280, 800, "en-US");
            Download d = fetchedWhole(page, swarm, filmId);
            java.util.concurrent.atomic.AtomicInteger indexRequests = new java.util.concurrent.atomic.AtomicInteger();
            page.onResponse(response -> {
                if (response.url().contains("/films/" + filmId + "/thumbnails.vtt?v=") && response.status() == 200) {
                    indexRequests.incrementAndGet();
                }
            });
            // The server makes them once the download completes (a few seconds of ffmpeg at low priority).
            page.waitForCondition(() -> page.request().get(url("/films/" + filmId + "/thumbnails.vtt")).status() == 200,
                    new Page.WaitForConditionOptions().setTimeout(90_000));

            page.navigate(url("/films/" + filmId));
            page.click("#play-button");
            page.waitForFunction("() => document.getElementById('video').currentTime > 0.5", null,
                    new Page.WaitForFunctionOptions().setTimeout(90_000));
            page.waitForCondition(() -> indexRequests.get() > 0);
            // Paused, the controls stay in place under the pointer.
            page.keyboard().press("k");
            page.waitForFunction("() => document.getElementById('video').paused");
            showPlayerControls(page);
            page.waitForFunction("() => !document.querySelector('#player .plyr').classList.contains('plyr--hide-controls')");
            page.waitForTimeout(500);
            var seek = page.locator("#player .plyr__progress input[type=range]");
            var box = seek.boundingBox();
            page.mouse().move(box.x + box.width * 0.55, box.y + box.height / 2);
            page.mouse().move(box.x + box.width * 0.6, box.y + box.height / 2);
            page.waitForSelector("#player .plyr__preview-thumb--is-shown img[src*='/thumbnails/0.jpg?v=']");
            page.context().close();
            downloads.remove(d, "test over");
        }
    }

    /**
     * While more thumbnails will come (the film downloads: here a swarm holds only its first 70 %, so the set made
     * from that beginning is its first sheet), the page keeps listening, and when the status names a new set it
     * hands Plyr the new index.
     */
    @Test
    void thePlayerFetchesTheLargerIndexWhenMoreThumbnailsAreMade() throws Exception {
        long filmId = TestFilms.unplayedFilm(catalog, repository);
        java.nio.file.Path source = TestFilms.fortyMinutes();
        long beginning = (long) (java.nio.file.Files.size(source) * 0.7);
        try (Swarm swarm = Swarm.seedBeginning(source, beginning).awaitSeeders(java.time.Duration.ofSeconds(60))) {
            Page page = browser.open(1280, 800, "en-US");
            Person person = Person.fresh();
            register(page, person);
            Download d = swarm.addTo(downloads, repository, filmId, member(person));
            try {
                ThumbnailsWebTest.beginningArrived(playback, probes, swarm, d, beginning);
                var thumbs = downloads.mediaDir().resolve(".thumbs").resolve(d.getInfoHash());
                // Made before the page plays it (a conversion for a viewer holds the thumbnails back).
                page.waitForCondition(() -> thumbnails.attempt(d.getId()) != null
                                && java.nio.file.Files.exists(thumbs.resolve("f0-s1").resolve("thumbnails.vtt")),
                        new Page.WaitForConditionOptions().setTimeout(90_000));
                java.util.List<String> indexes = new java.util.concurrent.CopyOnWriteArrayList<>();
                page.onResponse(response -> {
                    if (response.url().contains("/films/" + filmId + "/thumbnails.vtt") && response.status() == 200) {
                        indexes.add(response.url().substring(response.url().indexOf("thumbnails.vtt")));
                    }
                });
                page.navigate(url("/films/" + filmId));
                page.click("#play-button");
                page.waitForCondition(() -> indexes.contains("thumbnails.vtt?v=f0-s1"),
                        new Page.WaitForConditionOptions().setTimeout(90_000));

                // A larger set, as more of the film would give (this swarm has no more): the first one under the next name.
                copyFolder(thumbs.resolve("f0-s1"), thumbs.resolve("f0-s2"));
                page.waitForCondition(() -> indexes.contains("thumbnails.vtt?v=f0-s2"),
                        new Page.WaitForConditionOptions().setTimeout(30_000));
                assertThat(indexes).containsExactly("thumbnails.vtt?v=f0-s1", "thumbnails.vtt?v=f0-s2");
                page.context().close();
            } finally {
                repository.findByInfoHash(d.getInfoHash()).ifPresent(x -> downloads.remove(x, "test over"));
            }
        }
    }

    private static void copyFolder(java.nio.file.Path from, java.nio.file.Path to) throws java.io.IOException {
        java.nio.file.Path work = to.resolveSibling(to.getFileName() + ".part");
        java.nio.file.Files.createDirectories(work);
        try (var files = java.nio.file.Files.list(from)) {
            for (java.nio.file.Path f : files.toList()) {
                java.nio.file.Files.copy(f, work.resolve(f.getFileName()));
            }
        }
        java.nio.file.Files.move(work, to, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
}
