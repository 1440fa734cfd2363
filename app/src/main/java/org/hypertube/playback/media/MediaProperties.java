package org.hypertube.playback.media;

import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How films are probed and converted.
 *
 * @param ffmpegPath     an ffmpeg executable to use instead of the bundled one (HYPERTUBE_FFMPEG); empty = bundled
 * @param ffprobePath    same for ffprobe (HYPERTUBE_FFPROBE); empty = bundled
 * @param workDir        where conversions write their segments; empty = {@code <hypertube.data-dir>/transcode}
 * @param maxTranscodes  video encodes running at once: libx264 720p veryfast takes both cores of a small machine
 *                       (PLAYBACK.md §1.2), so further ones wait in line
 * @param maxRemuxes     video-copy conversions running at once; they cost little CPU
 * @param idleTimeout    a conversion nobody asked anything of for this long is stopped (its segments stay)
 * @param sessionTimeout a playback nobody asked anything of for this long is forgotten and its files deleted
 * @param probeTimeout   ffprobe may take this long; the input may block while its pieces download
 * @param segmentTimeout a segment request waits this long for ffmpeg to write the segment
 */
@ConfigurationProperties("hypertube.media")
public record MediaProperties(String ffmpegPath, String ffprobePath, Path workDir, Integer maxTranscodes,
                              Integer maxRemuxes, Duration idleTimeout, Duration sessionTimeout,
                              Duration probeTimeout, Duration segmentTimeout) {

    public MediaProperties {
        ffmpegPath = ffmpegPath == null || ffmpegPath.isBlank() ? null : ffmpegPath.strip();
        ffprobePath = ffprobePath == null || ffprobePath.isBlank() ? null : ffprobePath.strip();
        workDir = workDir == null || workDir.toString().isBlank() ? null : workDir.toAbsolutePath().normalize();
        maxTranscodes = range(maxTranscodes, 1, 0, 16, "maxTranscodes");
        maxRemuxes = range(maxRemuxes, 4, 1, 64, "maxRemuxes");
        idleTimeout = positive(idleTimeout, Duration.ofSeconds(60), "idleTimeout");
        sessionTimeout = positive(sessionTimeout, Duration.ofMinutes(15), "sessionTimeout");
        probeTimeout = positive(probeTimeout, Duration.ofSeconds(60), "probeTimeout");
        segmentTimeout = positive(segmentTimeout, Duration.ofSeconds(60), "segmentTimeout");
        if (sessionTimeout.compareTo(idleTimeout) < 0) {
            sessionTimeout = idleTimeout;
        }
    }

    /** The defaults: bundled binaries, work folder under the data folder. */
    public static MediaProperties defaults() {
        return new MediaProperties(null, null, null, null, null, null, null, null, null);
    }

    /** These settings with another work folder and transcode limit (tests, tools). */
    public MediaProperties with(Path workDir, int maxTranscodes) {
        return new MediaProperties(ffmpegPath, ffprobePath, workDir, maxTranscodes, maxRemuxes, idleTimeout,
                sessionTimeout, probeTimeout, segmentTimeout);
    }

    private static int range(Integer value, int dflt, int min, int max, String name) {
        int v = value == null ? dflt : value;
        if (v < min || v > max) {
            throw new IllegalArgumentException("hypertube.media." + name + " must be between " + min + " and " + max
                    + ", not " + v);
        }
        return v;
    }

    private static Duration positive(Duration value, Duration dflt, String name) {
        if (value == null) {
            return dflt;
        }
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException("hypertube.media." + name + " must be positive, not " + value);
        }
        return value;
    }
}
