package org.hypertube.playback;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.hypertube.torrent.testing.ManualClock;
import org.junit.jupiter.api.Test;

class PlayLimitTest {

    final Instant start = Instant.parse("2031-05-01T20:00:00Z");
    final ManualClock clock = new ManualClock(start);
    final PlayLimit limit = new PlayLimit(clock, 3, Duration.ofHours(1));

    @Test
    void aMemberStartsAtMostTheLimitPerWindowAndIsToldWhenTheOldestStartLeavesIt() {
        assertThat(limit.acquire(7)).isEmpty();
        clock.advance(Duration.ofMinutes(10));
        assertThat(limit.acquire(7)).isEmpty();
        clock.advance(Duration.ofMinutes(10));
        assertThat(limit.acquire(7)).isEmpty();
        assertThat(limit.acquire(7)).contains(start.plus(Duration.ofHours(1)));
        assertThat(limit.acquire(8)).as("another member has a limit of their own").isEmpty();

        clock.advance(Duration.ofMinutes(39));
        assertThat(limit.acquire(7)).as("still within the hour of the first start").contains(start.plus(Duration.ofHours(1)));
        clock.advance(Duration.ofMinutes(1));
        assertThat(limit.acquire(7)).as("the first start has left the window").isEmpty();
        assertThat(limit.acquire(7)).contains(start.plus(Duration.ofMinutes(70)));
    }

    @Test
    void aStartGivenBackBecauseNothingWasAddedDoesNotCount() {
        for (int i = 0; i < 3; i++) {
            assertThat(limit.acquire(7)).isEmpty();
            limit.release(7);
        }
        assertThat(limit.acquire(7)).isEmpty();
        assertThat(limit.acquire(7)).isEmpty();
        assertThat(limit.acquire(7)).isEmpty();
        assertThat(limit.acquire(7)).isPresent();
    }

    @Test
    void pruningForgetsOnlyStartsThatLeftTheWindow() {
        limit.acquire(7);
        limit.acquire(7);
        limit.acquire(7);
        clock.advance(Duration.ofMinutes(30));
        limit.prune();
        assertThat(limit.acquire(7)).as("the starts are still in the window").isPresent();
        clock.advance(Duration.ofMinutes(31));
        limit.prune();
        assertThat(limit.acquire(7)).isEmpty();
    }

    @Test
    void zeroMeansNoLimit() {
        PlayLimit none = new PlayLimit(clock, 0, Duration.ofHours(1));
        for (int i = 0; i < 100; i++) {
            assertThat(none.acquire(7)).isEmpty();
        }
    }
}
