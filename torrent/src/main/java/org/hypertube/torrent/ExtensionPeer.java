package org.hypertube.torrent;

import java.net.InetSocketAddress;

/** What an {@link Extension} sees of a peer: its ids for extensions, a way to send, where it is. */
interface ExtensionPeer {
    /** The peer's message id for extension {@code name}; 0 when it does not speak it. */
    int extensionId(String name);

    /** Queues an extended message (BEP 10) with the peer's id {@code theirId}; never blocks. */
    void sendExtended(int theirId, byte[] payload);

    /** The peer's address as connected (for an incoming peer, not its listen port). */
    InetSocketAddress address();

    boolean isClosed();

    /** True when we dialled the peer (so its address is where it listens). */
    boolean outgoing();
}
