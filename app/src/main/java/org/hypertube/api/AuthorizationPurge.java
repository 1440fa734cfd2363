package org.hypertube.api;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcOperations;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Deletes the authorization server's authorizations whose every token has expired (every client-credentials
 * token adds one; nothing else removes them), and those that never got a token (a consent begun and left) a
 * day after they began. One DELETE that deletes only what no instance can use any more, so every instance
 * may run it, in any order, without a lock: a second run finds nothing. A grace of a few minutes past expiry
 * keeps an instance whose clock runs ahead from deleting a token another still accepts.
 */
@Component
class AuthorizationPurge {

    private static final Logger log = LoggerFactory.getLogger(AuthorizationPurge.class);
    static final Duration CLOCK_GRACE = Duration.ofMinutes(5);
    static final Duration UNFINISHED = Duration.ofDays(1);

    private final JdbcOperations jdbc;
    private final Clock clock;

    AuthorizationPurge(JdbcOperations jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    @Scheduled(fixedDelayString = "PT1H", initialDelayString = "PT10M")
    void scheduled() {
        purge(clock.instant());
    }

    int purge(Instant now) {
        Timestamp expired = Timestamp.from(now.minus(CLOCK_GRACE));
        Timestamp begun = Timestamp.from(now.minus(UNFINISHED));
        int purged = jdbc.update("""
                delete from oauth2_authorization
                where (authorization_code_expires_at is null or authorization_code_expires_at < ?)
                  and (access_token_expires_at is null or access_token_expires_at < ?)
                  and (refresh_token_expires_at is null or refresh_token_expires_at < ?)
                  and (oidc_id_token_expires_at is null or oidc_id_token_expires_at < ?)
                  and (user_code_expires_at is null or user_code_expires_at < ?)
                  and (device_code_expires_at is null or device_code_expires_at < ?)
                  and (saved_at < ? or coalesce(authorization_code_expires_at, access_token_expires_at, refresh_token_expires_at,
                       oidc_id_token_expires_at, user_code_expires_at, device_code_expires_at) is not null)
                """, expired, expired, expired, expired, expired, expired, begun);
        if (purged > 0) {
            log.info("purged {} expired OAuth2 authorization(s)", purged);
        }
        return purged;
    }
}
