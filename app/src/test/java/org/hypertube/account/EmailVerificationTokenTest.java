package org.hypertube.account;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** A verification link works until it expires, and only once. */
class EmailVerificationTokenTest {

    @Test
    void aLinkWorksUntilItExpiresAndOnlyOnce() {
        Instant sent = Instant.parse("2026-03-01T10:00:00Z");
        var token = new EmailVerificationToken(SecretTokens.hash("t"), 7L, "a@example.org", sent.plus(Duration.ofHours(48)));
        assertThat(token.usableAt(sent.plus(Duration.ofHours(47)))).isTrue();
        assertThat(token.usableAt(sent.plus(Duration.ofHours(48)))).isFalse();
        token.useAt(sent.plus(Duration.ofHours(1)));
        assertThat(token.usableAt(sent.plus(Duration.ofHours(2)))).isFalse();
    }

    @Test
    void onlyItsHashIsKeptAndImplausibleTokensAreNotLookedUp() {
        String token = SecretTokens.newToken();
        assertThat(SecretTokens.hash(token)).hasSize(64).doesNotContain(token);
        assertThat(SecretTokens.plausible(token)).isTrue();
        assertThat(SecretTokens.plausible("x".repeat(101))).isFalse();
        assertThat(SecretTokens.plausible(" ")).isFalse();
    }
}
