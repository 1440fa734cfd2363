package org.hypertube.playback.media;

/**
 * ffprobe or ffmpeg failed, timed out or gave something unreadable; the message says which, and carries
 * the end of the tool's error output when there is one (for the log, not for the page).
 */
public class MediaException extends RuntimeException {

    public MediaException(String message) {
        super(message);
    }

    public MediaException(String message, Throwable cause) {
        super(message, cause);
    }
}
