package org.hypertube.playback.subtitle;

import java.time.Instant;
import java.util.Optional;

/** OpenSubtitles did not answer: why, and for quota or rate limits, when it may be asked again. */
public class OpenSubtitlesException extends SubtitleException {

    public enum Reason {
        /** No key, or the key (or the User-Agent) was refused: the source stays off until restart. */
        DISABLED,
        /** The download quota or the rate limit is spent until {@link #retryAt()}. */
        QUOTA,
        /** A server error, a time-out, a malformed or oversized answer. */
        UNAVAILABLE
    }

    private final Reason reason;
    private final Instant retryAt;

    public OpenSubtitlesException(Reason reason, String message, Instant retryAt) {
        super("OpenSubtitles: " + message);
        this.reason = reason;
        this.retryAt = retryAt;
    }

    public Reason reason() {
        return reason;
    }

    /** When asking again makes sense (quota renewal, Retry-After), if known. */
    public Optional<Instant> retryAt() {
        return Optional.ofNullable(retryAt);
    }
}
