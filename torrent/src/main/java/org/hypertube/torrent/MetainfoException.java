package org.hypertube.torrent;

/** A torrent file, info dictionary or magnet link that is malformed or unsafe; the message names the fault. */
public final class MetainfoException extends RuntimeException {
    public MetainfoException(String message) {
        super(message);
    }

    public MetainfoException(String message, Throwable cause) {
        super(message, cause);
    }
}
