package org.hypertube.browser;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Page;
import jakarta.mail.Message;
import java.util.Arrays;
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

    /** Signs in on the sign-in page and lands on the library. */
    protected void logIn(Page page, String username, String password) {
        page.navigate(url("/login"));
        page.fill("#username", username);
        page.fill("#password", password);
        page.click("main button[type=submit]");
        page.waitForURL(url("/"));
    }

    /** The first link to {@code path} (with its ?token=) in a mail to this address, waiting for the mail. */
    protected static String mailedLink(String email, String path) throws Exception {
        Pattern pattern = Pattern.compile("http://\\S+" + Pattern.quote(path) + "\\?token=[A-Za-z0-9_-]+");
        long deadline = System.nanoTime() + 15_000_000_000L;
        while (System.nanoTime() < deadline) {
            for (var message : MAIL.getReceivedMessages()) {
                if (Arrays.stream(message.getRecipients(Message.RecipientType.TO))
                        .anyMatch(a -> a.toString().equals(email))) {
                    var link = pattern.matcher((String) message.getContent());
                    if (link.find()) {
                        return link.group();
                    }
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no mail with a link to " + path + " reached " + email);
    }
}
