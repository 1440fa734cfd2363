package org.hypertube.playback.subtitle;

/**
 * A subtitle could not be read, converted or fetched. The message says why in words fit for a log
 * line (never a key or a token); the film keeps playing without that track.
 */
public class SubtitleException extends Exception {

    public SubtitleException(String message) {
        super(message);
    }

    public SubtitleException(String message, Throwable cause) {
        super(message, cause);
    }
}
