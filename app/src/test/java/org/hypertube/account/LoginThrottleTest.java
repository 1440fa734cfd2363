package org.hypertube.account;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {

    /** A clock the test moves by hand. */
    static final class HandClock extends Clock {
        Instant now = Instant.parse("2026-11-24T10:00:00Z");

        @Override
        public java.time.ZoneId getZone() { return ZoneOffset.UTC; }

        @Override
        public Clock withZone(java.time.ZoneId zone) { return this; }

        @Override
        public Instant instant() { return now; }
    }

    final HandClock clock = new HandClock();
    final LoginThrottle throttle = new LoginThrottle(clock);

    @Test
    void theFirstFailuresAreFreeThenEachLocksTwiceAsLong() {
        for (int i = 0; i < LoginThrottle.FREE_FAILURES; i++) {
            throttle.failed("Alice", "203.0.113.5");
            assertThat(throttle.waitFor("alice", "203.0.113.5")).isZero();
        }
        throttle.failed("alice", "203.0.113.5");
        assertThat(throttle.waitFor("ALICE", "198.51.100.1")).isEqualTo(Duration.ofSeconds(2));
        clock.now = clock.now.plusSeconds(2);
        assertThat(throttle.waitFor("alice", "198.51.100.1")).isZero();
        throttle.failed("alice", "203.0.113.5");
        assertThat(throttle.waitFor("alice", null)).isEqualTo(Duration.ofSeconds(4));
    }

    @Test
    void anAddressGuessingManyAccountsIsLockedForAll() {
        for (int i = 0; i <= LoginThrottle.FREE_FAILURES; i++) {
            throttle.failed("user" + i, "203.0.113.9");
        }
        assertThat(throttle.waitFor("someone-else", "203.0.113.9")).isPositive();
        assertThat(throttle.waitFor("someone-else", "203.0.113.10")).isZero();
    }

    @Test
    void theLockNeverExceedsFifteenMinutesAndSuccessClearsTheAccount() {
        for (int i = 0; i < 40; i++) {
            throttle.failed("bob", null);
        }
        assertThat(throttle.waitFor("bob", null)).isEqualTo(LoginThrottle.MAX_LOCK);
        clock.now = clock.now.plus(LoginThrottle.MAX_LOCK);
        throttle.succeeded("bob");
        throttle.failed("bob", null);
        assertThat(throttle.waitFor("bob", null)).isZero();
    }
}
