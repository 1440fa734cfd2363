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
    void aMemberHoldsTwoFilmsConvertedWhileBothAreWatched() {
        conversions.admit(1, 10);
        conversions.admit(1, 11);
        assertThat(conversions.makeRoom(1, 12)).isFalse();
        assertThatThrownBy(() -> conversions.admit(1, 12)).isInstanceOf(MemberConversions.Refused.class);
        conversions.admit(1, 10);   // the films they watch keep playing
        conversions.admit(2, 12);   // another member is not limited by them

        clock.advance(MemberConversions.IDLE.minusSeconds(1));
        conversions.admit(1, 10);
        assertThat(conversions.makeRoom(1, 12)).as("film 11 was asked for %s ago", MemberConversions.IDLE.minusSeconds(1))
                .isFalse();
    }

    @Test
    void aFilmLeftIdleGivesItsPlaceToTheMembersNextFilm() {
        conversions.admit(1, 10);
        conversions.admit(1, 11);
        clock.advance(MemberConversions.IDLE.plusSeconds(1));
        conversions.admit(1, 10);
        assertThat(conversions.makeRoom(1, 12)).as("film 11 left idle: the person moved on").isTrue();
        conversions.admit(1, 12);
        assertThat(conversions.makeRoom(1, 11)).as("film 11 gave its place; 10 and 12 are watched").isFalse();
        assertThatThrownBy(() -> conversions.admit(1, 11)).isInstanceOf(MemberConversions.Refused.class);
    }

    @Test
    void aFilmNotAskedForTheWindowCountsNoMore() {
        conversions.admit(1, 10);
        clock.advance(MemberConversions.WINDOW.plusSeconds(1));
        conversions.admit(1, 11);
        conversions.admit(1, 12);   // 10 has dropped out: two films
        assertThat(conversions.makeRoom(1, 10)).isFalse();
    }
}
