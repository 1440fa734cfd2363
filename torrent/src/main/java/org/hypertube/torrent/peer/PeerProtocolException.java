package org.hypertube.torrent.peer;

import java.io.IOException;

/** A peer sent bytes that break the wire protocol; the connection is dropped. */
public final class PeerProtocolException extends IOException {
    public PeerProtocolException(String message) {
        super(message);
    }
}
