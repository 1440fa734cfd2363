package org.hypertube.browser;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.BoundingBox;
import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;
import org.hypertube.catalog.Catalog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/** The home page's rows, the watchlist and the layout on phones, as a member uses them in Chromium. */
class PagesBrowserTest extends BrowserTestBase {

    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    Catalog catalog;

    @Test
    void aFilmAddedOnACardIsInTheWatchlistRowAndPageUntilRemoved() {
        Page page = signedIn(1280);
        assertThat(page.locator("#watchlist-row")).containsText("Add films with the +");
        Locator card = page.locator("#popular-row .film-card").first();
        String title = card.locator(".film-title").textContent();
        card.locator(".watchlist-toggle button").click();
        assertThat(card.locator(".watchlist-toggle button.on")).isVisible();
        assertThat(card.locator(".watchlist-toggle button")).hasAttribute("aria-label", "Remove " + title + " from your watchlist");

        page.reload();
        assertThat(page.locator("#watchlist-row .film-title")).hasText(title);
        page.locator("#watchlist-row a:has-text('See all')").click();
        page.waitForURL(url("/watchlist"));
        assertThat(page.locator("#watchlist .film-title")).hasText(title);

        // A second film, from its own page.
        page.navigate(url("/"));
        Locator other = page.locator("#popular-row .film-card").nth(1);
        String second = other.locator(".film-title").textContent();
        other.locator("a").click();
        page.waitForURL(Pattern.compile(".*/films/\\d+"));
        page.locator(".film-actions .watchlist-toggle button").click();
        assertThat(page.locator(".film-actions .watchlist-toggle button")).hasText(Pattern.compile("On your watchlist"));
        page.navigate(url("/watchlist"));
        assertThat(page.locator("#watchlist .film-title")).hasText(new String[] {second, title});

        page.locator("#watchlist .film-card").filter(new Locator.FilterOptions().setHasText(title))
                .locator(".watchlist-toggle button").click();
        assertThat(page.locator("#watchlist .film-card").filter(new Locator.FilterOptions().setHasText(title))
                .locator(".watchlist-toggle button:not(.on)")).isVisible();
        page.reload();
        assertThat(page.locator("#watchlist .film-title")).hasText(new String[] {second});
        page.navigate(url("/"));
        assertThat(page.locator("#watchlist-row .film-title")).hasText(new String[] {second});

        // Another member's lists are their own.
        Page stranger = signedIn(1280);
        assertThat(stranger.locator("#watchlist-row .film-card")).hasCount(0);
        stranger.navigate(url("/watchlist"));
        assertThat(stranger.locator("#watchlist .film-card")).hasCount(0);
        stranger.context().close();
        page.context().close();
    }

    @Test
    void aFilmDownloadedHereIsInTheReadyNowRowAndItsPageMarksTheCopy() {
        Page page = signedIn(1280);
        long film = catalog.popular(1).films().stream().map(f -> f.getId())
                .filter(id -> jdbc.queryForObject("select count(*) from downloads where film_id = ?", Integer.class, id) == 0)
                .findFirst().orElseThrow();
        page.navigate(url("/films/" + film)); // asks the sources for the film's torrents
        String title = page.locator("h1 span").first().textContent();
        assertThat(page.locator(".film-meta .badge.ready")).hasCount(0);
        List<String> hashes = jdbc.queryForList("select info_hash from film_torrents where film_id = ? and info_hash is not null"
                + " order by seeds desc", String.class, film);
        assertThat(hashes).isNotEmpty();
        String hash = hashes.get(0).toLowerCase();
        Instant now = Instant.now();
        jdbc.update("insert into downloads (info_hash, film_id, name, state, added_at, completed_at) values (?, ?, ?, 'COMPLETE', ?, ?)",
                hash, film, title, java.sql.Timestamp.from(now), java.sql.Timestamp.from(now));
        try {
            page.navigate(url("/"));
            assertThat(page.locator("#ready-row .film-title").first()).hasText(title);
            page.navigate(url("/films/" + film));
            assertThat(page.locator(".film-meta .badge.ready")).isVisible();
            assertThat(page.locator("table.torrents tr.held")).hasCount(1);
            assertThat(page.locator("table.torrents tr.held")).containsText("Downloaded, ready");
        } finally {
            jdbc.update("delete from downloads where info_hash = ?", hash);
        }
        page.context().close();
    }

