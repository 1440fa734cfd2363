package org.hypertube.torrent;

import java.util.Map;
import java.util.OptionalInt;

/**
 * A snapshot of a {@link TorrentClient} for an operator's metrics (see {@link TorrentClient#stats()}).
 *
 * @param torrentsByState how many torrents are in each state (every state present, zero included)
 * @param peerConnections open peer connections, all torrents together
 * @param totals          running totals since the client started
 * @param dhtNodes        the DHT's routing-table size, empty when the DHT is off
 */
public record EngineStats(Map<TorrentState, Integer> torrentsByState, int peerConnections, Totals totals,
                          OptionalInt dhtNodes) {

    public EngineStats {
        torrentsByState = Map.copyOf(torrentsByState);
    }

    /** Nothing running: what an engine that has not started yet reports. */
    public static EngineStats idle() {
        Map<TorrentState, Integer> none = new java.util.EnumMap<>(TorrentState.class);
        for (TorrentState state : TorrentState.values()) {
            none.put(state, 0);
        }
        return new EngineStats(none, 0, Totals.NONE, OptionalInt.empty());
    }

    /**
     * Counts that only grow while the client lives.
     *
     * @param downloadedBytes payload bytes received from peers and web seeds
     * @param uploadedBytes   payload bytes sent to peers
     * @param hashFailures    pieces that failed their SHA-1 check
     * @param bannedPeers     peers banned for sending corrupt data
     */
    public record Totals(long downloadedBytes, long uploadedBytes, long hashFailures, long bannedPeers) {
        public static final Totals NONE = new Totals(0, 0, 0, 0);

        Totals plus(Totals other) {
            return new Totals(downloadedBytes + other.downloadedBytes, uploadedBytes + other.uploadedBytes,
                    hashFailures + other.hashFailures, bannedPeers + other.bannedPeers);
        }
    }
}
