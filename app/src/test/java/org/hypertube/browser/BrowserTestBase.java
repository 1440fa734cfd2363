package org.hypertube.browser;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Page;
import java.util.regex.Pattern;
import org.hypertube.AppTestBase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.boot.test.web.server.LocalServerPort;

/** One Chromium per test class, a clean console demanded after every test, and signing up as a person does. */
public abstract class BrowserTestBase extends AppTestBase {

    protected static BrowserSession browser;

    @LocalServerPort
    protected int port;

    @BeforeAll
    static void launch() {
        browser = new BrowserSession();
    }

    @AfterAll
    static void quit() {
        if (browser != null) {
            browser.close();
        }
    }

    @AfterEach
    protected void consoleStayedClean() {
        assertThat(browser.consoleProblems).isEmpty();
    }

    /**
     * Opens a menu of the player's control bar as a person does: the whole player in view (not under the
     * sticky header), the pointer on it so that the controls show, then the menu's button.
     */
    protected static void openPlayerMenu(Page page, String menu) {
        showPlayerControls(page);
        page.click(menu + " .ht-menu-button");
    }

    /** Brings the whole player into view (not under the sticky header) and the pointer onto it: Plyr shows its controls. */
    protected static void showPlayerControls(Page page) {
        page.evaluate("() => document.getElementById('player').scrollIntoView({block: 'end'})");
        page.hover("#player .plyr");
    }

    protected String url(String path) {
        return "http://localhost:" + port + path;
    }

    protected record Person(String username, String email, String password) {
        public static Person fresh() {
            String username = uniqueName("p");
            return new Person(username, username + "@example.org", "copper-meadow-" + username.substring(1, 5));
        }
    }

    /** Fills the sign-up form, then signs in (a sign-up does not: its answer is the same for a taken e-mail) and lands on the library. */
    protected void register(Page page, Person person) {
        page.navigate(url("/register"));
        page.fill("#email", person.email());
        page.fill("#username", person.username());
        page.fill("#firstName", "Ada");
        page.fill("#lastName", "Lovelace");
        page.fill("#password", person.password());
        page.click("main button[type=submit]");
        page.waitForURL(url("/login?registered"));
        logIn(page, person.username(), person.password());
    }

    /** A new member's browser of this width, signed up and on the home page. */
    protected Page signedIn(int width) {
        Page page = browser.open(width, 900, "en-US");
        register(page, Person.fresh());
        return page;
    }

    /** Signs in on the sign-in page and lands on the library. */
    protected void logIn(Page page, String username, String password) {
        page.navigate(url("/login"));
        page.fill("#username", username);
        page.fill("#password", password);
        page.click("main button[type=submit]");
        page.waitForURL(url("/"));
    }

    /** The owner of the address takes the account back by "forgot password", in their own browser. */
    protected void resetByMail(String email, String password) throws Exception {
        Page page = browser.open(1280, 800, "en-US");
        page.navigate(url("/password/forgot"));
        page.fill("#login", email);
        page.click("main button[type=submit]");
        assertThat(page.locator("[role=status]")).isVisible();
        page.navigate(mailedLink(email, "/password/reset"));
        page.fill("#password", password);
        page.click("main button[type=submit]");
        page.waitForURL(Pattern.compile(".*/login\\?reset.*"));
        page.context().close();
    }
}