    @ParameterizedTest
    @ValueSource(ints = {360, 390})
    void onAPhoneNothingIsWiderThanTheScreenTwoCardsARowAndFiltersOpenFromOneButton(int width) {
        Page page = signedIn(width);
        assertThat(page.locator("#popular-row .film-card").first()).isVisible();
        assertFits(page);
        var rowCards = page.locator("#popular-row .film-card");
        assertThat(rowCards.nth(0).boundingBox().width).isEqualTo(rowCards.nth(1).boundingBox().width);
        assertThat(rowCards.nth(0).boundingBox().width).as("a steady card, not a screen-wide one").isLessThan(width / 2.0);

        page.navigate(url("/browse"));
        Locator filters = page.locator("form.filters");
        assertThat(filters).isHidden();
        assertThat(page.locator(".film-grid .film-card").nth(2)).isVisible();
        BoundingBox first = page.locator(".film-grid .film-card").nth(0).boundingBox();
        BoundingBox second = page.locator(".film-grid .film-card").nth(1).boundingBox();
        BoundingBox third = page.locator(".film-grid .film-card").nth(2).boundingBox();
        assertThat(second.y).isEqualTo(first.y);
        assertThat(second.x).isGreaterThan(first.x);
        assertThat(third.y).as("the third card starts the second line").isGreaterThan(first.y);
        assertFits(page);
        page.click(".filter-toggle");
        assertThat(filters).isVisible();
        assertThat(page.locator(".filter-toggle")).hasAttribute("aria-expanded", "true");
        assertFits(page);
        page.selectOption("select[name=genre]", "horror");
        page.click(".filters button[type=submit]");
        page.waitForURL(Pattern.compile(".*genre=horror.*"));
        assertThat(page.locator(".film-title").first()).isVisible();
        assertFits(page);

        page.locator(".film-card a").first().click();
        page.waitForURL(Pattern.compile(".*/films/\\d+"));
        assertThat(page.locator("#player")).isVisible();
        assertThat(page.locator("#player").boundingBox().width).as("the player spans the screen").isGreaterThanOrEqualTo(width - 1.0);
        assertFits(page);
        page.navigate(url("/watchlist"));
        assertFits(page);
        page.context().close();
    }

    @ParameterizedTest
    @ValueSource(ints = {360, 390})
    void onAPhoneTheHeaderIsOneRowAndItsMenuButtonOpensEveryLink(int width) {
        Page page = signedIn(width);
        Locator header = page.locator("header.site-header");
        double banner = page.locator("#verify-banner").count() == 0 ? 0 : page.locator("#verify-banner").boundingBox().height;
        assertThat(header.boundingBox().height - banner).as("the header's own row (the e-mail banner aside)").isLessThan(80);
        BoundingBox brand = page.locator("header .brand").boundingBox();
        BoundingBox search = page.locator("header #q").boundingBox();
        BoundingBox toggle = page.locator("header .nav-toggle").boundingBox();
        assertThat(search.y).as("search on the name's row").isLessThan(brand.y + brand.height);
        assertThat(toggle.y).as("menu button on the name's row").isLessThan(brand.y + brand.height);
        assertThat(page.locator("header .logout button")).isHidden();

        page.click("header .nav-toggle");
        assertThat(page.locator("header .nav-toggle")).hasAttribute("aria-expanded", "true");
        assertThat(page.locator("#lang")).isVisible();
        assertThat(page.locator("header .logout button")).isVisible();
        page.click("header .menu summary");
        assertThat(page.locator("header .menu a[href$='/watchlist']")).isVisible();
        assertThat(page.locator("header .menu a[href*='/edit']")).isVisible();
        assertFits(page);
        page.click("header .menu a[href$='/watchlist']");
        page.waitForURL(url("/watchlist"));
        page.click("header .nav-toggle");
        page.click("header .logout button");
        page.waitForURL(url("/login?logout"));
        page.context().close();
    }

    private static void assertFits(Page page) {
        assertThat(((Number) page.evaluate("document.documentElement.scrollWidth - window.innerWidth")).intValue())
                .as("horizontal overflow on %s", page.url()).isLessThanOrEqualTo(0);
    }
}
