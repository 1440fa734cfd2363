package org.hypertube.playback.media;

import java.util.Arrays;
import java.util.Locale;
import java.util.function.UnaryOperator;

/**
 * The segments of a converted film, known before any is written (a VOD playlist, as Jellyfin and Kyoo
 * write): segment k starts at {@code start(k)} seconds of output time (the film's timestamps minus its
 * start time, as {@code -copyts -start_at_zero} writes them) and the last one ends at the film's end.
 */
final class HlsTimeline {

    /** Transcoded segments are this long, rounded to whole frames. */
    static final double TRANSCODE_SEGMENT = 2.0;
    /**
     * A remux's first keyframe gap longer than twice this is cut into equal parts of at most this long
     * (the first frame waits for one part, not for the whole gap); later gaps stay whole.
     */
    static final double FIRST_PART = 1.0;
    /** Parts of the first gap at most (a longer gap gets longer parts). */
    static final int MAX_FIRST_PARTS = 30;

    private final double[] starts;
    private final double end;
    private final int firstParts;
    /** A transcode's frames (of the whole film) where its first N frames are split; none for a remux. */
    private final int[] splitFrames;
    /** A transcode's frame where its last segment starts (0 for a remux). */
    private final long lastStartFrame;

    private HlsTimeline(double[] starts, double end, int firstParts, int[] splitFrames, long lastStartFrame) {
        this.starts = starts;
        this.end = end;
        this.firstParts = firstParts;
        this.splitFrames = splitFrames;
        this.lastStartFrame = lastStartFrame;
    }

    /**
     * N-frame segments (PLAYBACK.md §1.3): N = round(2 s × fps), so every segment is N frames and
     * segment k ≥ 3 starts exactly at (k - 2)·N/fps, wherever ffmpeg (re)starts. The first N frames are
     * three segments of N/4, N/2 - N/4 and N - N/2 frames ({@link #firstSplits}): the first frame waits for
     * a quarter of a segment's encoding, not a whole one's. A film of at most 1.5 N frames is one segment,
     * or two halves when its second half is at least N/2 frames. A last sliver shorter than half a segment is
     * part of the segment before (up to 1.5 N frames): {@link HlsCommand} forces no keyframe after the last
     * segment's start, so ffmpeg does not cut it there.
     */
    static HlsTimeline transcode(double duration, Rational fps) {
        int frames = framesPerSegment(fps);
        double frame = (double) fps.denominator() / fps.numerator();
        double length = frames * frame;
        int whole = Math.max(1, (int) Math.ceil(duration / length - 1e-6));
        // a last sliver shorter than half a segment holds no keyframe of its own: it ends the segment before
        if (whole > 1 && duration - (whole - 1) * length < length / 2) {
            whole--;
        }
        int half = frames >= 4 ? frames / 2 : 0;
        int[] splits = whole > 1 ? firstSplits(frames)
                : half > 0 && duration - half * frame >= length / 2 ? new int[] {half} : new int[0];
        double[] starts = new double[whole + splits.length];
        int n = 0;
        starts[n++] = 0;
        for (int split : splits) {
            starts[n++] = split * frame;
        }
        for (int k = 1; k < whole; k++) {
            starts[n++] = k * length;
        }
        long last = whole > 1 ? (long) (whole - 1) * frames : splits.length > 0 ? splits[splits.length - 1] : 0;
        return new HlsTimeline(starts, Math.max(duration, starts[starts.length - 1] + length / 2), 1, splits, last);
    }

    /**
     * Where the first N frames of a transcode longer than one segment are cut (frame numbers): at N/4 and
     * N/2 (N/2 only when N is under 8; none under 4).
     */
    static int[] firstSplits(int frames) {
        return frames >= 8 ? new int[] {frames / 4, frames / 2} : frames >= 4 ? new int[] {frames / 2} : new int[0];
    }

    /** Frames per transcoded segment at this rate (48 at 23.976, 50 at 25, 60 at 29.97). */
    static int framesPerSegment(Rational fps) {
        return (int) Math.max(1, Math.round(TRANSCODE_SEGMENT * fps.value()));
    }

