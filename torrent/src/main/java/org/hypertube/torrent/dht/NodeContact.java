package org.hypertube.torrent.dht;

import java.net.InetSocketAddress;

/** A DHT node: its id and the UDP address it answers on (a literal address, port 1..65535). */
public record NodeContact(NodeId id, InetSocketAddress address) {
    public NodeContact {
        if (address.isUnresolved() || address.getPort() == 0) {
            throw new IllegalArgumentException("a node needs a literal address and a port: " + address);
        }
    }
}
