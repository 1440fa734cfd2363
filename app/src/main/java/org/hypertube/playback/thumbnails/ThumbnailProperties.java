package org.hypertube.playback.thumbnails;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Seek-bar thumbnails.
 *
 * @param enabled made for every finished film (HYPERTUBE_THUMBNAILS, on by default)
 * @param timeout one film's ffmpeg run may take this long (30 minutes unless set); then it counts as failed
 */
@ConfigurationProperties("hypertube.thumbnails")
public record ThumbnailProperties(Boolean enabled, Duration timeout) {

    public ThumbnailProperties {
        enabled = enabled == null || enabled;
        timeout = timeout == null ? Duration.ofMinutes(30) : timeout;
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("hypertube.thumbnails.timeout must be positive, not " + timeout);
        }
    }
}
