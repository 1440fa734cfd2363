package org.hypertube.account;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PasswordPolicyTest {

    static final PasswordPolicy POLICY = new PasswordPolicy();

    String problem(String password) {
        return POLICY.problem(password, "jdoe42", "john.doe@example.org").orElse(null);
    }

    @Test
    void refusesShortAndOverlongPasswords() {
        assertThat(problem("a1b2c3d")).isEqualTo("password.tooShort");
        assertThat(problem("x".repeat(129))).isEqualTo("password.tooLong");
        // bcrypt's limit is 72 bytes of UTF-8, not 72 characters.
        assertThat(problem("quiet-lantern-" + "x".repeat(56) + "\u20ac")).isEqualTo("password.tooLong");
        assertThat(problem("quiet-lantern-" + "x".repeat(58))).isNull();
    }

    @Test
    void refusesCommonPasswordsAndEnglishAndFrenchWords() {
        assertThat(problem("password")).isEqualTo("password.common");
        assertThat(problem("Password1")).isEqualTo("password.common");
        assertThat(problem("qwertyuiop")).isEqualTo("password.common");
        assertThat(problem("elephant")).isEqualTo("password.common");
        assertThat(problem("papillon")).isEqualTo("password.common");
        assertThat(problem("Chocolat2024!")).isEqualTo("password.common");
        assertThat(problem("aujourd'hui")).isNull(); // not a single word of the list: the apostrophe makes it longer
    }

    @Test
    void refusesPasswordsMadeOfTheUsernameOrEmail() {
        assertThat(problem("jdoe42jdoe42")).isEqualTo("password.likeIdentity");
        assertThat(problem("john.doe@example.org")).isEqualTo("password.likeIdentity");
        assertThat(problem("john.doe!!")).isEqualTo("password.likeIdentity");
    }

    @Test
    void acceptsALongUncommonPassphrase() {
        assertThat(problem("violet harbour lantern")).isNull();
        assertThat(problem("Zq7#mLp2vR")).isNull();
    }
}
