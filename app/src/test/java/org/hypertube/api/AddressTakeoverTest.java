package org.hypertube.api;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.FormData;
import com.microsoft.playwright.options.RequestOptions;
import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.id.ClientID;
import java.net.URI;
import org.junit.jupiter.api.Test;

/**
 * Account pre-hijacking through API clients: a client acts for its member, so only a confirmed address
 * makes one, and the owner of an address taking the account back ends the clients made before.
 */
class AddressTakeoverTest extends ApiProgramTestBase {

    @Test
    void aMemberWhoseAddressIsUnconfirmedMakesNoApiClient() {
        Person person = Person.fresh();
        Page page = browser.open(1280, 800, "en-US");
        register(page, person);
        page.navigate(url("/settings/api-clients"));
        assertThat(page.locator("#clients-unverified")).containsText("Confirm your e-mail address before making an API client");
        assertThat(page.locator("#client-name")).hasCount(0);
        // A program posting the form anyway is refused too.
        String csrf = page.locator("input[name=_csrf]").first().getAttribute("value");
        var answer = page.request().post(url("/settings/api-clients"),
                RequestOptions.create().setForm(FormData.create().set("_csrf", csrf).set("name", "Sneaky")));
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.text()).doesNotContain("new-client-secret");
        page.context().close();
        assertThat(jdbc.queryForObject("select count(*) from api_clients c join members m on m.id = c.member_id where m.username = ?",
                Integer.class, person.username())).isZero();
    }

    @Test
    void theOwnerOfTheAddressResettingThePasswordEndsTheClientsMadeBefore() throws Exception {
        Key attacker = memberKey(false);
        Person victim = Person.fresh();
        // The attacker moves their account (with its client) to the victim's address, which they cannot read.
        var moved = call("PATCH", "/api/users/" + attacker.memberId(), token(attacker),
                "{\"email\":\"" + victim.email() + "\",\"currentPassword\":\"" + attacker.password() + "\"}");
        assertThat(moved.statusCode()).as(moved.body()).isEqualTo(200);
        token(attacker); // the client still works

        resetByMail(victim.email(), "brass-lighthouse-4410");
        Page page = browser.open(1280, 800, "en-US");
        logIn(page, attacker.username(), "brass-lighthouse-4410");
        page.navigate(url("/settings/api-clients"));
        assertThat(page.locator("#clients-unverified")).hasCount(0); // the reset link proved the address
        page.context().close();

        var request = new TokenRequest(URI.create(url("/oauth/token")), new ClientSecretBasic(new ClientID(attacker.clientId()),
                new Secret(attacker.secret())), new ClientCredentialsGrant(), null);
        TokenResponse response = TokenResponse.parse(request.toHTTPRequest().send());
        assertThat(response.indicatesSuccess()).isFalse();
    }
}
