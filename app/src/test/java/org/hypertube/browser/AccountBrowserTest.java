package org.hypertube.browser;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.FilePayload;
import com.nimbusds.jose.JOSEObjectType;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import org.junit.jupiter.api.Test;

/** The account flows in a real Chromium: what a person clicks, reads and types. */
class AccountBrowserTest extends BrowserTestBase {

    String mailedResetLink(String email) throws Exception {
        return mailedLink(email, "/password/reset");
    }

    @Test
    void registerLogOutLogInSpeakFrenchAndResetThePasswordByMail() throws Exception {
        Person person = Person.fresh();
        Page page = browser.open(1280, 800, "en-US");
        register(page, person);
        assertThat(page.locator("header .menu summary")).containsText(person.username());

        page.click("header .logout button");
        page.waitForURL(url("/login?logout"));
        assertThat(page.locator("[role=status]")).hasText("You are signed out.");
        logIn(page, person.username(), person.password());

        page.selectOption("#lang", "fr");
        page.waitForURL(url("/"));
        assertThat(page.locator("html")).hasAttribute("lang", "fr");
        assertThat(page.locator("header .logout button")).hasText("Se déconnecter");
        page.reload();
        assertThat(page.locator("h1")).hasText("Accueil");

        page.click("header .logout button");
        page.waitForURL(url("/login?logout"));
        page.click("text=Mot de passe oublié ?");
        page.fill("#login", person.email());
        page.click("main button[type=submit]");
        assertThat(page.locator("[role=status]")).containsText("Si un compte correspond");

        page.navigate(mailedResetLink(person.email()));
        page.fill("#password", "brass-lighthouse-4410");
        page.click("main button[type=submit]");
        page.waitForURL(Pattern.compile(".*/login\\?reset.*"));
        assertThat(page.locator("[role=status]")).containsText("Votre mot de passe a été changé");
        logIn(page, person.username(), "brass-lighthouse-4410");
        assertThat(page.locator("h1")).hasText("Accueil");
        page.context().close();
    }

    @Test
    void signInThroughA42StandInCreatesThenReusesTheAccount() {
        String login = uniqueName("ft");
        var claims = Map.<String, Object>of("id", 4242, "login", login, "email", login + "@student.42.fr",
                "first_name", "Grace", "last_name", "Hopper");
        Page page = browser.open(1280, 800, "en-US");

        OAUTH.enqueueCallback(new DefaultOAuth2TokenCallback("intra42", login, JOSEObjectType.JWT.getType(), List.of("hypertube-intra42"), claims, 3600));
        page.navigate(url("/login"));
        page.click("#oauth-intra42");
        page.waitForURL(url("/signup/oauth"));
        assertThat(page.locator("#username")).hasValue(login.toLowerCase());
        assertThat(page.locator("#email")).hasValue(login + "@student.42.fr");
        assertThat(page.locator("#firstName")).hasValue("Grace");
        page.click("main button[type=submit]");
        page.waitForURL(url("/"));
        assertThat(page.locator("header .menu summary")).containsText(login.toLowerCase());

        page.click("header .logout button");
        page.waitForURL(url("/login?logout"));
        OAUTH.enqueueCallback(new DefaultOAuth2TokenCallback("intra42", login, JOSEObjectType.JWT.getType(), List.of("hypertube-intra42"), claims, 3600));
        page.click("#oauth-intra42");
        page.waitForURL(url("/"));
        assertThat(page.locator("header .menu summary")).containsText(login.toLowerCase());
        page.context().close();
    }

    @Test
    void aGithubStandInWithoutPublicEmailAsksForOne() {
        String login = uniqueName("gh");
        Page page = browser.open(1280, 800, "en-US");
        OAUTH.enqueueCallback(new DefaultOAuth2TokenCallback("github", login, JOSEObjectType.JWT.getType(), List.of("hypertube-github"),
                Map.of("id", Math.abs(login.hashCode()), "login", login, "name", "Mona Lisa"), 3600));
        page.navigate(url("/login"));
        page.click("#oauth-github");
        page.waitForURL(url("/signup/oauth"));
        assertThat(page.locator("#email")).hasValue("");
        // A page of the library is closed until the sign-up is finished.
        page.navigate(url("/profile"));
        page.waitForURL(url("/signup/oauth"));
        page.click("main button[type=submit]");
        assertThat(page.locator(".field-error").first()).hasText("Please fill in this field.");
        page.fill("#email", login + "@example.net");
        page.click("main button[type=submit]");
        page.waitForURL(url("/"));
        assertThat(page.locator("header .menu summary")).containsText(login.toLowerCase());
        page.context().close();
    }

