package org.hypertube.browser;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.LoadState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Every page of the site scanned by axe-core (from npm, app/src/test/js, installed by bin/test with its lock
 * file) in Chromium, signed out, as a member and as an administrator: no serious or critical finding.
 */
class AccessibilityBrowserTest extends BrowserTestBase {

    private static final Path TEST_JS = Path.of("src/test/js");
    private static final Path AXE = TEST_JS.resolve("node_modules/axe-core/axe.min.js");

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void everyPageHasNoSeriousOrCriticalAccessibilityFinding() throws Exception {
        List<String> findings = new ArrayList<>();
        Page visitor = scanner(1280);
        for (String path : List.of("/login", "/register", "/password/forgot", "/password/reset?token=unknown")) {
            findings.addAll(scan(visitor, path));
        }
        visitor.context().close();

        Person person = Person.fresh();
        Page page = scanner(1280);
        register(page, person);
        long member = jdbc.queryForObject("select id from members where username = ?", Long.class, person.username());
        page.navigate(url("/"));
        page.locator("#popular-row .film-card .watchlist-toggle button").first().click();
        page.locator("#popular-row .film-card .watchlist-toggle button.on").first().waitFor();
        long film = Long.parseLong(page.locator("#popular-row .film-card a").first().getAttribute("href").replaceAll("\\D", ""));
        for (String path : List.of("/", "/browse", "/browse?q=night", "/browse?genre=horror&yearFrom=1950", "/watchlist",
                "/films/" + film, "/films/" + film + "/comments", "/users/" + member, "/users/" + member + "/edit",
                "/settings/api-clients", "/users/987654321")) {
            findings.addAll(scan(page, path));
        }
        page.context().close();

        // The operator's pages, for a member made administrator (the role is read at sign-in).
        jdbc.update("update members set admin = true where id = ?", member);
        Page admin = scanner(1280);
        logIn(admin, person.username(), person.password());
        for (String path : List.of("/admin/downloads", "/admin/members")) {
            findings.addAll(scan(admin, path));
        }
        admin.context().close();

        // And the pages people use most, on a phone.
        Page phone = scanner(360);
        logIn(phone, person.username(), person.password());
        for (String path : List.of("/", "/browse", "/films/" + film)) {
            findings.addAll(scan(phone, path));
        }
        phone.context().close();
        browser.consoleProblems.removeIf(p -> p.contains("status of 404") && p.contains("/users/987654321"));
        assertThat(findings).isEmpty();
    }

    /** A page that loads axe-core into every document before the page's own scripts (not subject to the CSP). */
    private Page scanner(int width) throws IOException, InterruptedException {
        Page page = browser.open(width, 900, "en-US");
        page.context().addInitScript(axe());
        return page;
    }

    /** The serious and critical violations on one page, once what htmx loads after it has arrived. */
    @SuppressWarnings("unchecked")
    private List<String> scan(Page page, String path) {
        page.navigate(url(path));
        page.waitForLoadState(LoadState.NETWORKIDLE);
        var result = (java.util.Map<String, Object>) page.evaluate("""
                async () => {
                  const result = await axe.run(document);
                  return {
                    passed: result.passes.length,
                    found: result.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
                      .map(v => v.id + ' (' + v.impact + '): ' + v.help + ' at '
                        + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | '))
                  };
                }""");
        assertThat(((Number) result.get("passed")).intValue()).as("rules axe checked on %s", path).isGreaterThan(10);
        List<String> found = (List<String>) result.get("found");
        return found.stream().map(f -> path + " [" + page.viewportSize().width + " px]: " + f).toList();
    }

    /** axe-core's source, installed with npm ci from the lock file when bin/test has not done it yet. */
    private static synchronized Path axe() throws IOException, InterruptedException {
        if (!Files.isRegularFile(AXE)) {
            Process npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund").directory(TEST_JS.toFile())
                    .redirectErrorStream(true).start();
            String output = new String(npm.getInputStream().readAllBytes());
            if (!npm.waitFor(5, TimeUnit.MINUTES) || npm.exitValue() != 0 || !Files.isRegularFile(AXE)) {
                npm.destroyForcibly();
                throw new UncheckedIOException(new IOException("npm ci in " + TEST_JS + " did not install axe-core: " + output));
            }
        }
        return AXE;
    }
}
