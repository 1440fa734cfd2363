package org.hypertube.playback;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Page;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.hypertube.browser.BrowserTestBase;
import org.hypertube.catalog.Catalog;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A subtitle track whose title holds markup (review of issue 20, item 12): Plyr writes track labels into its
 * captions menu as HTML, so the page escapes them; the menu must show the title as text, never as elements.
 * A real Matroska film (ffmpeg) with an English track titled {@code <b>x</b>}, finished on disk, in Chromium.
 */
class SubtitleLabelBrowserTest extends BrowserTestBase {

    static final String TITLE = "<b>x</b>";

    @Autowired
    DownloadRepository repository;
    @Autowired
    Engine engine;
    @Autowired
    Catalog catalog;
    @Autowired
    Downloads downloads;

    @Test
    void aTrackTitleWithMarkupShowsAsTextInTheCaptionsMenu() throws Exception {
        long filmId = TestFilms.unplayedFilm(catalog, repository);
        Download d = finishedWithTitledTrack(filmId);
        try {
            Page page = browser.open(1280, 800, "en-US");
            register(page, Person.fresh());
            page.navigate(url("/films/" + filmId));
            page.click("#play-button");
            page.waitForFunction("() => document.querySelectorAll('#video track').length > 0", null,
                    new Page.WaitForFunctionOptions().setTimeout(60_000));
            page.waitForFunction("() => document.getElementById('video').currentTime > 0.5", null,
                    new Page.WaitForFunctionOptions().setTimeout(60_000));

            // Clicked by script: the page's sticky header may cover the menu wherever the page scrolled.
            page.locator("#player button[data-plyr=settings]:not([role])").evaluate("b => b.click()");
            page.locator("#player [role=menuitem]:has-text('Subtitles')").first().evaluate("b => b.click()");
            var items = page.locator("#player [role=menuitemradio][data-plyr=language]");
            items.first().waitFor();
            List<String> labels = items.allTextContents();
            assertThat(labels).as("the title shows as its literal text").anyMatch(l -> l.contains(TITLE));
            assertThat(page.locator("#player .plyr__menu b, #player .plyr__controls b").count())
                    .as("no element made from the title").isZero();

            // Chosen, the track's label is also the value the settings menu shows for "Subtitles".
            items.filter(new com.microsoft.playwright.Locator.FilterOptions().setHasText(TITLE)).first()
                    .evaluate("b => b.click()");
            page.waitForFunction("t => [...document.querySelectorAll('#player [role=menuitem]')]"
                    + ".some(i => i.textContent.includes('Subtitles') && i.textContent.includes(t))", TITLE);
            assertThat(page.locator("#player .plyr__menu b, #player .plyr__controls b").count()).isZero();
            page.context().close();
        } finally {
            downloads.remove(repository.findByInfoHash(d.getInfoHash()).orElseThrow(), "test over");
        }
    }

    /** A finished download whose file is the test film with an English subtitle track titled {@link #TITLE}. */
    private Download finishedWithTitledTrack(long filmId) throws Exception {
        Path folder = org.hypertube.TestDirs.temporary("titled");
        Path srt = folder.resolve("line.srt");
        Path mkv = folder.resolve("film.mkv");
        Files.writeString(srt, SubtitledFilm.srt("Line"), StandardCharsets.UTF_8);
        Process p = new ProcessBuilder("ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error", "-y",
                "-i", TestFilms.MP4_FASTSTART.file().toString(), "-i", srt.toString(),
                "-map", "0:v", "-map", "0:a", "-map", "1:s", "-c:v", "copy", "-c:a", "copy", "-c:s", "srt",
                "-metadata:s:s:0", "language=eng", "-metadata:s:s:0", "title=" + TITLE, mkv.toString())
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0).as(output).isTrue();
        Download d = TestFilms.finishedOnDisk(repository, engine, filmId, mkv);
        Files.delete(srt);
        Files.delete(mkv);
        Files.delete(folder);
        return d;
    }
}
