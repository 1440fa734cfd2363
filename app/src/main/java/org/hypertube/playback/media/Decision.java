package org.hypertube.playback.media;

import java.util.Optional;
import java.util.Set;

/**
 * Chooses direct play, remux or transcode (PLAYBACK.md §1.1) from the probe and what the browser says it
 * plays ({@link Playable}): never from "it played", since Chromium plays AC-3 as silence without an error (§2.8).
 *
 * <ul>
 * <li>Direct: the browser plays the file's container with its video and the audio it picks itself (the
 *     default track: a browser playing a file cannot switch tracks). MP4 needs that audio; Matroska needs
 *     every track, as WebM ({@code webm.*}) or as Matroska ({@code mkv.*}).</li>
 * <li>Remux: the video can be copied into fMP4 HLS (H.264 8-bit up to level 5.1, VP9, AV1) and the browser's
 *     MediaSource takes it with AAC, but the container or the audio does not play (AC-3, DTS, another track
 *     than the default).</li>
 * <li>Transcode: anything else (HEVC where the browser has no decoder, H.264 Hi10P, MPEG-4 ASP, MPEG-2, VC-1...).</li>
 * </ul>
 */
public final class Decision {

    /** Videos copied into fMP4 HLS by a remux ({@link HlsCommand}), by the names of {@link Playable}. */
    private static final Set<String> REMUXABLE = Set.of("avc1", "vp9", "av1");
    private static final Set<String> EIGHT_BIT_420 = Set.of("yuv420p", "yuvj420p");
    private static final Set<String> PICTURE_420 = Set.of("yuv420p", "yuvj420p", "yuv420p10le");
    /** H.264 level 5.1 as ffprobe writes it. */
    private static final int MAX_H264_LEVEL = 51;

    private Decision() {
    }

    /** The decision for a browser that did not say what it plays ({@link Playable#DEFAULT}). */
    public static Plan decide(MediaProbe probe, int audioChoice, Quality quality) {
        return decide(probe, audioChoice, quality, Playable.DEFAULT);
    }

    /**
     * @param audioChoice ffprobe index of the audio stream the viewer chose; -1 (or an index that is not an
     *                    audio stream) for the default one
     * @param quality     the height of a transcode; ignored by direct play and remux
     * @param browser     what the browser says it plays
     * @throws MediaException when the file has no video
     */
    public static Plan decide(MediaProbe probe, int audioChoice, Quality quality, Playable browser) {
        if (probe.video().isEmpty()) {
            throw new MediaException("the file has no video stream");
        }
        MediaProbe.VideoStream video = probe.video().getFirst();
        int audio = chooseAudio(probe, audioChoice);
        if (audio == defaultAudio(probe) && direct(probe, video, audio, browser)) {
            return new Plan(Delivery.DIRECT, video.index(), audio, 0);
        }
        String codec = videoCodec(video);
        if (codec != null && REMUXABLE.contains(codec) && browser.plays("mse", codec) && (audio < 0 || browser.plays("mse", "aac"))) {
            return new Plan(Delivery.REMUX, video.index(), audio, 0);
        }
        return new Plan(Delivery.TRANSCODE, video.index(), audio, transcodeHeight(video, quality));
    }

    /** A conversion asked for by its address ({@code remux}: copy the video), or empty when the film's video cannot be copied. */
    public static Optional<Plan> converted(MediaProbe probe, int audioChoice, boolean remux, Quality quality) {
        if (probe.video().isEmpty()) {
            return Optional.empty();
        }
        MediaProbe.VideoStream video = probe.video().getFirst();
        int audio = chooseAudio(probe, audioChoice);
        if (!remux) {
            return Optional.of(new Plan(Delivery.TRANSCODE, video.index(), audio, transcodeHeight(video, quality)));
        }
        String codec = videoCodec(video);
        return codec != null && REMUXABLE.contains(codec)
                ? Optional.of(new Plan(Delivery.REMUX, video.index(), audio, 0)) : Optional.empty();
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

    /**
     * The video's codec by the names of {@link Playable}, or null for one no browser is asked about: H.264
     * beyond 8-bit 4:2:0 level 5.1 (what {@code avc1.640033} promises), HEVC beyond Main 8-bit.
     */
    static String videoCodec(MediaProbe.VideoStream video) {
        String format = video.pixelFormat();
        return switch (video.codec()) {
            case "h264" -> {
                String profile = video.profile() == null ? "" : video.profile();
                boolean highBitDepthOrChroma = profile.contains("10") || profile.contains("4:2:2")
                        || profile.contains("4:4:4") || profile.contains("422") || profile.contains("444");
                yield !highBitDepthOrChroma && video.level() <= MAX_H264_LEVEL
                        && (format == null || EIGHT_BIT_420.contains(format)) ? "avc1" : null;
            }
            case "hevc" -> format == null || EIGHT_BIT_420.contains(format) ? "hevc" : null;
            case "vp9", "av1" -> format == null || PICTURE_420.contains(format) ? video.codec() : null;
            case "vp8" -> "vp8";
            default -> null;
        };
    }

    private static boolean direct(MediaProbe probe, MediaProbe.VideoStream video, int audio, Playable browser) {
        String codec = videoCodec(video);
        if (probe.isMp4()) {
            return browser.plays("mp4", codec) && (audio < 0 || browser.plays("mp4", probe.audioStream(audio).codec()));
        }
        if (probe.isMatroska()) {
            return browser.plays("webm", codec) && everyTrack(probe, "webm", browser)
                    || browser.plays("mkv", codec) && everyTrack(probe, "mkv", browser);
        }
        return false;
    }

    /** Whether the browser plays every video and audio track of a Matroska file in this container. */
    private static boolean everyTrack(MediaProbe probe, String container, Playable browser) {
        return probe.video().stream().allMatch(v -> browser.plays(container, videoCodec(v)))
                && probe.audio().stream().allMatch(a -> browser.plays(container, a.codec()));
    }
}
