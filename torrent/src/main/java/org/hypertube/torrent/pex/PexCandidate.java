package org.hypertube.torrent.pex;

import java.net.InetSocketAddress;

/**
 * An address learned through PEX, with the peer that told us ({@code source}): BEP 11 warns against
 * taking every candidate from one source, so the caller can count them per source.
 */
public record PexCandidate(PexPeer peer, InetSocketAddress source) {
    public InetSocketAddress address() {
        return peer.address();
    }
}
