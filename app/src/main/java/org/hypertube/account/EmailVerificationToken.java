package org.hypertube.account;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A link confirming one address of one member, stored only as its SHA-256. */
@Entity
@Table(name = "email_verification_tokens")
class EmailVerificationToken {

    @Id
    private String tokenHash;
    private Long memberId;
    private String emailKey;
    private Instant expiresAt;
    private Instant usedAt;

    protected EmailVerificationToken() {
    }

    EmailVerificationToken(String tokenHash, Long memberId, String emailKey, Instant expiresAt) {
        this.tokenHash = tokenHash;
        this.memberId = memberId;
        this.emailKey = emailKey;
        this.expiresAt = expiresAt;
    }

    Long memberId() { return memberId; }

    String emailKey() { return emailKey; }

    boolean usableAt(Instant now) {
        return usedAt == null && now.isBefore(expiresAt);
    }

    void useAt(Instant now) { this.usedAt = now; }
}
