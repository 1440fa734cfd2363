package org.hypertube.playback.media;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What one browser says it plays, as the player page asks it ({@code canPlayType} per container and codec,
 * {@code MediaSource.isTypeSupported} for the fMP4 that hls.js feeds it) and sends with Play: answers such as
 * {@code mp4.avc1}, {@code mkv.hevc}, {@code webm.opus}, {@code mse.aac}. {@link Decision} reads them.
 *
 * <p>Outside data: {@link #parse} keeps only the known answers of a bounded text, and an absent or empty
 * text means {@link #DEFAULT} (what every browser we support plays: the choice made before pages sent it).
 *
 * @param answers the containers/codecs the browser plays, as {@code container.codec}
 */
public record Playable(Set<String> answers) {

    /** Longest text read: the page sends about 40 answers of at most 11 characters. */
    static final int MAX_LENGTH = 1024;
    static final Set<String> CONTAINERS = Set.of("mp4", "webm", "mkv", "mse");
    static final Set<String> CODECS = Set.of("avc1", "hevc", "av1", "vp9", "vp8",
            "aac", "ac3", "eac3", "opus", "mp3", "flac", "vorbis", "dts", "truehd");

    /** Chromium's and Firefox's common ground, the decision's fixed list before browsers said what they play. */
    public static final Playable DEFAULT = new Playable(Set.of(
            "mp4.avc1", "mp4.vp9", "mp4.av1", "mp4.aac", "mp4.mp3", "mp4.opus", "mp4.flac",
            "webm.vp8", "webm.vp9", "webm.av1", "webm.opus", "webm.vorbis",
            "mse.avc1", "mse.vp9", "mse.av1", "mse.aac"));

    public Playable {
        answers = Set.copyOf(answers);
    }

    /**
     * The answers in a page's text ({@code "mp4.avc1 mp4.aac mse.avc1"}, separated by spaces or commas);
     * {@link #DEFAULT} when it is absent, too long or holds no known answer.
     */
    public static Playable parse(String text) {
        if (text == null || text.isBlank() || text.length() > MAX_LENGTH) {
            return DEFAULT;
        }
        Set<String> known = Arrays.stream(text.split("[\\s,]+", 200))
                .filter(Playable::known)
                .collect(Collectors.toUnmodifiableSet());
        return known.isEmpty() ? DEFAULT : new Playable(known);
    }

    private static boolean known(String answer) {
        int dot = answer.indexOf('.');
        return dot > 0 && CONTAINERS.contains(answer.substring(0, dot)) && CODECS.contains(answer.substring(dot + 1));
    }

    /** Whether the browser plays {@code codec} in {@code container} ("mp4", "webm", "mkv" or "mse"). */
    public boolean plays(String container, String codec) {
        return codec != null && answers.contains(container + "." + codec);
    }

    /** A short, stable text for logs: the answers in order. */
    @Override
    public String toString() {
        return answers.stream().sorted().collect(Collectors.joining(" "));
    }
}
