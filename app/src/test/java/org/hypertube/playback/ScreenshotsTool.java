package org.hypertube.playback;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.LoadState;
import java.nio.file.Files;
import java.nio.file.Path;
import org.hypertube.browser.BrowserTestBase;
import org.hypertube.catalog.Catalog;
import org.hypertube.catalog.Watchlist;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Not a test: writes docs/screenshots/{home,film,player}-{desktop,phone}.png from a seeded server (the fake
 * film sources, a film downloaded from a local aria2 swarm, a member with a watchlist and a film started).
 * Skipped unless asked for:
 * {@code ./mvnw -B -o -q -pl torrent,app verify -Dtest=ScreenshotsTool -Dscreenshots=true -Dsurefire.failIfNoSpecifiedTests=false}
 * (PostgreSQL as for every app test: TEST_DATABASE_URL).
 */
@EnabledIfSystemProperty(named = "screenshots", matches = "true")
class ScreenshotsTool extends BrowserTestBase {

    private static final Path OUT = Path.of("..", "docs", "screenshots");

    @Autowired
    Downloads downloads;
    @Autowired
    DownloadRepository repository;
    @Autowired
    Catalog catalog;
    @Autowired
    Watchlist watchlist;
    @Autowired
    JdbcTemplate jdbc;

    @Test
    void writeScreenshots() throws Exception {
        Files.createDirectories(OUT);
        long filmId = TestFilms.unplayedFilm(catalog, repository);
        try (Swarm swarm = Swarm.seed(TestFilms.MP4_FASTSTART.file(), 2, 4_000_000)) {
            Person person = Person.fresh();
            Page desktop = browser.open(1440, 900, "en-US");
            register(desktop, person);
            long member = jdbc.queryForObject("select id from members where username = ?", Long.class, person.username());
            // The test films are made the same way each time: a copy left by an earlier run in this database goes first.
            repository.findByInfoHash(swarm.metainfo.infoHash().hex()).ifPresent(old -> downloads.remove(old, "screenshots again"));
            Download d = downloads.add(null, swarm.torrentFile, filmId, member);
            catalog.popular(1).films().stream().skip(3).limit(5).forEach(f -> watchlist.add(member, f.getId()));
            long deadline = System.nanoTime() + 180_000_000_000L;
            while (repository.findByInfoHash(d.getInfoHash()).orElseThrow().getState() != Download.State.COMPLETE) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("the seeded film did not finish downloading");
                }
                Thread.sleep(500);
            }
            for (Page page : new Page[] {desktop, phone(person)}) {
                String kind = page == desktop ? "desktop" : "phone";
                page.navigate(url("/films/" + filmId));
                page.waitForLoadState(LoadState.NETWORKIDLE);
                page.screenshot(new Page.ScreenshotOptions().setPath(OUT.resolve("film-" + kind + ".png")));
                page.click("#play-button");
                page.waitForFunction("() => document.getElementById('video').currentTime > 1", null,
                        new Page.WaitForFunctionOptions().setTimeout(90_000));
                page.evaluate("() => { const v = document.getElementById('video'); v.currentTime = v.duration * 0.4; }");
                page.waitForFunction("() => { const v = document.getElementById('video'); return !v.seeking && v.currentTime > v.duration * 0.4 + 1; }",
                        null, new Page.WaitForFunctionOptions().setTimeout(60_000));
                page.evaluate("() => document.getElementById('video').pause()");
                page.locator("#player").scrollIntoViewIfNeeded();
                page.locator("#player").hover();
                page.screenshot(new Page.ScreenshotOptions().setPath(OUT.resolve("player-" + kind + ".png")));
                page.navigate(url("/"));
                page.waitForLoadState(LoadState.NETWORKIDLE);
                page.screenshot(new Page.ScreenshotOptions().setPath(OUT.resolve("home-" + kind + ".png")).setFullPage(true));
                page.context().close();
            }
        }
    }

    private Page phone(Person person) {
        Page page = browser.open(390, 844, "en-US");
        logIn(page, person.username(), person.password());
        return page;
    }
}
