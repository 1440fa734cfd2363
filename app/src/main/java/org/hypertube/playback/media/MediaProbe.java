package org.hypertube.playback.media;

import java.util.List;

/**
 * What ffprobe says about one film file: enough to decide how to play it and to plan HLS segments.
 *
 * @param formats   the demuxer's names ("matroska", "webm"; "mov", "mp4", "m4a"...)
 * @param duration  seconds from the first timestamp to the end; 0 when unknown
 * @param startTime seconds of the first timestamp (conversions count from it); 0 when unknown
 * @param bitRate   bits per second over the whole file; 0 when unknown
 * @param video     video streams, cover pictures left out
 * @param audio     audio streams
 * @param subtitles subtitle streams
 */
public record MediaProbe(List<String> formats, double duration, double startTime, long bitRate,
                         List<VideoStream> video, List<AudioStream> audio, List<SubtitleStream> subtitles) {

    public MediaProbe {
        formats = List.copyOf(formats);
        video = List.copyOf(video);
        audio = List.copyOf(audio);
        subtitles = List.copyOf(subtitles);
    }

    /** MP4, MOV, M4V (ffmpeg's "mov,mp4,m4a,3gp,3g2,mj2" demuxer). */
    public boolean isMp4() {
        return formats.contains("mp4") || formats.contains("mov");
    }

    /** Matroska or WebM (one demuxer for both). */
    public boolean isMatroska() {
        return formats.contains("matroska") || formats.contains("webm");
    }

    /** The audio stream with this ffprobe index, or null. */
    public AudioStream audioStream(int index) {
        return audio.stream().filter(a -> a.index() == index).findFirst().orElse(null);
    }

    /** The video stream with this ffprobe index, or null. */
    public VideoStream videoStream(int index) {
        return video.stream().filter(v -> v.index() == index).findFirst().orElse(null);
    }

    /**
     * @param index          the stream's index in the file (ffmpeg's {@code -map 0:index})
     * @param codec          ffmpeg's codec name: h264, hevc, vp9, av1, mpeg4, mpeg2video, vc1...
     * @param profile        "High", "High 10", "Main 10"...; null when not given
     * @param pixelFormat    "yuv420p", "yuv420p10le"...; null when not given
     * @param level          the codec level as ffprobe gives it (H.264: 41 = 4.1); 0 when unknown
     * @param frameRate      the stream's base frame rate (r_frame_rate); null when unknown
     * @param averageFrameRate the average over the file (avg_frame_rate); null when unknown
     * @param bFrames        frames of reordering delay (has_b_frames); 0 without B-frames
     */
    public record VideoStream(int index, String codec, String profile, String pixelFormat, int width, int height,
                              int level, Rational frameRate, Rational averageFrameRate, int bFrames) {
    }

    /**
     * @param language ISO 639-2 tag as in the file ("eng", "fre"); null when absent or "und"
     * @param title    the track's title; null when absent
     */
    public record AudioStream(int index, String codec, String profile, int channels, String language, String title,
                              boolean isDefault) {
    }

    public record SubtitleStream(int index, String codec, String language, String title, boolean forced,
                                 boolean isDefault) {
    }
}