    @Test
    void everyAccountPageFitsAPhoneScreen() {
        Person person = Person.fresh();
        Page page = browser.open(360, 740, "en-US");
        for (String path : List.of("/login", "/register", "/password/forgot")) {
            page.navigate(url(path));
            assertThat(horizontalOverflow(page)).as(path).isLessThanOrEqualTo(0);
        }
        register(page, person);
        page.navigate(url("/profile"));
        String settings = page.url();
        for (String path : List.of(url("/"), settings, settings.replace("/edit", ""))) {
            page.navigate(path);
            assertThat(horizontalOverflow(page)).as(path).isLessThanOrEqualTo(0);
        }
        page.context().close();
    }

    private static int horizontalOverflow(Page page) {
        return ((Number) page.evaluate("document.documentElement.scrollWidth - window.innerWidth")).intValue();
    }

    @Test
    void aPictureIsAcceptedOnlyIfItIsAnImageOfModestSize() throws Exception {
        Person person = Person.fresh();
        Page page = browser.open(1280, 900, "en-US");
        register(page, person);
        page.navigate(url("/profile"));

        page.setInputFiles("#picture", new FilePayload("evil.png", "image/png", "<?php system($_GET['c']); ?>".getBytes()));
        page.click("form[enctype] button[type=submit]");
        assertThat(page.locator("[role=alert]")).hasText("This file is not an image we can use. Choose a PNG, JPEG or GIF.");

        page.setInputFiles("#picture", new FilePayload("huge.png", "image/png", new byte[3 * 1024 * 1024]));
        page.click("form[enctype] button[type=submit]");
        assertThat(page.locator("[role=alert]")).hasText("This file is too large (2 MB at most).");

        var image = new BufferedImage(400, 300, BufferedImage.TYPE_INT_RGB);
        image.setRGB(200, 150, 0xff0000);
        var png = new ByteArrayOutputStream();
        ImageIO.write(image, "png", png);
        page.setInputFiles("#picture", new FilePayload("me.png", "image/png", png.toByteArray()));
        page.click("form[enctype] button[type=submit]");
        assertThat(page.locator("[role=status]")).hasText("Your picture was changed.");
        Object width = page.evaluate("() => new Promise(done => { const img = new Image(); img.onload = () => done(img.naturalWidth);"
                + " img.src = document.querySelector('.settings img.avatar').src + '?fresh'; })");
        assertThat(((Number) width).intValue()).isEqualTo(256);
        page.context().close();
    }

    @Test
    void aProviderIdentityWithTheSameVouchedEmailSignsIntoTheExistingAccountOnceItsAddressIsConfirmed() throws Exception {
        Person person = Person.fresh();
        Page page = browser.open(1280, 800, "en-US");
        register(page, person);
        // Only a confirmed address links (see AccountTakeoverBrowserTest for one that is not).
        assertThat(page.locator("#verify-banner")).isVisible();
        page.navigate(mailedLink(person.email(), "/email/verify"));
        assertThat(page.locator("[role=status]")).hasText("Your e-mail address is confirmed.");
        assertThat(page.locator("#verify-banner")).hasCount(0);
        page.click("header .logout button");
        page.waitForURL(url("/login?logout"));
        OAUTH.enqueueCallback(new DefaultOAuth2TokenCallback("intra42", person.username(), JOSEObjectType.JWT.getType(),
                List.of("hypertube-intra42"), Map.of("id", 777000 + Math.abs(person.username().hashCode() % 1000),
                "login", "someone-else", "email", person.email().toUpperCase(), "first_name", "A", "last_name", "B"), 3600));
        page.click("#oauth-intra42");
        page.waitForURL(url("/"));
        assertThat(page.locator("header .menu summary")).containsText(person.username());
        page.context().close();
    }

    @Test
    void errorPagesSpeakTheMembersLanguage() {
        Person other = Person.fresh();
        Page page = browser.open(1280, 800, "fr-FR");
        register(page, other);
        page.navigate(url("/profile"));
        String othersSettings = page.url();
        page.click("header .logout button");
        page.waitForURL(url("/login?logout"));
        register(page, Person.fresh());
        assertThat(page.locator("html")).hasAttribute("lang", "fr");

        page.navigate(url("/users/987654321"));
        assertThat(page.locator("h1")).hasText("Page introuvable");
        page.navigate(othersSettings);
        assertThat(page.locator("h1")).hasText("Accès refusé");
        assertThat(page.content()).doesNotContain("Exception").doesNotContain("at org.");
        // Chromium reports every 4xx page load on the console; these two were asked for.
        browser.consoleProblems.removeIf(p -> p.contains("status of 404") && p.contains("/users/987654321")
                || p.contains("status of 403") && p.contains(othersSettings));
        page.context().close();
    }
}
