package org.hypertube.torrent;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.channels.ReadableByteChannel;

/**
 * The byte stream under a peer connection (anacrolix's {@code socket} interface): plain TCP today;
 * uTP, and MSE wrapping either, slot in here without the connection or the session knowing.
 */
interface PeerTransport extends Closeable {
    /** The peer's address as connected. */
    InetSocketAddress remote();

    /** What the connection reads after the handshake; a blocking channel. */
    ReadableByteChannel input();

    /** Where the connection writes; the caller buffers. */
    OutputStream output() throws IOException;

    /** Ends the stream; a blocked read then fails. */
    @Override
    void close() throws IOException;
}
