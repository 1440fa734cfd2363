package org.hypertube.account;

import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** One provider account (42, GitHub, Google ...) linked to a member. */
@Entity
@Table(name = "oauth_identities")
class OAuthIdentity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;
    private String provider;
    private String subject;
    private Long memberId;
    private Instant createdAt;

    protected OAuthIdentity() {
    }

    OAuthIdentity(String provider, String subject, Long memberId, Instant createdAt) {
        this.provider = provider;
        this.subject = subject;
        this.memberId = memberId;
        this.createdAt = createdAt;
    }

    Long memberId() { return memberId; }
}
