package org.hypertube.account;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A reset link's token, stored only as its SHA-256 so a leaked table cannot be used. */
@Entity
@Table(name = "password_reset_tokens")
class PasswordResetToken {

    @Id
    private String tokenHash;
    private Long memberId;
    private Instant expiresAt;
    private Instant usedAt;

    protected PasswordResetToken() {
    }

    PasswordResetToken(String tokenHash, Long memberId, Instant expiresAt) {
        this.tokenHash = tokenHash;
        this.memberId = memberId;
        this.expiresAt = expiresAt;
    }

    Long memberId() { return memberId; }

    boolean usableAt(Instant now) {
        return usedAt == null && now.isBefore(expiresAt);
    }

    void useAt(Instant now) { this.usedAt = now; }
}
