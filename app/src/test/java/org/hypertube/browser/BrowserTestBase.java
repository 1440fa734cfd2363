package org.hypertube.browser;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Page;
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

    protected String url(String path) {
        return "http://localhost:" + port + path;
    }

    protected record Person(String username, String email, String password) {
        public static Person fresh() {
            String username = uniqueName("p");
            return new Person(username, username + "@example.org", "copper-meadow-" + username.substring(1, 5));
        }
    }

    /** Fills the sign-up form and lands on the library. */
    protected void register(Page page, Person person) {
        page.navigate(url("/register"));
        page.fill("#email", person.email());
        page.fill("#username", person.username());
        page.fill("#firstName", "Ada");
        page.fill("#lastName", "Lovelace");
        page.fill("#password", person.password());
        page.click("main button[type=submit]");
        page.waitForURL(url("/"));
    }
}
