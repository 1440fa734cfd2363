package org.hypertube.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import jakarta.mail.internet.MimeMessage;
import java.util.Arrays;
import java.util.regex.Pattern;
import org.hypertube.AppTestBase;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.test.web.servlet.MockMvc;

/** Accounts as a person and an attacker meet them, through the real web layer on PostgreSQL. */
class AccountWebTest extends AppTestBase {

    @Autowired
    MockMvc mvc;

    record Registered(String username, String email, String password, long id, MockHttpSession session) {
    }

    Registered register(String firstName) throws Exception {
        String username = uniqueName("m");
        String email = username + "@example.org";
        String password = "violet-harbour-" + username.substring(1, 5);
        var session = new MockHttpSession();
        mvc.perform(post("/register").session(session).with(csrf())
                        .param("email", email).param("username", username)
                        .param("firstName", firstName).param("lastName", "Doe").param("password", password))
                .andExpect(status().is3xxRedirection()).andExpect(redirectedUrl("/login?registered"));
        mvc.perform(post("/login").session(session).with(csrf()).param("username", username).param("password", password))
                .andExpect(redirectedUrl("/"));
        String location = mvc.perform(get("/profile").session(session)).andExpect(status().is3xxRedirection())
                .andReturn().getResponse().getRedirectedUrl();
        long id = Long.parseLong(location.replaceAll("^/users/(\\d+)/edit$", "$1"));
        return new Registered(username, email, password, id, session);
    }

    String page(String path, MockHttpSession session) throws Exception {
        return mvc.perform(get(path).session(session)).andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
    }

    @Test
    void aFormPostWithoutCsrfTokenIsRefusedAndCreatesNothing() throws Exception {
        String username = uniqueName("nocsrf");
        mvc.perform(post("/register").param("email", username + "@example.org").param("username", username)
                        .param("firstName", "A").param("lastName", "B").param("password", "violet-harbour-92"))
                .andExpect(status().isForbidden());
        mvc.perform(post("/login").with(csrf()).param("username", username).param("password", "violet-harbour-92"))
                .andExpect(redirectedUrl("/login?error"));
    }

    @Test
    void registrationErrorsAppearBesideTheirFields() throws Exception {
        Registered existing = register("Ada");
        String fresh = uniqueName("eve");
        String body = mvc.perform(post("/register").with(csrf())
                        .param("email", fresh + "@example.org").param("username", fresh)
                        .param("firstName", "Eve").param("lastName", "Doe").param("password", "sunshine1"))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        assertThat(body).contains("id=\"password-error\"").contains("This password is too common");
        body = mvc.perform(post("/register").with(csrf())
                        .param("email", existing.email().toUpperCase()).param("username", existing.username().toUpperCase())
                        .param("firstName", "Eve").param("lastName", "Doe").param("password", "quiet-lantern-river"))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        assertThat(body).contains("id=\"username-error\"").contains("This username is taken.");
        body = mvc.perform(post("/register").with(csrf()).header("Accept-Language", "fr-FR,fr;q=0.9")
                        .param("email", "not-an-address").param("username", "x").param("firstName", "")
                        .param("lastName", "Doe").param("password", "short"))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        assertThat(body).contains("Ce n&#39;est pas une adresse e-mail.").contains("Utilisez 3 à 30 lettres")
                .contains("Veuillez remplir ce champ.");
    }

    @Test
    void aMemberCannotSeeOrChangeAnotherMembersSettings() throws Exception {
        Registered alice = register("Alice");
        Registered bob = register("Bob");
        mvc.perform(get("/users/" + bob.id() + "/edit").session(alice.session())).andExpect(status().isForbidden());
        mvc.perform(post("/users/" + bob.id() + "/edit").session(alice.session()).with(csrf())
                        .param("email", "stolen@example.org").param("username", "stolen" + bob.id())
                        .param("firstName", "X").param("lastName", "Y").param("language", "en"))
                .andExpect(status().isForbidden());
        mvc.perform(post("/users/" + bob.id() + "/password").session(alice.session()).with(csrf())
                        .param("currentPassword", "").param("password", "quiet-lantern-river"))
                .andExpect(status().isForbidden());
        assertThat(page("/users/" + bob.id(), alice.session())).contains(bob.username()).doesNotContain("stolen");
        // Bob's password still works.
        mvc.perform(post("/login").with(csrf()).param("username", bob.username()).param("password", bob.password()))
                .andExpect(redirectedUrl("/"));
    }

