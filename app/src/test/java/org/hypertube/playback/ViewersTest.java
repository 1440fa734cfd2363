package org.hypertube.playback;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.hypertube.torrent.testing.ManualClock;
import org.junit.jupiter.api.Test;

/** Who counts as watching now, on a manual clock. */
class ViewersTest {

    final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T20:00:00Z"));
    final Viewers viewers = new Viewers(clock);

    @Test
    void aViewerIsAMemberOnAFilmWhoAskedForPartOfItWithinTheWindow() {
        assertThat(viewers.now()).isZero();
        viewers.seen(1, 10);
        viewers.seen(1, 10); // the next range of the same film: still one viewer
        viewers.seen(2, 10);
        viewers.seen(2, 11);
        assertThat(viewers.now()).isEqualTo(3);

        clock.advance(Viewers.WINDOW.minusSeconds(1));
        viewers.seen(2, 11);
        assertThat(viewers.now()).as("a buffered player asks nothing for a while and still counts").isEqualTo(3);
        clock.advance(Duration.ofSeconds(2));
        assertThat(viewers.now()).as("those who stopped asking have left").isEqualTo(1);
        clock.advance(Viewers.WINDOW);
        assertThat(viewers.now()).isZero();
    }
}
