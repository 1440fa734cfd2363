package org.hypertube.torrent.tracker;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/** A tracker's successful answer. Intervals are in seconds. */
public record AnnounceResponse(int interval, OptionalInt minInterval, Optional<String> trackerId, OptionalInt seeders,
        OptionalInt leechers, List<InetSocketAddress> peers, Optional<String> warning) {
    public AnnounceResponse {
        peers = List.copyOf(peers);
    }
}