    @Test
    void markupInANameIsShownAsText() throws Exception {
        Registered mallory = register("<script>alert(1)</script>");
        Registered viewer = register("Viewer");
        String body = page("/users/" + mallory.id(), viewer.session());
        assertThat(body).contains("&lt;script&gt;alert(1)&lt;/script&gt;").doesNotContain("<script>alert(1)");
    }

    @Test
    void anotherMembersProfileNeverShowsTheirEmail() throws Exception {
        Registered carol = register("Carol");
        Registered dave = register("Dave");
        String body = page("/users/" + carol.id(), dave.session());
        assertThat(body).contains(carol.username()).contains("Carol").doesNotContain(carol.email());
        assertThat(page("/users/" + carol.id() + "/edit", carol.session())).contains(carol.email());
    }

    @Test
    void onlySignedInPeopleSeeAnythingButTheAccountPages() throws Exception {
        Registered erin = register("Erin");
        for (String path : new String[] {"/", "/users/" + erin.id(), "/users/" + erin.id() + "/picture", "/profile"}) {
            mvc.perform(get(path)).andExpect(status().is3xxRedirection()).andExpect(redirectedUrl("/login"));
        }
        for (String path : new String[] {"/login", "/register", "/password/forgot"}) {
            mvc.perform(get(path)).andExpect(status().isOk());
        }
    }

    @Test
    void repeatedFailedLoginsAreSlowedDownEvenForTheRightPassword() throws Exception {
        Registered frank = register("Frank");
        String address = "192.0.2." + (frank.id() % 200 + 1);
        for (int i = 0; i < LoginThrottle.FREE_FAILURES + 1; i++) {
            mvc.perform(post("/login").with(csrf()).with(r -> { r.setRemoteAddr(address); return r; })
                            .param("username", frank.username()).param("password", "wrong-" + i))
                    .andExpect(redirectedUrl("/login?error"));
        }
        mvc.perform(post("/login").with(csrf()).with(r -> { r.setRemoteAddr(address); return r; })
                        .param("username", frank.username()).param("password", frank.password()))
                .andExpect(redirectedUrl("/login?locked"));
        assertThat(mvc.perform(get("/login?locked")).andReturn().getResponse().getContentAsString())
                .contains("Too many failed attempts");
    }

    @Test
    void aResetLinkWorksOnceAndUnknownAddressesGetTheSameAnswer() throws Exception {
        Registered grace = register("Grace");
        MAIL.purgeEmailFromAllMailboxes();
        String known = mvc.perform(post("/password/forgot").with(csrf()).param("login", grace.email().toUpperCase()))
                .andExpect(redirectedUrl("/password/forgot")).andReturn().getResponse().getContentAsString();
        String unknown = mvc.perform(post("/password/forgot").with(csrf()).param("login", "nobody-" + grace.email()))
                .andExpect(redirectedUrl("/password/forgot")).andReturn().getResponse().getContentAsString();
        assertThat(unknown).isEqualTo(known);

        assertThat(MAIL.waitForIncomingEmail(10_000, 1)).isTrue();
        MimeMessage mail = Arrays.stream(MAIL.getReceivedMessages()).filter(m -> {
            try {
                return m.getAllRecipients()[0].toString().equals(grace.email());
            } catch (Exception e) {
                return false;
            }
        }).findFirst().orElseThrow();
        var link = Pattern.compile("http://\\S+/password/reset\\?token=([A-Za-z0-9_-]+)").matcher((String) mail.getContent());
        assertThat(link.find()).isTrue();
        String token = link.group(1);

        assertThat(mvc.perform(get("/password/reset").param("token", token)).andReturn().getResponse().getContentAsString())
                .contains("name=\"password\"");
        mvc.perform(post("/password/reset").with(csrf()).param("token", token).param("password", "amber-kettle-7731"))
                .andExpect(redirectedUrl("/login?reset="));
        mvc.perform(post("/login").with(csrf()).param("username", grace.username()).param("password", "amber-kettle-7731"))
                .andExpect(redirectedUrl("/"));
        mvc.perform(post("/login").with(csrf()).param("username", grace.username()).param("password", grace.password()))
                .andExpect(redirectedUrl("/login?error"));
        // The same link a second time is refused and changes nothing.
        assertThat(mvc.perform(post("/password/reset").with(csrf()).param("token", token).param("password", "other-kettle-8842"))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString())
                .contains("no longer valid");
    }

