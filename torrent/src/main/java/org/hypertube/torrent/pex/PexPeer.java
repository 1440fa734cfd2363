package org.hypertube.torrent.pex;

import java.net.InetSocketAddress;

/** A peer as PEX lists it: the address it listens on, and what BEP 11's flags byte says about it. */
public record PexPeer(InetSocketAddress address, int flags) {
    public static final int PREFERS_ENCRYPTION = 0x01;
    public static final int SEED = 0x02;
    public static final int UTP = 0x04;
    public static final int HOLEPUNCH = 0x08;
    /** We connected to it ourselves, so it accepts incoming connections. */
    public static final int REACHABLE = 0x10;

    public PexPeer {
        if (address.isUnresolved() || address.getPort() == 0) {
            throw new IllegalArgumentException("a PEX peer needs a literal address and a port: " + address);
        }
        if (flags < 0 || flags > 0xff) {
            throw new IllegalArgumentException("PEX flags are one byte: " + flags);
        }
    }

    public boolean has(int flag) {
        return (flags & flag) != 0;
    }

    @Override
    public String toString() {
        return address.getAddress().getHostAddress() + ":" + address.getPort() + (flags == 0 ? "" : " flags 0x" + Integer.toHexString(flags));
    }
}
