package org.hypertube.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import jakarta.mail.Message;
import java.util.regex.Pattern;
import org.hypertube.AppTestBase;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.test.web.servlet.MockMvc;

/**
 * Issue 19, items 1, 4 and 5 through the web layer on PostgreSQL with GreenMail: the current password
 * before a new e-mail or password, other sessions ended by a password change, the administrator list
 * applied at start-up and not at sign-up, the members page, e-mail verification, and a sign-up that
 * does not tell whether an address is registered.
 */
class AccountSecurityWebTest extends AppTestBase {

    @Autowired
    MockMvc mvc;
    @Autowired
    AdminList adminList;
    @Autowired
    JdbcTemplate jdbc;

    record Person(String username, String email, String password) {
        static Person fresh(String prefix) {
            String username = uniqueName(prefix);
            return new Person(username, username + "@example.org", "violet-harbour-" + username.substring(2, 6));
        }
    }

    void signUp(Person p) throws Exception {
        mvc.perform(post("/register").with(csrf()).param("email", p.email()).param("username", p.username())
                        .param("firstName", "Pat").param("lastName", "Doe").param("password", p.password()))
                .andExpect(redirectedUrl("/login?registered"));
    }

    MockHttpSession signIn(String username, String password) throws Exception {
        var session = new MockHttpSession();
        mvc.perform(post("/login").session(session).with(csrf()).param("username", username).param("password", password))
                .andExpect(redirectedUrl("/"));
        return session;
    }

    long id(String username) {
        return jdbc.queryForObject("select id from members where username = ?", Long.class, username);
    }

    String page(String path, MockHttpSession session) throws Exception {
        return mvc.perform(get(path).session(session)).andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
    }

    /** Whether the session is still signed in: the library answers, rather than a redirect to sign in. */
    boolean signedIn(MockHttpSession session) throws Exception {
        return mvc.perform(get("/").session(session)).andReturn().getResponse().getStatus() == 200;
    }