    @Test
    void aWrongCurrentPasswordIsShownBesideItsFieldAndChangesNothing() throws Exception {
        Registered hank = register("Hank");
        String body = mvc.perform(post("/users/" + hank.id() + "/password").session(hank.session()).with(csrf())
                        .param("currentPassword", "not-my-password").param("password", "quiet-lantern-river"))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        assertThat(body).contains("The current password is not right.");
        mvc.perform(post("/login").with(csrf()).param("username", hank.username()).param("password", hank.password()))
                .andExpect(redirectedUrl("/"));
    }
    @Test
    void aPasswordLongerThanBcryptsSeventyTwoBytesIsRefusedWithAMessageNotAnError() throws Exception {
        String tooLong = "quiet-lantern-river-".repeat(3) + "x".repeat(10) + "\u20ac"; // 70 ASCII + 3 bytes = 73 bytes
        String longest = "quiet-lantern-river-".repeat(3) + "x".repeat(12); // 72 bytes
        String message = "Use at most 72 bytes";
        String username = uniqueName("long");
        String body = mvc.perform(post("/register").with(csrf())
                        .param("email", username + "@example.org").param("username", username)
                        .param("firstName", "Lea").param("lastName", "Long").param("password", tooLong))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        assertThat(body).contains(message);
        mvc.perform(post("/register").with(csrf())
                        .param("email", username + "@example.org").param("username", username)
                        .param("firstName", "Lea").param("lastName", "Long").param("password", longest))
                .andExpect(redirectedUrl("/login?registered"));
        mvc.perform(post("/login").with(csrf()).param("username", username).param("password", longest))
                .andExpect(redirectedUrl("/"));

        Registered ivy = register("Ivy");
        body = mvc.perform(post("/users/" + ivy.id() + "/password").session(ivy.session()).with(csrf())
                        .param("currentPassword", ivy.password()).param("password", tooLong))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        assertThat(body).contains(message);
        mvc.perform(post("/users/" + ivy.id() + "/password").session(ivy.session()).with(csrf())
                        .param("currentPassword", ivy.password()).param("password", longest))
                .andExpect(status().is3xxRedirection());
        mvc.perform(post("/login").with(csrf()).param("username", ivy.username()).param("password", longest))
                .andExpect(redirectedUrl("/"));

        // A reset link leads to the same rule.
        MAIL.purgeEmailFromAllMailboxes();
        mvc.perform(post("/password/forgot").with(csrf()).param("login", ivy.email())).andExpect(status().is3xxRedirection());
        String token = resetToken(ivy.email());
        body = mvc.perform(post("/password/reset").with(csrf()).param("token", token).param("password", tooLong))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        assertThat(body).contains(message);
    }

    /** The token of the newest reset link mailed to this address. */
    String resetToken(String email) throws Exception {
        assertThat(MAIL.waitForIncomingEmail(10_000, 1)).isTrue();
        MimeMessage mail = Arrays.stream(MAIL.getReceivedMessages()).filter(m -> {
            try {
                return m.getAllRecipients()[0].toString().equals(email);
            } catch (Exception e) {
                return false;
            }
        }).reduce((a, b) -> b).orElseThrow();
        var link = Pattern.compile("http://\\S+/password/reset\\?token=([A-Za-z0-9_-]+)").matcher((String) mail.getContent());
        assertThat(link.find()).isTrue();
        return link.group(1);
    }
    @Test
    void aFourthResetMailWithinTheHourIsNotSentButTheAnswerIsTheSame() throws Exception {
        Registered jo = register("Jo");
        Registered marker = register("Kim");
        MAIL.purgeEmailFromAllMailboxes();
        // By e-mail or by username, it is the same account.
        for (String login : new String[] {jo.email(), jo.username(), jo.email().toUpperCase(), jo.email()}) {
            mvc.perform(post("/password/forgot").with(csrf()).param("login", login))
                    .andExpect(redirectedUrl("/password/forgot")).andExpect(flash().attribute("sent", true));
        }
        // Another member's mail, asked for last, shows the mails have gone out.
        mvc.perform(post("/password/forgot").with(csrf()).param("login", marker.email()))
                .andExpect(redirectedUrl("/password/forgot")).andExpect(flash().attribute("sent", true));
        assertThat(MAIL.waitForIncomingEmail(10_000, 4)).isTrue();
        Thread.sleep(1000);
        assertThat(mailsTo(jo.email())).isEqualTo(3);
        assertThat(mailsTo(marker.email())).isEqualTo(1);
    }

    long mailsTo(String email) {
        return Arrays.stream(MAIL.getReceivedMessages()).filter(m -> {
            try {
                return m.getAllRecipients()[0].toString().equals(email);
            } catch (Exception e) {
                return false;
            }
        }).count();
    }
}
