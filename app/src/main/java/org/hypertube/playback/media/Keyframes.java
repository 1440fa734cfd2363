package org.hypertube.playback.media;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keyframe times of a film's video from its index (MKV Cues, MP4 stss), without reading the film.
 * A remux cuts a segment at every keyframe, so its playlist is exactly this list; formats without an
 * index (AVI, MPEG-TS, MKV without Cues) give nothing and are transcoded instead of guessed.
 */
public final class Keyframes {

    private static final Logger log = LoggerFactory.getLogger(Keyframes.class);
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);

    private Keyframes() {
    }

    /**
     * @param input       loopback URL (Range requests) or file path, as given to {@link Prober#probe}
     * @param videoStream ffprobe index of the video stream
     * @return keyframe times in seconds (the file's own timestamps, as ffprobe shows them), ascending
     */
    public static Optional<double[]> read(String input, MediaProbe probe, int videoStream) {
        if (!probe.isMatroska() && !probe.isMp4()) {
            return Optional.empty();
        }
        try (ByteSource source = ByteSource.open(input, READ_TIMEOUT)) {
            return probe.isMatroska() ? MatroskaCues.keyframes(source) : Mp4SyncSamples.keyframes(source, videoStream);
        } catch (IOException | RuntimeException e) {
            log.info("no keyframe index read from {}: {}", input, e.toString());
            return Optional.empty();
        }
    }
}
