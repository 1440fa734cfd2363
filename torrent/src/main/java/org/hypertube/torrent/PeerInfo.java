package org.hypertube.torrent;

import java.net.InetSocketAddress;

/**
 * A snapshot of one connected peer or web seed. Rates are bytes per second. {@code source} says how
 * we learned of it: {@code tracker}, {@code magnet}, {@code pex}, {@code web seed}, {@code incoming}
 * (it dialled us) or {@code added} (the application asked). A web seed's address is its server's.
 */
public record PeerInfo(InetSocketAddress address, String client, boolean outgoing, double progress,
        long downloadRate, long uploadRate, boolean peerChoking, boolean amChoking, boolean snubbed, String source) {}
