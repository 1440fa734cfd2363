package org.hypertube.browser;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Page;
import java.util.List;
import java.util.regex.Pattern;
import org.hypertube.catalog.source.ProviderFakes;
import org.junit.jupiter.api.Test;

/** The library as a member browses it, with every film source faked in its documented shape. */
class CatalogBrowserTest extends BrowserTestBase {

    @Test
    void theDiscoverPageShowsCoversAndLoadsMoreWhileScrolling() {
        Page page = signedIn(1280);
        page.locator("a:has-text('Browse all films')").click();
        page.waitForURL(url("/browse"));
        var cards = page.locator(".film-card");
        assertThat(cards.first()).isVisible();
        int first = cards.count();
        assertThat(first).isGreaterThanOrEqualTo(10);
        Object coverWidth = page.evaluate("() => new Promise(done => { const img = document.querySelector('.film-card img');"
                + " if (img.complete) done(img.naturalWidth); else img.onload = () => done(img.naturalWidth); })");
        assertThat(((Number) coverWidth).intValue()).isPositive();
        assertThat(page.locator("a[href*='next'], a:has-text('Next')")).hasCount(0);

        page.locator(".film-grid .more").scrollIntoViewIfNeeded();
        page.waitForCondition(() -> cards.count() > first, new Page.WaitForConditionOptions().setTimeout(15_000));
        assertThat(page.locator(".film-title").allTextContents()).doesNotHaveDuplicates();
        page.context().close();
    }

    @Test
    void searchFindsAFilmAndFiltersNarrowTheListAndSurviveAReload() {
        Page page = signedIn(1280);
        page.fill("#q", "nosferatu");
        page.press("#q", "Enter");
        page.waitForURL(Pattern.compile(".*\\?q=nosferatu.*"));
        assertThat(page.locator(".film-title").first()).hasText("Nosferatu");

        page.navigate(url("/browse"));
        page.selectOption("select[name=genre]", "horror");
        page.fill("input[name=yearFrom]", "1950");
        page.fill("input[name=yearTo]", "1965");
        page.click(".filters button[type=submit]");
        page.waitForURL(Pattern.compile(".*genre=horror.*"));
        List<String> titles = page.locator(".film-title").allTextContents();
        assertThat(titles).isNotEmpty().contains("Carnival of Souls").doesNotContain("Nosferatu", "Night of the Living Dead");
        for (String year : page.locator(".film-meta > span:first-child").allTextContents()) {
            assertThat(Integer.parseInt(year.strip())).isBetween(1950, 1965);
        }
        page.reload();
        assertThat(page.locator("select[name=genre]")).hasValue("horror");
        assertThat(page.locator("input[name=yearFrom]")).hasValue("1950");
        assertThat(page.locator(".film-title").allTextContents()).isEqualTo(titles);
        page.goBack();
        page.waitForURL(url("/browse"));
        assertThat(page.locator(".film-title").first()).isVisible();
        assertThat(page.locator(".film-title").allTextContents()).contains("Night of the Living Dead");
        page.context().close();
    }

    @Test
    void aFilmPageShowsItsCastAndTorrentsAndTakesComments() {
        Page page = signedIn(1280);
        page.fill("#q", "night of the living dead");
        page.press("#q", "Enter");
        page.click(".film-card a:has-text('Night of the Living Dead')");
        page.waitForURL(Pattern.compile(".*/films/\\d+"));
        String filmUrl = page.url();
        assertThat(page.locator("h1")).containsText("Night of the Living Dead");
        assertThat(page.locator(".credits")).containsText("George A. Romero");
        assertThat(page.locator(".credits")).containsText("Duane Jones");
        assertThat(page.locator("table.torrents tbody tr").first()).isVisible();

        page.fill("#comment-body", "<img src=x onerror=alert(1)>");
        page.click(".comment-form button[type=submit]");
        page.waitForURL(Pattern.compile(".*/films/\\d+#comments"));
        var mine = page.locator(".comment").first();
        assertThat(mine.locator(".comment-body")).hasText("<img src=x onerror=alert(1)>");
        assertThat(page.locator(".comment-body img")).hasCount(0);

        mine.locator(".comment-actions a").click();
        page.fill("#comment-body", "A classic, truly.");
        page.click("main button[type=submit]");
        assertThat(page.locator(".comment-body").first()).hasText("A classic, truly.");
        assertThat(page.locator(".comment-meta").first()).containsText("(edited)");
        String editUrl = url(page.locator(".comment .comment-actions a").first().getAttribute("href"));

        // Another member sees the comment but may neither edit nor delete it.
        Page other = signedIn(1280);
        other.navigate(filmUrl);
        assertThat(other.locator(".comment-body").first()).hasText("A classic, truly.");
        assertThat(other.locator(".comment").first().locator(".comment-actions")).hasCount(0);
        other.click(".comment .comment-meta a");
        other.waitForURL(Pattern.compile(".*/users/\\d+"));
        assertThat(other.locator(".their-comments .comment-body").first()).hasText("A classic, truly.");
        assertThat(other.locator(".their-comments .comment-meta a").first()).hasText("Night of the Living Dead");
        other.navigate(editUrl);
        assertThat(other.locator("h1")).hasText("Not allowed");
        browser.consoleProblems.removeIf(p -> p.contains("status of 403") && p.contains("/comments/"));
        other.context().close();

        page.locator(".comment").first().locator("button:has-text('Delete')").click();
        assertThat(page.locator(".comments .comment-body:has-text('A classic, truly.')")).hasCount(0);
        page.context().close();
    }

    @Test
    void withOneSourceDownThePageStillShowsTheOthersFilms() {
        ProviderFakes.stubDown(SOURCES, "yts");
        try {
            Page page = signedIn(1280);
            page.navigate(url("/?q=general"));
            assertThat(page.locator("[role=status]").first()).containsText("may be incomplete");
            assertThat(page.locator(".film-title").first()).isVisible();
            assertThat(page.locator(".film-title").allTextContents()).contains("The General");
            page.context().close();
        } finally {
            ProviderFakes.stubUp(SOURCES, "yts");
        }
    }

    @Test
    void theLibraryFitsAPhoneScreen() {
        Page page = signedIn(360);
        assertThat(page.locator(".film-card").first()).isVisible();
        assertThat(((Number) page.evaluate("document.documentElement.scrollWidth - window.innerWidth")).intValue()).isLessThanOrEqualTo(0);
        page.click(".film-card a");
        page.waitForURL(Pattern.compile(".*/films/\\d+"));
        assertThat(((Number) page.evaluate("document.documentElement.scrollWidth - window.innerWidth")).intValue()).isLessThanOrEqualTo(0);
        page.context().close();
    }

    @Test
    void aFrenchMemberReadsTmdbsFrenchTitlesWhileEnglishReadersKeepTheirs() {
        Page french = browser.open(1280, 900, "fr-FR");
        register(french, Person.fresh());
        french.navigate(url("/?q=living"));
        assertThat(french.locator(".film-title").first()).hasText("La Nuit des morts-vivants");
        french.context().close();

        Page english = signedIn(1280);
        english.navigate(url("/?q=living"));
        assertThat(english.locator(".film-title").first()).hasText("Night of the Living Dead");
        english.context().close();
    }
}
