package org.hypertube.playback.thumbnails;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Which sheets a downloading film's verified beginning holds, and when ffmpeg reads it; on a manual clock. */
class ThumbnailScheduleTest {

    /** A two-hour film of 7.2 GB: 1 MB a second on average. */
    private static final long LENGTH = 7_200_000_000L;
    private static final double DURATION = 7200;
    private static final Instant T0 = Instant.parse("2026-12-07T14:00:00Z");

    private static long secondsOfFilm(double seconds) {
        return (long) (seconds * LENGTH / DURATION);
    }

    @Test
    void aSheetIsDueOnceTheBeginningHoldsItsThousandSecondsAndAMargin() {
        assertThat(ThumbnailSchedule.estimatedSheets(secondsOfFilm(1000), LENGTH, DURATION)).isZero();
        assertThat(ThumbnailSchedule.estimatedSheets(secondsOfFilm(1059), LENGTH, DURATION)).isZero();
        assertThat(ThumbnailSchedule.estimatedSheets(secondsOfFilm(1061), LENGTH, DURATION)).isEqualTo(1);
        assertThat(ThumbnailSchedule.estimatedSheets(secondsOfFilm(3100), LENGTH, DURATION)).isEqualTo(3);
        assertThat(ThumbnailSchedule.due(secondsOfFilm(900), LENGTH, DURATION, 0, null, T0)).isFalse();
        assertThat(ThumbnailSchedule.due(secondsOfFilm(1100), LENGTH, DURATION, 0, null, T0)).isTrue();
        assertThat(ThumbnailSchedule.due(secondsOfFilm(1100), LENGTH, DURATION, 1, null, T0))
                .as("that sheet is made already").isFalse();
        assertThat(ThumbnailSchedule.due(secondsOfFilm(3100), LENGTH, DURATION, 1, null, T0)).isTrue();
    }

    @Test
    void nothingIsEstimatedWithoutALengthOrADurationAndTheWholeFilmIsNotMadeFromItsBeginning() {
        assertThat(ThumbnailSchedule.due(secondsOfFilm(5000), LENGTH, 0, 0, null, T0)).isFalse();
        assertThat(ThumbnailSchedule.due(5000, 0, DURATION, 0, null, T0)).isFalse();
        assertThat(ThumbnailSchedule.due(0, LENGTH, DURATION, 0, null, T0)).isFalse();
        assertThat(ThumbnailSchedule.due(LENGTH, LENGTH, DURATION, 0, null, T0)).as("whole: made from the file").isFalse();
    }

    @Test
    void oneRunPerPauseAndNoneAgainUntilTheBeginningShouldHoldOneSheetMore() {
        long beginning = secondsOfFilm(1100);
        ThumbnailSchedule.Run run = new ThumbnailSchedule.Run(beginning, T0, 1);
        // The beginning was denser than the mean: the run made nothing. The same estimate never runs again.
        assertThat(ThumbnailSchedule.due(secondsOfFilm(1900), LENGTH, DURATION, 0, run, T0.plus(Duration.ofHours(1))))
                .isFalse();
        // One sheet more by the estimate, but within the pause after the last run.
        Instant soon = T0.plus(ThumbnailSchedule.PAUSE).minusSeconds(1);
        assertThat(ThumbnailSchedule.due(secondsOfFilm(2100), LENGTH, DURATION, 0, run, soon)).isFalse();
        assertThat(ThumbnailSchedule.due(secondsOfFilm(2100), LENGTH, DURATION, 0, run, T0.plus(ThumbnailSchedule.PAUSE)))
                .isTrue();
    }

    @Test
    void aSheetIsKeptOnlyWithATileListedAfterIt() {
        assertThat(ThumbnailSchedule.wholeSheets(0)).isZero();
        assertThat(ThumbnailSchedule.wholeSheets(100)).as("its last tile may stand on a cut key frame").isZero();
        assertThat(ThumbnailSchedule.wholeSheets(101)).isEqualTo(1);
        assertThat(ThumbnailSchedule.wholeSheets(164)).isEqualTo(1);
        assertThat(ThumbnailSchedule.wholeSheets(201)).isEqualTo(2);
        assertThat(ThumbnailSchedule.wholeSheets(Integer.MAX_VALUE)).isEqualTo(SpriteSheets.MAX_SHEETS);
    }
}
