package org.hypertube.playback.media;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The ffmpeg arguments of one conversion run that writes segments from {@code k} on (PLAYBACK.md §1.3),
 * into its working folder: {@code seg%d.m4s}, {@code init<run>.mp4}, {@code run<run>.m3u8}.
 *
 * <p>Choices measured or checked against ffmpeg 8.1, beyond PLAYBACK.md:
 * <ul>
 * <li>{@code movflags=+frag_discont}: without it a restarted run writes tfdt 0 and puts its start in an
 *     edit list of its own init segment, so its segments play at 0 with the first run's init (hls.js
 *     reads tfdt). With it every run writes absolute tfdt and byte-identical init segments.</li>
 * <li>Remux: {@code -hls_time 0.001}; hlsenc cuts at a keyframe once (pts - first pts) &ge; hls_time × segments
 *     written, so any value below every keyframe gap cuts at each keyframe; 0.1 (§2.2) missed gaps
 *     under 0.1 s after a restart.</li>
 * <li>Remux restart: ffmpeg seeks Matroska 3/23 s before {@code -ss} when the video has B-frames (its
 *     "dts heuristic"; MP4 seeks by pts), so {@code -ss} = keyframe + that + min(0.05 s, half the gap)
 *     lands on keyframe k; {@code -noaccurate_seek} keeps the audio from there too instead of cutting
 *     it at {@code -ss}.</li>
 * <li>Remux of a long first keyframe gap ({@link HlsTimeline#firstParts()}): {@code split_by_time} cuts it
 *     into parts (a part need not start at a keyframe: hls.js appends it after the one before) at the first
 *     frame at or after n × {@code -hls_time} from the first packet's time, which may be the audio's, a few
 *     hundredths early (AAC priming); {@code -hls_time} is (gap + {@link #PART_SLACK}) / parts, so the
 *     cut after the last part never falls before the second keyframe (a frame would be lost), and the
 *     output {@code -t} at the second keyframe ends the run there (ffmpeg stops copying
 *     at the first packet whose decoding time reaches it: the keyframe itself and a frame or two decoded
 *     before it may still be in the last part; the next segment, starting with that keyframe, replaces
 *     them in the browser's buffer).</li>
 * <li>Transcode: the {@code fps} filter (not {@code -r}: with {@code -copyts} it fills from 0 with
 *     copies of the first frame) fixes the frame grid, VFR included; the keyframes are forced at the
 *     timeline's segment starts (frame numbers of the whole film: the run's frame n is the film's
 *     frame n + its start frame), and x264 makes no others ({@code -g 2N}, no scene cuts), so, as for a
 *     remux, {@link #CUT_AT_EACH_KEYFRAME} cuts every segment where the timeline says, the shorter
 *     segments of the first N frames included.</li>
 * </ul>
 */
final class HlsCommand {

    /** ffmpeg's Matroska seek margin for video with B-frames: 3 × AV_TIME_BASE / 23. */
    static final double DTS_HEURISTIC = 3.0 / 23;
    static final String PROBE_SIZE = "5000000";
    /** An -hls_time below every keyframe gap: hlsenc cuts at each keyframe. */
    static final double CUT_AT_EACH_KEYFRAME = 0.001;
    /** Seconds the parts of a long first keyframe gap are cut later than the playlist says, at most. */
    static final double PART_SLACK = 0.2;
    /** An input read blocking this long (µs) ends ffmpeg: a dead swarm must not hold a process forever. */
    static final String RW_TIMEOUT = "30000000";

    private HlsCommand() {
    }

    /**
     * @param seek      seconds from the film's start for {@code -ss}; 0 = from the beginning
     * @param fps       output frame rate of a transcode (ignored by a remux)
     * @param hlsTime   ffmpeg's -hls_time
     * @param stopAt    seconds of the film (its own timestamps) where the run stops, cutting by time
     *                  until there (the parts of a remux's first keyframe gap); 0 = to the end, cutting at
     *                  keyframes
     * @param timeline  the segments (a transcode's keyframes are forced at their starts)
     */
    static List<String> arguments(String input, MediaProbe probe, Plan plan, int run, int startSegment, double seek,
                                  Rational fps, double hlsTime, double stopAt, HlsTimeline timeline) {
        boolean transcode = plan.mode() == Delivery.TRANSCODE;
        List<String> a = new ArrayList<>(List.of("-hide_banner", "-nostdin", "-loglevel", "warning",
                "-probesize", PROBE_SIZE, "-analyzeduration", PROBE_SIZE));
        if (MediaInput.isUrl(input)) {
            a.addAll(List.of("-rw_timeout", RW_TIMEOUT));
        }
        if (seek > 0) {
            if (!transcode) {
                a.add("-noaccurate_seek");
            }
            a.addAll(List.of("-ss", seconds(seek)));
        }
        a.addAll(MediaInput.protocolWhitelist(input));
        a.addAll(List.of("-i", MediaInput.argument(input), "-map", "0:" + plan.videoStream()));
        if (plan.audioStream() >= 0) {
            a.addAll(List.of("-map", "0:" + plan.audioStream()));
        }
        a.addAll(List.of("-map_metadata", "-1", "-map_chapters", "-1"));
        if (transcode) {
            int n = HlsTimeline.framesPerSegment(fps);
            long from = Math.round(seek * fps.numerator() / fps.denominator());
            MediaProbe.VideoStream video = probe.videoStream(plan.videoStream());
            String filter = "fps=" + fps;
            if (video == null || video.height() != plan.height()) {
                filter += ",scale=-2:" + plan.height();
            }
            String maxRate = plan.height() <= 480 ? "2M" : plan.height() <= 720 ? "4M" : "8M";
            String buffer = plan.height() <= 480 ? "4M" : plan.height() <= 720 ? "8M" : "16M";
            a.addAll(List.of("-vf", filter, "-pix_fmt", "yuv420p",
                    "-c:v", "libx264", "-preset", "veryfast", "-crf", "23", "-maxrate", maxRate, "-bufsize", buffer,
                    "-profile:v", "high",
                    "-x264opts", "subme=0:me_range=16:rc_lookahead=10:me=hex:open_gop=0",
                    "-force_key_frames", keyframes(from, n, timeline.splitFrames(), timeline.lastStartFrame()),
                    "-g", String.valueOf(2 * n),
                    "-keyint_min", String.valueOf(n), "-sc_threshold", "0"));
        } else {
            a.addAll(List.of("-c:v", "copy"));
        }
        if (plan.audioStream() >= 0) {
            a.addAll(List.of("-c:a", "aac", "-ac", "2", "-b:a", "192k"));
        }
        a.addAll(List.of("-copyts", "-start_at_zero", "-avoid_negative_ts", "disabled",
                "-max_muxing_queue_size", "2048"));
        if (stopAt > 0) {
            a.addAll(List.of("-t", seconds(stopAt)));
        }
        a.addAll(List.of("-f", "hls", "-hls_time", seconds(hlsTime), "-hls_segment_type", "fmp4",
                "-hls_fmp4_init_filename", "init" + run + ".mp4",
                "-hls_segment_options", "movflags=+frag_discont",
                "-hls_flags", stopAt > 0 ? "temp_file+split_by_time" : "temp_file",
                "-hls_playlist_type", "event", "-hls_list_size", "0",
                "-start_number", String.valueOf(startSegment),
                "-hls_segment_filename", "seg%d.m4s", "run" + run + ".m3u8"));
        return a;
    }

    /**
     * ffmpeg's keyframe expression for a transcode run whose first frame is the film's frame {@code from}:
     * a keyframe at every N-th frame of the film up to frame {@code last} (the last segment's start: a
     * last segment with the film's final sliver in it is up to 1.5 N frames, and is not cut N frames in)
     * and at the frames {@code splits} (where the first N frames are cut into shorter segments). x264 makes
     * no keyframe of its own ({@code -g 2N}, longer than any segment).
     */
    static String keyframes(long from, int n, int[] splits, long last) {
        StringBuilder every = new StringBuilder("eq(mod(n+" + from + "," + n + "),0)");
        for (int split : splits) {
            if (split >= from) {
                every.append("+eq(n+").append(from).append(',').append(split).append(')');
            }
        }
        return "expr:(" + every + ")*lte(n+" + from + "," + last + ")";
    }

    /** Seconds with microseconds, rounded down (a frame exactly at k·N/fps must not be cut by -ss). */
    static String seconds(double value) {
        long micros = (long) Math.floor(value * 1e6 + 1e-3);
        return String.format(Locale.ROOT, "%d.%06d", micros / 1_000_000, micros % 1_000_000);
    }
}