    /** The body of the newest mail to this address whose text matches, waiting for it to arrive. */
    String mailTo(String email, String containing) throws Exception {
        long deadline = System.nanoTime() + 15_000_000_000L;
        while (System.nanoTime() < deadline) {
            String found = null;
            for (var message : MAIL.getReceivedMessages()) {
                boolean toThem = message.getRecipients(Message.RecipientType.TO)[0].toString().equalsIgnoreCase(email);
                if (toThem && ((String) message.getContent()).contains(containing)) {
                    found = (String) message.getContent();
                }
            }
            if (found != null) {
                return found;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no mail containing " + containing + " reached " + email);
    }

    String verifyToken(String email) throws Exception {
        var link = Pattern.compile("http://\\S+/email/verify\\?token=([A-Za-z0-9_-]+)").matcher(mailTo(email, "/email/verify?token="));
        assertThat(link.find()).isTrue();
        return link.group(1);
    }

    @Test
    void signingUpWithARegisteredEmailGetsTheSameAnswerAndTheOwnerIsToldByMail() throws Exception {
        Person owner = Person.fresh("ow");
        signUp(owner);
        Person prober = Person.fresh("pr");
        var answer = mvc.perform(post("/register").with(csrf()).param("email", owner.email().toUpperCase())
                        .param("username", prober.username()).param("firstName", "Pro").param("lastName", "Ber")
                        .param("password", prober.password()))
                .andExpect(redirectedUrl("/login?registered")).andReturn().getResponse();
        assertThat(answer.getContentAsString()).isEmpty();
        // Nothing was made under the prober's name, and the address's owner heard of it.
        mvc.perform(post("/login").with(csrf()).param("username", prober.username()).param("password", prober.password()))
                .andExpect(redirectedUrl("/login?error"));
        assertThat(mailTo(owner.email(), "/password/forgot")).contains("No account was created");
        assertThat(mvc.perform(get("/login?registered")).andReturn().getResponse().getContentAsString())
                .contains("Check your mailbox");
    }

    @Test
    void aNewEmailNeedsTheCurrentPasswordAndIsVerifiedByASingleUseLinkForThatMember() throws Exception {
        Person p = Person.fresh("ve");
        signUp(p);
        MockHttpSession session = signIn(p.username(), p.password());
        long id = id(p.username());
        // Unverified: the banner asks, on every page.
        assertThat(page("/", session)).contains("id=\"verify-banner\"");
        String signupToken = verifyToken(p.email());

        String newEmail = "new-" + p.email();
        String body = mvc.perform(post("/users/" + id + "/edit").session(session).with(csrf()).param("email", newEmail)
                        .param("username", p.username()).param("firstName", "Pat").param("lastName", "Doe").param("language", "en"))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        assertThat(body).contains("Give your current password to change this.");
        body = mvc.perform(post("/users/" + id + "/edit").session(session).with(csrf()).param("email", newEmail)
                        .param("username", p.username()).param("firstName", "Pat").param("lastName", "Doe").param("language", "en")
                        .param("currentPassword", "not-the-password"))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        assertThat(body).contains("The current password is not right.");
        assertThat(jdbc.queryForObject("select email from members where id = ?", String.class, id)).isEqualTo(p.email());

        mvc.perform(post("/users/" + id + "/edit").session(session).with(csrf()).param("email", newEmail)
                        .param("username", p.username()).param("firstName", "Pat").param("lastName", "Doe").param("language", "en")
                        .param("currentPassword", p.password()))
                .andExpect(redirectedUrl("/users/" + id + "/edit"));
        String changeToken = verifyToken(newEmail);
        // The sign-up link was for the old address: it confirms nothing now.
        mvc.perform(get("/email/verify").param("token", signupToken).session(session))
                .andExpect(flash().attribute("verifyError", "verify.invalid"));
        // The link works only for the member it was sent to.
        Person other = Person.fresh("vo");
        signUp(other);
        mvc.perform(get("/email/verify").param("token", changeToken).session(signIn(other.username(), other.password())))
                .andExpect(flash().attribute("verifyError", "verify.invalid"));
        mvc.perform(get("/email/verify").param("token", changeToken).session(session))
                .andExpect(flash().attribute("saved", "verify.done"));
        assertThat(page("/", session)).doesNotContain("id=\"verify-banner\"");
        // Once only.
        mvc.perform(get("/email/verify").param("token", changeToken).session(session))
                .andExpect(flash().attribute("verifyError", "verify.invalid"));
    }

    @Test
    void aPasswordChangeEndsTheMembersOtherSessionsButNotTheOneThatChangedIt() throws Exception {
        Person p = Person.fresh("se");
        signUp(p);
        long id = id(p.username());
        MockHttpSession laptop = signIn(p.username(), p.password());
        MockHttpSession phone = signIn(p.username(), p.password());
        MockHttpSession library = signIn(p.username(), p.password());
        assertThat(signedIn(phone)).isTrue();

        mvc.perform(post("/users/" + id + "/password").session(laptop).with(csrf())
                        .param("currentPassword", p.password()).param("password", "amber-kettle-7731"))
                .andExpect(redirectedUrl("/users/" + id + "/edit"));
        mvc.perform(get("/").session(phone)).andExpect(redirectedUrl("/login?ended"));
        assertThat(signedIn(phone)).isFalse();
        assertThat(signedIn(library)).isFalse();
        assertThat(signedIn(laptop)).isTrue();

        // A reset by mail ends them all, the newest too.
        MockHttpSession fresh = signIn(p.username(), "amber-kettle-7731");
        MAIL.purgeEmailFromAllMailboxes();
        mvc.perform(post("/password/forgot").with(csrf()).param("login", p.username())).andExpect(status().is3xxRedirection());
        var link = Pattern.compile("/password/reset\\?token=([A-Za-z0-9_-]+)").matcher(mailTo(p.email(), "/password/reset"));
        assertThat(link.find()).isTrue();
        mvc.perform(post("/password/reset").with(csrf()).param("token", link.group(1)).param("password", "brass-lighthouse-4410"))
                .andExpect(redirectedUrl("/login?reset="));
        assertThat(signedIn(fresh)).isFalse();
        assertThat(signedIn(laptop)).isFalse();
    }

    @Test
    void aListedUsernameSignsUpAsAPlainMemberAndIsPromotedOnlyByTheListAtStartUp() throws Exception {
        signUp(Person.fresh("zz")); // so that the listed name is not the first account, an administrator anyway
        Person listed = new Person(LISTED_ADMIN, LISTED_ADMIN + "@example.org", "violet-harbour-chief");
        signUp(listed);
        MockHttpSession session = signIn(listed.username(), listed.password());
        mvc.perform(get("/admin/members").session(session)).andExpect(status().isForbidden());
        assertThat(jdbc.queryForObject("select admin from members where username = ?", Boolean.class, listed.username())).isFalse();

        adminList.apply(); // what runs at every start-up
        assertThat(signedIn(session)).isFalse(); // the old session knew the old role
        session = signIn(listed.username(), listed.password());
        assertThat(page("/admin/members", session)).contains(listed.username());

        // On the members page it promotes another member, with the CSRF token only.
        Person helper = Person.fresh("hp");
        signUp(helper);
        long helperId = id(helper.username());
        MockHttpSession helperSession = signIn(helper.username(), helper.password());
        mvc.perform(post("/admin/members/" + helperId + "/role").session(session).param("admin", "true"))
                .andExpect(status().isForbidden());
        mvc.perform(post("/admin/members/" + helperId + "/role").session(helperSession).with(csrf()).param("admin", "true"))
                .andExpect(status().isForbidden());
        mvc.perform(post("/admin/members/" + helperId + "/role").session(session).with(csrf()).param("admin", "true"))
                .andExpect(flash().attribute("saved", "members.promoted"));
        assertThat(signedIn(helperSession)).isFalse();
        helperSession = signIn(helper.username(), helper.password());
        assertThat(page("/admin/members", helperSession)).contains(helper.username());

        // The first account stays an administrator.
        long first = jdbc.queryForObject("select min(id) from members", Long.class);
        mvc.perform(post("/admin/members/" + first + "/role").session(helperSession).with(csrf()).param("admin", "false"))
                .andExpect(flash().attribute("roleError", "admin.firstStays"));
        assertThat(jdbc.queryForObject("select admin from members where id = ?", Boolean.class, first)).isTrue();

        // One may step down while others remain; this session goes on without the role.
        mvc.perform(post("/admin/members/" + helperId + "/role").session(helperSession).with(csrf()).param("admin", "false"))
                .andExpect(redirectedUrl("/"));
        mvc.perform(get("/admin/members").session(helperSession)).andExpect(status().isForbidden());
        assertThat(signedIn(helperSession)).isTrue();
    }
}
