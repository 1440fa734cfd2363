package org.hypertube.torrent.client;

import java.net.InetSocketAddress;

/** A snapshot of one connected peer. Rates are bytes per second. */
public record PeerInfo(InetSocketAddress address, String client, boolean outgoing, double progress,
        long downloadRate, long uploadRate, boolean peerChoking, boolean amChoking, boolean snubbed) {}
