package org.hypertube.torrent;

import java.io.IOException;

/** A blocking {@link TorrentStream#read} waited longer than its time-out for the bytes to be verified. */
public class StreamTimeoutException extends IOException {
    private static final long serialVersionUID = 1L;

    public StreamTimeoutException(String message) {
        super(message);
    }
}
