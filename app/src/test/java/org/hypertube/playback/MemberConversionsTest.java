package org.hypertube.playback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.hypertube.torrent.testing.ManualClock;
import org.junit.jupiter.api.Test;

/** How many films one member watches converted at once, on a manual clock. */
class MemberConversionsTest {

    final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T20:00:00Z"));
    final MemberConversions conversions = new MemberConversions(clock);

    @Test
    void aMemberHoldsTwoFilmsConvertedUntilOneStopsAskingForTheWindow() {
        conversions.admit(1, 10);
        conversions.admit(1, 11);
        assertThat(conversions.allows(1, 12)).isFalse();
        assertThatThrownBy(() -> conversions.admit(1, 12)).isInstanceOf(MemberConversions.Refused.class);
        conversions.admit(1, 10);   // the films they watch keep playing
        conversions.admit(2, 12);   // another member is not limited by them

        clock.advance(MemberConversions.WINDOW.minusSeconds(1));
        conversions.admit(1, 10);
        assertThat(conversions.allows(1, 12)).as("film 11 was asked for within the window").isFalse();
        clock.advance(Duration.ofSeconds(2));
        assertThat(conversions.allows(1, 12)).as("film 11 stopped asking: its place is free").isTrue();
        conversions.admit(1, 12);
        assertThat(conversions.allows(1, 11)).isFalse();
    }
}
