package org.hypertube.browser;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Page;
import com.nimbusds.jose.JOSEObjectType;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import org.junit.jupiter.api.Test;

/**
 * Account pre-hijacking (issue 19, item 5) in Chromium: an account made with someone else's address
 * does not receive that person's sign-in through a provider (a confirmed address does: see
 * AccountBrowserTest#aProviderIdentityWithTheSameVouchedEmailSignsIntoTheExistingAccountOnceItsAddressIsConfirmed).
 */
class AccountTakeoverBrowserTest extends BrowserTestBase {

    /** Signs in through the GitHub stand-in; a null {@code email}: GitHub gives no address. */
    void signInWithGithub(Page page, String login, String email) {
        Map<String, Object> claims = new HashMap<>(Map.of("id", Math.abs(login.hashCode()), "login", login, "name", "Vic Tim"));
        if (email != null) {
            claims.put("email", email);
        }
        OAUTH.enqueueCallback(new DefaultOAuth2TokenCallback("github", login, JOSEObjectType.JWT.getType(), List.of("hypertube-github"),
                claims, 3600));
        page.navigate(url("/login"));
        page.click("#oauth-github");
    }

    @Test
    void anAccountMadeWithSomeoneElsesAddressDoesNotReceiveTheirProviderSignIn() {
        Person victim = Person.fresh();
        // The attacker signs up first, with the victim's address they cannot read.
        Person attacker = new Person(uniqueName("at"), victim.email(), "copper-meadow-9911");
        Page attackerPage = browser.open(1280, 800, "en-US");
        register(attackerPage, attacker);
        assertThat(attackerPage.locator("#verify-banner")).isVisible();
        attackerPage.context().close();

        // The victim arrives through GitHub, which vouches for the address: a new account, not the attacker's.
        Page page = browser.open(1280, 800, "en-US");
        signInWithGithub(page, victim.username(), victim.email());
        page.waitForURL(url("/signup/oauth"));
        assertThat(page.locator("#email")).hasValue("");
        page.fill("#email", "other-" + victim.email());
        page.click("main button[type=submit]");
        page.waitForURL(url("/"));
        assertThat(page.locator("header .menu summary")).containsText(victim.username().toLowerCase());
        assertThat(page.locator("header .menu summary")).not().containsText(attacker.username());
        page.context().close();
    }

    @Test
    void theOwnerResettingThePasswordEndsTheProviderIdentityAnEarlierSignUpAttached() throws Exception {
        Person victim = Person.fresh();
        String attackerLogin = uniqueName("gh");
        // The attacker signs up through GitHub, which gives no address, and types the victim's.
        Page page = browser.open(1280, 800, "en-US");
        signInWithGithub(page, attackerLogin, null);
        page.waitForURL(url("/signup/oauth"));
        page.fill("#email", victim.email());
        page.click("main button[type=submit]");
        page.waitForURL(url("/"));
        page.context().close();

        resetByMail(victim.email(), "brass-lighthouse-4410");

        // The attacker's GitHub account is a stranger to Hypertube now: it is asked to sign up, not let in.
        Page again = browser.open(1280, 800, "en-US");
        signInWithGithub(again, attackerLogin, null);
        again.waitForURL(url("/signup/oauth"));
        again.context().close();
    }
}
