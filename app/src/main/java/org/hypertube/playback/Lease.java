package org.hypertube.playback;

import java.time.Instant;

/**
 * Who runs a download's torrent: {@code owner} (an instance name) until {@code expiresAt}, reachable by
 * the other instances at {@code address} (its cluster listener; null when it has none).
 * {@code removeReason}: another instance asked the owner to delete the download.
 */
record Lease(String infoHash, String owner, String address, Instant expiresAt, String removeReason) {

    boolean liveAt(Instant now) {
        return expiresAt.isAfter(now);
    }
}
