package org.hypertube.torrent;

import org.hypertube.torrent.peer.ExtensionHandshake;
import org.hypertube.torrent.peer.PeerProtocolException;

/**
 * One BEP 10 extension (libtorrent's plugin interface, in small): it learns each peer's handshake,
 * gets the messages sent to our id for it, and may act on the session's tick. Called under the
 * session's lock; it sends through {@link ExtensionPeer#sendExtended}, which never blocks.
 */
interface Extension {
    /** The name in the handshake's {@code m} dictionary, e.g. {@code ut_metadata}. */
    String name();

    /** False while the extension must not be spoken (PEX on a private torrent, BEP 27): not advertised, messages ignored. */
    default boolean enabled() {
        return true;
    }

    /** The peer's extension handshake arrived (its ids are in {@link ExtensionPeer#extensionId} already). */
    void onHandshake(ExtensionPeer p, ExtensionHandshake theirs) throws PeerProtocolException;

    /** A message the peer sent to our id for this extension. */
    void onMessage(ExtensionPeer p, byte[] payload) throws PeerProtocolException;

    /** The peer is gone. */
    default void onClosed(ExtensionPeer p) { }

    /** The session's periodic tick. */
    default void tick(long now) { }
}
