package org.hypertube.playback.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * The keyframes a transcode run forces, read by evaluating its {@code -force_key_frames} expression the way
 * ffmpeg does (per output frame n of the run; non-zero = a keyframe), for runs starting anywhere.
 */
class HlsCommandTest {

    private static final int N = 48;

    private static final int[] SPLITS = {12, 24};

    @Test
    void aRunFromTheStartForcesEveryNthFrameAndTheSplitsOfTheFirstN() {
        assertThat(forced(0, SPLITS, 10 * N, 12 * N)).containsExactly(0L, 12L, 24L, 48L, 96L, 144L, 192L, 240L, 288L,
                336L, 384L, 432L, 480L);
    }

    @Test
    void aRunFromASplitForcesItsFirstFrameAndTheSplitsAfterItThenEveryNthOfTheFilm() {
        // the run's frame 0 is the film's frame 12: keyframes at the film's 12, 24, 48, 96...
        assertThat(forced(12, SPLITS, 3 * N, 4 * N)).containsExactly(0L, 12L, 36L, 84L, 132L);
        // from the film's frame 24: its 24, 48, 96...
        assertThat(forced(24, SPLITS, 3 * N, 4 * N)).containsExactly(0L, 24L, 72L, 120L);
    }

    @Test
    void aRunFromALaterSegmentForcesNoSplitFrame() {
        assertThat(forced(5L * N, SPLITS, 8 * N, 5 * N)).containsExactly(0L, 48L, 96L, 144L);
    }

    @Test
    void noKeyframeIsForcedAfterTheLastSegmentsStart() {
        // the last segment starts at frame 96 and holds the film's sliver: 62 frames, no cut at 144
        assertThat(forced(0, SPLITS, 2 * N, 158)).containsExactly(0L, 12L, 24L, 48L, 96L);
        assertThat(forced(2L * N, SPLITS, 2 * N, 62)).containsExactly(0L);
    }

    @Test
    void aFilmWhoseFirstNFramesAreNotSplitHasNoKeyframeInsideThem() {
        // a film shorter than N frames is one segment (HlsTimeline.transcode does not split it)
        HlsTimeline timeline = HlsTimeline.transcode(1.4, new Rational(25, 1));
        assertThat(timeline.size()).isEqualTo(1);
        assertThat(forced(0, timeline.splitFrames(), timeline.lastStartFrame(), 35)).containsExactly(0L);
        // one of 1.5 N frames whose second half is long enough: two halves
        HlsTimeline halves = HlsTimeline.transcode(2.5, new Rational(25, 1));
        assertThat(forced(0, halves.splitFrames(), halves.lastStartFrame(), 62)).containsExactly(0L, 25L);
        HlsTimeline split = HlsTimeline.transcode(6.6, new Rational(24, 1));
        assertThat(forced(0, split.splitFrames(), split.lastStartFrame(), 158)).containsExactly(0L, 12L, 24L, 48L, 96L);
    }

    /** The run's frames (0 = its first) that the expression of a run from film frame {@code from} forces. */
    private static List<Long> forced(long from, int[] splits, long last, int runFrames) {
        String expr = HlsCommand.keyframes(from, N, splits, last);
        assertThat(expr).startsWith("expr:");
        return LongStream.range(0, runFrames).filter(n -> new Expr(expr.substring(5), n).value() != 0).boxed().toList();
    }

    /** ffmpeg's expression syntax, as much as the keyframe expression uses: n, numbers, + * ( ) eq mod lte. */
    private static final class Expr {
        private final String text;
        private final long n;
        private int at;

        Expr(String text, long n) {
            this.text = text;
            this.n = n;
        }

        long value() {
            long v = sum();
            assertThat(at).as("parsed all of %s", text).isEqualTo(text.length());
            return v;
        }

        private long sum() {
            long v = product();
            while (at < text.length() && text.charAt(at) == '+') {
                at++;
                v += product();
            }
            return v;
        }

        private long product() {
            long v = atom();
            while (at < text.length() && text.charAt(at) == '*') {
                at++;
                v *= atom();
            }
            return v;
        }

        private long atom() {
            if (text.charAt(at) == '(') {
                at++;
                long v = sum();
                expect(')');
                return v;
            }
            for (String f : List.of("eq", "mod", "lte")) {
                if (text.startsWith(f + "(", at)) {
                    at += f.length() + 1;
                    long a = sum();
                    expect(',');
                    long b = sum();
                    expect(')');
                    return switch (f) {
                        case "eq" -> a == b ? 1 : 0;
                        case "mod" -> a % b;
                        default -> a <= b ? 1 : 0;
                    };
                }
            }
            if (text.charAt(at) == 'n') {
                at++;
                return n;
            }
            int start = at;
            while (at < text.length() && Character.isDigit(text.charAt(at))) {
                at++;
            }
            assertThat(at).as("a number at %d of %s", start, text).isGreaterThan(start);
            return Long.parseLong(text.substring(start, at));
        }

        private void expect(char c) {
            assertThat(text.charAt(at)).as("in %s", text).isEqualTo(c);
            at++;
        }
    }
}
