package org.hypertube.playback.media;

import java.util.Set;

/**
 * Chooses direct play, remux or transcode for Chromium and Firefox (PLAYBACK.md §1.1), from the probe only:
 * never from "it played", since Chromium plays AC-3 as silence without an error (§2.8).
 *
 * <ul>
 * <li>Direct: MP4/MOV/M4V, or a Matroska file holding only WebM codecs, with playable video and the audio
 *     the browser itself picks (the default track: a browser playing a file cannot switch tracks).</li>
 * <li>Remux: the video is playable (H.264 8-bit up to level 5.1, VP9, AV1) but the container is not
 *     (MKV: Firefox; AVI, TS) or the audio is not (AC-3, DTS, TrueHD, another track than the default).</li>
 * <li>Transcode: any other video (HEVC, H.264 Hi10P, MPEG-4 ASP, MPEG-2, VC-1...).</li>
 * </ul>
 */
public final class Decision {

    /** Browsers decode these in fMP4 HLS (hls.js on MediaSource) as well as in their own file. */
    private static final Set<String> PLAYABLE_VIDEO = Set.of("h264", "vp9", "av1");
    private static final Set<String> MP4_AUDIO = Set.of("aac", "mp3", "opus", "flac");
    private static final Set<String> WEBM_VIDEO = Set.of("vp8", "vp9", "av1");
    private static final Set<String> WEBM_AUDIO = Set.of("opus", "vorbis");
    private static final Set<String> EIGHT_BIT_420 = Set.of("yuv420p", "yuvj420p");
    private static final Set<String> PICTURE_420 = Set.of("yuv420p", "yuvj420p", "yuv420p10le");
    /** H.264 level 5.1 as ffprobe writes it. */
    private static final int MAX_H264_LEVEL = 51;

    private Decision() {
    }

    /**
     * @param audioChoice ffprobe index of the audio stream the viewer chose; -1 (or an index that is not an
     *                    audio stream) for the default one
     * @param quality     the height of a transcode; ignored by direct play and remux
     * @throws MediaException when the file has no video
     */
    public static Plan decide(MediaProbe probe, int audioChoice, Quality quality) {
        if (probe.video().isEmpty()) {
            throw new MediaException("the file has no video stream");
        }
        MediaProbe.VideoStream video = probe.video().getFirst();
        int audio = chooseAudio(probe, audioChoice);
        boolean webmVp8 = probe.isMatroska() && video.codec().equals("vp8");
        if ((playableVideo(video) || webmVp8) && audio == defaultAudio(probe) && directContainer(probe, video, audio)) {
            return new Plan(Delivery.DIRECT, video.index(), audio, 0);
        }
        if (!playableVideo(video)) {
            return new Plan(Delivery.TRANSCODE, video.index(), audio, transcodeHeight(video, quality));
        }
        return new Plan(Delivery.REMUX, video.index(), audio, 0);
    }

    /** The same choice of streams, transcoded: for remuxes whose keyframes cannot be read. */
    public static Plan transcodeInstead(MediaProbe probe, Plan plan, Quality quality) {
        MediaProbe.VideoStream video = probe.videoStream(plan.videoStream());
        if (video == null) {
            throw new MediaException("no video stream " + plan.videoStream());
        }
        return new Plan(Delivery.TRANSCODE, video.index(), plan.audioStream(), transcodeHeight(video, quality));
    }

    /** The chosen audio stream if it is one, else the one flagged default, else the first; -1 without audio. */
    public static int chooseAudio(MediaProbe probe, int audioChoice) {
        return probe.audioStream(audioChoice) != null ? audioChoice : defaultAudio(probe);
    }

    /** The audio a browser plays from the file: the track flagged default, else the first; -1 without audio. */
    public static int defaultAudio(MediaProbe probe) {
        return probe.audio().stream().filter(MediaProbe.AudioStream::isDefault).findFirst()
                .or(() -> probe.audio().stream().findFirst())
                .map(MediaProbe.AudioStream::index).orElse(-1);
    }

    /** Height of a transcode: the quality's, never above the film's, even; ORIGINAL caps at 1080. */
    public static int transcodeHeight(MediaProbe.VideoStream video, Quality quality) {
        int target = (quality == null ? Quality.DEFAULT : quality).maxHeight();
        int height = video.height() > 0 ? Math.min(video.height(), target) : target;
        height -= height % 2;
        return height >= 2 ? height : target;
    }

    /** H.264 8-bit 4:2:0 up to level 5.1, VP9 or AV1 in 4:2:0. */
    static boolean playableVideo(MediaProbe.VideoStream video) {
        if (!PLAYABLE_VIDEO.contains(video.codec())) {
            return false;
        }
        if (video.codec().equals("h264")) {
            String profile = video.profile() == null ? "" : video.profile();
            boolean highBitDepthOrChroma = profile.contains("10") || profile.contains("4:2:2")
                    || profile.contains("4:4:4") || profile.contains("422") || profile.contains("444");
            return !highBitDepthOrChroma && video.level() <= MAX_H264_LEVEL
                    && (video.pixelFormat() == null || EIGHT_BIT_420.contains(video.pixelFormat()));
        }
        return video.pixelFormat() == null || PICTURE_420.contains(video.pixelFormat());
    }

    private static boolean directContainer(MediaProbe probe, MediaProbe.VideoStream video, int audio) {
        String audioCodec = audio < 0 ? null : probe.audioStream(audio).codec();
        if (probe.isMp4()) {
            return audioCodec == null || MP4_AUDIO.contains(audioCodec);
        }
        if (probe.isMatroska()) {
            boolean onlyWebmCodecs = probe.video().stream().allMatch(v -> WEBM_VIDEO.contains(v.codec()))
                    && probe.audio().stream().allMatch(a -> WEBM_AUDIO.contains(a.codec()));
            return onlyWebmCodecs && WEBM_VIDEO.contains(video.codec());
        }
        return false;
    }
}
