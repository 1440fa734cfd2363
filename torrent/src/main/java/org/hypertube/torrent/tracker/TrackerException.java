package org.hypertube.torrent.tracker;

import java.io.IOException;

/** A tracker could not be reached, answered garbage, or sent a failure reason. */
public final class TrackerException extends IOException {
    public TrackerException(String message) {
        super(message);
    }

    public TrackerException(String message, Throwable cause) {
        super(message, cause);
    }
}
