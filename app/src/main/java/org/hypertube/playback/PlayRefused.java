package org.hypertube.playback;

import java.time.Instant;

/** A Play that may not add a download now, with a message key and, when known, when to try again. */
final class PlayRefused extends Exception {
    final String messageKey;
    final transient Instant retryAt;

    PlayRefused(String messageKey, Instant retryAt, String detail) {
        super(detail);
        this.messageKey = messageKey;
        this.retryAt = retryAt;
    }
}