    /**
     * One segment per keyframe gap (PLAYBACK.md §2.2): a copied video can only be cut at its keyframes.
     * The first keyframe is where output starts (segment 0 starts at 0); each later one starts a segment.
     * A first gap longer than 2 × {@link #FIRST_PART} is cut into equal parts ({@link #firstParts()}): only
     * the first starts with a keyframe, the others go on from it (written by one ffmpeg run from the start,
     * which {@link HlsCommand} cuts by time and stops at the second keyframe).
     *
     * <p>Only for video without reordering (no B-frames): in a part that starts with a reordered frame,
     * ffmpeg's MP4 muxer (5.1 and 8.1) writes the first sample's composition offset short by the track's
     * initial delay, so that frame would take the time of another and the browser would drop frames.
     *
     * @param keyframes the file's keyframe times (its own timestamps), ascending
     * @param parts     whether a long first gap may be cut into parts (the video is not reordered)
     */
    static HlsTimeline remux(double duration, double startTime, double[] keyframes, boolean parts) {
        double[] starts = new double[keyframes.length + MAX_FIRST_PARTS];
        int n = 0;
        starts[n++] = 0;
        for (int i = 1; i < keyframes.length; i++) {
            double t = keyframes[i] - startTime;
            if (t > starts[n - 1] + 1e-3 && t < duration - 1e-3) {
                starts[n++] = t;
            }
        }
        int count = 1;
        if (parts && n > 1 && starts[1] > 2 * FIRST_PART) {
            count = (int) Math.min(MAX_FIRST_PARTS, Math.ceil(starts[1] / FIRST_PART - 1e-9));
            double part = starts[1] / count;
            System.arraycopy(starts, 1, starts, count, n - 1);
            for (int j = 1; j < count; j++) {
                starts[j] = j * part;
            }
            n += count - 1;
        }
        starts = Arrays.copyOf(starts, n);
        return new HlsTimeline(starts, Math.max(duration, starts[n - 1] + 1e-3), count, new int[0], 0);
    }

    /**
     * Segments the first keyframe gap is cut into: 1, or the parts of a long first gap, which only a run
     * from segment 0 makes (segment {@code firstParts()} starts at the second keyframe).
     */
    int firstParts() {
        return firstParts;
    }

    /** A transcode's frames where its first N frames are split into segments; none when they are not. */
    int[] splitFrames() {
        return splitFrames.clone();
    }

    /** A transcode's frame where its last segment starts: no keyframe is forced after it. */
    long lastStartFrame() {
        return lastStartFrame;
    }

    int size() {
        return starts.length;
    }

    double start(int k) {
        return starts[k];
    }

    double duration(int k) {
        return (k + 1 < starts.length ? starts[k + 1] : end) - starts[k];
    }

    double end() {
        return end;
    }

    /** The segment that holds this output time. */
    int segmentAt(double time) {
        int i = Arrays.binarySearch(starts, time);
        return Math.max(0, i >= 0 ? i : -i - 2);
    }

    /** The whole VOD playlist; {@code uri} maps "init.mp4" and "seg{k}.m4s" to the URIs to write. */
    String playlist(UnaryOperator<String> uri) {
        double longest = 0;
        for (int k = 0; k < starts.length; k++) {
            longest = Math.max(longest, duration(k));
        }
        StringBuilder m3u8 = new StringBuilder(64 + starts.length * 32)
                .append("#EXTM3U\n#EXT-X-VERSION:7\n")
                .append("#EXT-X-TARGETDURATION:").append((long) Math.ceil(longest - 1e-6)).append('\n')
                .append("#EXT-X-MEDIA-SEQUENCE:0\n#EXT-X-PLAYLIST-TYPE:VOD\n")
                .append(firstParts > 1 ? "" : "#EXT-X-INDEPENDENT-SEGMENTS\n")
                .append("#EXT-X-MAP:URI=\"").append(uri.apply("init.mp4")).append("\"\n");
        for (int k = 0; k < starts.length; k++) {
            m3u8.append("#EXTINF:").append(String.format(Locale.ROOT, "%.6f", duration(k))).append(",\n")
                    .append(uri.apply("seg" + k + ".m4s")).append('\n');
        }
        return m3u8.append("#EXT-X-ENDLIST\n").toString();
    }
}
