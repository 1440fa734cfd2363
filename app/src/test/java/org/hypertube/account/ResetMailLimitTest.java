package org.hypertube.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ResetMailLimitTest {

    final LoginThrottleTest.HandClock clock = new LoginThrottleTest.HandClock();
    final ResetMailLimit limit = new ResetMailLimit(clock);

    @Test
    void threeMailsAnHourToOneMemberThenNoneUntilTheOldestIsAnHourOld() {
        for (int i = 0; i < ResetMailLimit.PER_ACCOUNT; i++) {
            assertThat(limit.toMember(7)).isTrue();
            clock.now = clock.now.plusSeconds(60);
        }
        assertThat(limit.toMember(7)).isFalse();
        assertThat(limit.toMember(8)).as("another member").isTrue();
        // The first was sent at 10:00: it still counts at 10:59:59, no longer at 11:00; the two others still do.
        clock.now = clock.now.plusSeconds(3600 - 3 * 60 - 1);
        assertThat(limit.toMember(7)).isFalse();
        clock.now = clock.now.plusSeconds(1);
        assertThat(limit.toMember(7)).isTrue();
        assertThat(limit.toMember(7)).isFalse();
    }

    @Test
    void oneClientAddressIsBoundedWhateverAccountsItNames() {
        for (int i = 0; i < ResetMailLimit.PER_ADDRESS; i++) {
            assertThat(limit.fromAddress("203.0.113.5")).isTrue();
        }
        assertThat(limit.fromAddress("203.0.113.5")).isFalse();
        assertThat(limit.fromAddress("198.51.100.1")).isTrue();
        clock.now = clock.now.plus(ResetMailLimit.WINDOW).plusSeconds(1);
        assertThat(limit.fromAddress("203.0.113.5")).isTrue();
    }

    @Test
    void anOperatorMayAllowMoreFromOneAddressButNotMoreToOneAccount() {
        ResetMailLimit shared = new ResetMailLimit(clock, 50);
        for (int i = 0; i < 50; i++) {
            assertThat(shared.fromAddress("203.0.113.5")).as("request " + (i + 1)).isTrue();
        }
        assertThat(shared.fromAddress("203.0.113.5")).isFalse();
        for (int i = 0; i < ResetMailLimit.PER_ACCOUNT; i++) {
            assertThat(shared.toMember(9)).isTrue();
        }
        assertThat(shared.toMember(9)).isFalse();
        assertThatThrownBy(() -> new ResetMailLimit(clock, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
