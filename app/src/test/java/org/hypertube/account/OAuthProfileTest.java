package org.hypertube.account;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OAuthProfileTest {

    @Test
    void readsA42ProfileInItsDocumentedShape() {
        Map<String, Object> me = new HashMap<>(Map.of("id", 94532, "email", "eabdelha@student.1337.ma", "login", "eabdelha",
                "first_name", "El mahdi", "last_name", "Abdelhadi"));
        me.put("image", null);
        var p = ProviderProfile.from("intra42", me);
        assertThat(p).isEqualTo(new ProviderProfile("intra42", "94532", "eabdelha@student.1337.ma", true, "eabdelha",
                "El mahdi", "Abdelhadi"));
    }

    @Test
    void aGithubProfileWithAPrivateEmailHasNone() {
        Map<String, Object> user = new HashMap<>(Map.of("id", 1, "login", "octocat", "name", "monalisa octocat"));
        user.put("email", null);
        var p = ProviderProfile.from("github", user);
        assertThat(p.email()).isNull();
        assertThat(p.emailVerified()).isFalse();
        assertThat(p.firstName()).isEqualTo("monalisa");
        assertThat(p.lastName()).isEqualTo("octocat");
    }

    @Test
    void googleVouchesForAnEmailOnlyWhenItSaysSo() {
        var p = ProviderProfile.from("google", Map.of("sub", "1097", "email", "ann@example.com", "email_verified", false,
                "given_name", "Ann", "family_name", "Lee"));
        assertThat(p.emailVerified()).isFalse();
        assertThat(p.login()).isEqualTo("ann");
    }

    @Test
    void overlongFieldsAreCut() {
        var p = ProviderProfile.from("intra42", Map.of("id", 7, "login", "x".repeat(500), "first_name", "y".repeat(500)));
        assertThat(p.login()).hasSize(30);
        assertThat(p.firstName()).hasSize(100);
    }

    @Test
    void suggestsAFreeUsernameNearTheProvidersLogin() {
        assertThat(Usernames.suggest("Oct Ocat!", name -> true)).isEqualTo("octocat");
        assertThat(Usernames.suggest("octocat", name -> !name.equals("octocat"))).isEqualTo("octocat2");
        assertThat(Usernames.suggest(null, name -> true)).matches(Usernames.PATTERN);
    }

    @Test
    void theLanguageSwitcherOnlyRedirectsWithinTheSite() {
        assertThat(LanguageController.localPath("/users/3?x=1")).isEqualTo("/users/3?x=1");
        assertThat(LanguageController.localPath("//evil.example")).isEqualTo("/");
        assertThat(LanguageController.localPath("https://evil.example")).isEqualTo("/");
        assertThat(LanguageController.localPath("/\\evil.example")).isEqualTo("/");
    }
}
