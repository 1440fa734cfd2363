package org.hypertube.account;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Slows down password guessing, per account and per client address: after {@value #FREE_FAILURES}
 * failures each further one locks that key for twice as long as the last, up to {@link #MAX_LOCK}.
 * A successful login clears the account's count. Kept in memory (bounded), so it resets on restart.
 */
@Component
class LoginThrottle {

    static final int FREE_FAILURES = 5;
    static final Duration MAX_LOCK = Duration.ofMinutes(15);
    private static final Logger log = LoggerFactory.getLogger(LoginThrottle.class);

    private record Failures(int count, Instant lockedUntil) {
    }

    private final Clock clock;
    private final Cache<String, Failures> failures = Caffeine.newBuilder()
            .maximumSize(100_000)
            .expireAfterAccess(Duration.ofHours(1))
            .build();

    LoginThrottle(Clock clock) {
        this.clock = clock;
    }

    /** How long the caller must still wait before trying this username from this address; zero when free. */
    Duration waitFor(String username, String address) {
        Instant now = clock.instant();
        Duration wait = Duration.ZERO;
        for (String key : keys(username, address)) {
            Failures f = failures.getIfPresent(key);
            if (f != null && f.lockedUntil().isAfter(now)) {
                Duration left = Duration.between(now, f.lockedUntil());
                if (left.compareTo(wait) > 0) {
                    wait = left;
                }
            }
        }
        return wait;
    }

    void failed(String username, String address) {
        Instant now = clock.instant();
        for (String key : keys(username, address)) {
            Failures f = failures.asMap().merge(key, new Failures(1, Instant.EPOCH),
                    (old, one) -> new Failures(old.count() + 1, lockUntil(now, old.count() + 1)));
            if (f.count() == FREE_FAILURES + 1) {
                log.warn("login throttled for {} after {} failed attempts", key, f.count() - 1);
            }
        }
    }

    void succeeded(String username) {
        failures.invalidate(userKey(username));
    }

    private static Instant lockUntil(Instant now, int count) {
        if (count <= FREE_FAILURES) {
            return Instant.EPOCH;
        }
        long seconds = 1L << Math.min(20, count - FREE_FAILURES);
        return now.plus(Duration.ofSeconds(seconds).compareTo(MAX_LOCK) > 0 ? MAX_LOCK : Duration.ofSeconds(seconds));
    }

    private static String userKey(String username) {
        return "user:" + (username == null ? "" : username.strip().toLowerCase(Locale.ROOT));
    }

    private static String[] keys(String username, String address) {
        return address == null ? new String[] {userKey(username)} : new String[] {userKey(username), "addr:" + address};
    }
}
