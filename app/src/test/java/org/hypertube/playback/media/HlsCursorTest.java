package org.hypertube.playback.media;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** When a listed segment is taken as whole at once, without waiting for ffmpeg to go on (no ffmpeg here). */
class HlsCursorTest {

    private static final Rational FILM = new Rational(24000, 1001);

    @Test
    void aTranscodedSegmentListedWithItsWholeDurationWasClosedByItsKeyframe() {
        HlsTimeline t = HlsTimeline.transcode(600, FILM);
        // hlsenc lists durations to the microsecond: 48 frames = 2.002000, 24 = 1.001000, 12 = 0.500500
        assertThat(HlsCursor.closedByItsKeyframe(2.002000, t.duration(5))).isTrue();
        assertThat(HlsCursor.closedByItsKeyframe(0.500500, t.duration(0))).isTrue();
        assertThat(HlsCursor.closedByItsKeyframe(0.500500, t.duration(1))).isTrue();
        assertThat(HlsCursor.closedByItsKeyframe(1.001000, t.duration(2))).isTrue();
    }

    @Test
    void aSegmentAnInputErrorEndedOneFrameShortIsNotTakenAsWhole() {
        HlsTimeline t = HlsTimeline.transcode(600, FILM);
        double frame = 1001 / 24000.0;
        assertThat(HlsCursor.closedByItsKeyframe(t.duration(5) - frame, t.duration(5))).isFalse();
        assertThat(HlsCursor.closedByItsKeyframe(t.duration(0) - frame, t.duration(0))).isFalse();
        // at 60 fps a frame is 16.7 ms: still short
        HlsTimeline fast = HlsTimeline.transcode(600, new Rational(60, 1));
        assertThat(HlsCursor.closedByItsKeyframe(fast.duration(5) - 1 / 60.0, fast.duration(5))).isFalse();
    }

    @Test
    void aRemuxedGapListedToTheMicrosecondIsWhole() {
        double[] keyframes = {0.005, 5.802, 11.767};
        HlsTimeline t = HlsTimeline.remux(20, 0, keyframes, false);
        assertThat(HlsCursor.closedByItsKeyframe(5.965000, t.duration(1))).isTrue();
        assertThat(HlsCursor.closedByItsKeyframe(5.965000 - 1001 / 24000.0, t.duration(1))).isFalse();
    }
}
