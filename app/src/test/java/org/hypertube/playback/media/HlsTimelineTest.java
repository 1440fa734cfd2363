package org.hypertube.playback.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class HlsTimelineTest {

    @Test
    void transcodeSegmentsAreWholeFramesNearTwoSeconds() {
        assertThat(HlsTimeline.framesPerSegment(new Rational(24000, 1001))).isEqualTo(48);
        assertThat(HlsTimeline.framesPerSegment(new Rational(25, 1))).isEqualTo(50);
        assertThat(HlsTimeline.framesPerSegment(new Rational(30000, 1001))).isEqualTo(60);
        assertThat(HlsTimeline.framesPerSegment(new Rational(24, 1))).isEqualTo(48);

        HlsTimeline t = HlsTimeline.transcode(600, new Rational(24000, 1001));
        assertThat(HlsTimeline.firstSplits(48)).containsExactly(12, 24);
        assertThat(t.duration(0)).as("the first N frames are three segments").isCloseTo(0.5005, within(1e-9));
        assertThat(t.duration(1)).isCloseTo(0.5005, within(1e-9));
        assertThat(t.duration(2)).isCloseTo(1.001, within(1e-9));
        assertThat(t.duration(3)).isCloseTo(2.002, within(1e-9));
        assertThat(t.start(152)).isCloseTo(300.300, within(1e-9));
        assertThat(t.start(202)).isCloseTo(400.400, within(1e-9));
        assertThat(t.size()).isEqualTo(302); // 299 × 2.002 = 598.598, the last ends at 600
        assertThat(t.duration(301)).isCloseTo(600 - 598.598, within(1e-9));
        assertThat(sum(t)).isCloseTo(600, within(1e-9));
    }

    @Test
    void aLastSliverJoinsTheSegmentBefore() {
        HlsTimeline t = HlsTimeline.transcode(10.3, new Rational(25, 1));
        assertThat(t.size()).isEqualTo(7);
        assertThat(t.duration(0)).isCloseTo(0.48, within(1e-9));
        assertThat(t.duration(1)).isCloseTo(0.52, within(1e-9));
        assertThat(t.duration(6)).isCloseTo(2.3, within(1e-9));
        assertThat(t.lastStartFrame()).as("no keyframe forced at 10 s").isEqualTo(200);
        assertThat(sum(t)).isCloseTo(10.3, within(1e-9));
    }

    @Test
    void aTranscodeShorterThanTwoSegmentsIsStillSplitWhenItsSecondHalfIsLongEnough() {
        HlsTimeline t = HlsTimeline.transcode(2.5, new Rational(25, 1));
        assertThat(t.size()).isEqualTo(2);
        assertThat(t.start(1)).isCloseTo(1.0, within(1e-9));
        assertThat(t.duration(1)).isCloseTo(1.5, within(1e-9));
        assertThat(HlsTimeline.transcode(1.4, new Rational(25, 1)).size()).isEqualTo(1);
    }

    @Test
    void remuxSegmentsFollowKeyframesFromTheFilmsStart() {
        double[] keyframes = {0.083, 1.418, 4.212, 4.504, 9.0};
        HlsTimeline t = HlsTimeline.remux(12.0, 0.083, keyframes, true);
        assertThat(t.size()).isEqualTo(5);
        assertThat(t.start(0)).isZero();
        assertThat(t.start(1)).isCloseTo(1.335, within(1e-9));
        assertThat(t.duration(2)).isCloseTo(0.292, within(1e-9));
        assertThat(t.duration(4)).isCloseTo(12.0 - 8.917, within(1e-9));
        assertThat(sum(t)).isCloseTo(12.0, within(1e-9));
        assertThat(t.segmentAt(4.3)).isEqualTo(2);
        assertThat(t.segmentAt(0)).isZero();
        assertThat(t.segmentAt(11.9)).isEqualTo(4);
    }

    @Test
    void aLongFirstKeyframeGapIsCutIntoEqualPartsOfAtMostOneSecond() {
        HlsTimeline t = HlsTimeline.remux(20.0, 0.005, new double[] {0.005, 5.802, 11.767}, true);
        assertThat(t.firstParts()).isEqualTo(6);
        assertThat(t.size()).isEqualTo(8);
        for (int k = 0; k < 6; k++) {
            assertThat(t.start(k)).isCloseTo(k * 5.797 / 6, within(1e-9));
        }
        assertThat(t.start(6)).isCloseTo(5.797, within(1e-9));
        assertThat(t.start(7)).isCloseTo(11.762, within(1e-9));
        assertThat(sum(t)).isCloseTo(20.0, within(1e-9));
        assertThat(t.segmentAt(3.0)).isEqualTo(3);
        assertThat(t.playlist(uri -> uri)).doesNotContain("INDEPENDENT-SEGMENTS");
        // a first gap of at most 2 s stays whole
        assertThat(HlsTimeline.remux(10.0, 0, new double[] {0, 2.0, 7.25}, true).firstParts()).isEqualTo(1);
        // nor is a reordered video's (see HlsTimeline.remux)
        assertThat(HlsTimeline.remux(20.0, 0.005, new double[] {0.005, 5.802, 11.767}, false).size()).isEqualTo(3);
    }

    @Test
    void playlistIsAVodFmp4PlaylistWithEverySegment() {
        HlsTimeline t = HlsTimeline.remux(10.0, 0, new double[] {0, 1.5, 7.25}, true);
        String m3u8 = t.playlist(uri -> uri + "?t=x");
        assertThat(m3u8.lines().toList()).containsExactly(
                "#EXTM3U", "#EXT-X-VERSION:7", "#EXT-X-TARGETDURATION:6", "#EXT-X-MEDIA-SEQUENCE:0",
                "#EXT-X-PLAYLIST-TYPE:VOD", "#EXT-X-INDEPENDENT-SEGMENTS", "#EXT-X-MAP:URI=\"init.mp4?t=x\"",
                "#EXTINF:1.500000,", "seg0.m4s?t=x", "#EXTINF:5.750000,", "seg1.m4s?t=x",
                "#EXTINF:2.750000,", "seg2.m4s?t=x", "#EXT-X-ENDLIST");
    }

    @Test
    void seekSecondsAreRoundedDownToMicroseconds() {
        assertThat(HlsCommand.seconds(7 * 48 * 1001 / 24000.0)).isEqualTo("14.014000");
        assertThat(HlsCommand.seconds(1.0 / 3)).isEqualTo("0.333333");
        assertThat(HlsCommand.seconds(0)).isEqualTo("0.000000");
    }

    @Test
    void variableOrUnknownFrameRatesAreTranscodedAt24() {
        assertThat(HlsSession.outputRate(stream(new Rational(24000, 1001), new Rational(24000, 1001))))
                .isEqualTo(new Rational(24000, 1001));
        assertThat(HlsSession.outputRate(stream(new Rational(25, 1), null))).isEqualTo(new Rational(25, 1));
        assertThat(HlsSession.outputRate(stream(new Rational(90000, 1), new Rational(2997, 100))))
                .isEqualTo(new Rational(24, 1));
        assertThat(HlsSession.outputRate(stream(new Rational(30, 1), new Rational(20, 1))))
                .isEqualTo(new Rational(24, 1));
        assertThat(HlsSession.outputRate(stream(null, null))).isEqualTo(new Rational(24, 1));
        assertThat(Rational.parse("0/0")).isNull();
        assertThat(Rational.parse("30000/1001")).isEqualTo(new Rational(30000, 1001));
    }

    private static MediaProbe.VideoStream stream(Rational r, Rational avg) {
        return new MediaProbe.VideoStream(0, "hevc", null, "yuv420p", 1920, 1080, 0, r, avg, 0);
    }

    private static double sum(HlsTimeline t) {
        double sum = 0;
        for (int k = 0; k < t.size(); k++) {
            sum += t.duration(k);
        }
        return sum;
    }

    @Test
    void inputsAreOnlyLoopbackUrlsOrOurFiles() {
        for (String bad : List.of("http://example.com/film.mkv", "https://127.0.0.1/x", "concat:/a|/b", "-i",
                "relative/film.mkv", "file:/etc/passwd", "http://127.0.0.1:8080/x\n-y", "/no/such/file.mkv",
                "http://user@127.0.0.1/x")) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> MediaInput.isUrl(bad)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(MediaInput.isUrl("http://127.0.0.1:8123/stream/abc/0")).isTrue();
        assertThat(MediaInput.isUrl("http://localhost:8123/stream/abc/0")).isTrue();
    }
}
