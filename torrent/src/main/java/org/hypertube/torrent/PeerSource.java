package org.hypertube.torrent;

import java.net.InetSocketAddress;
import java.util.Collection;

/**
 * Where a torrent's candidate peers come from: trackers ({@link Announcer}), a magnet's
 * {@code x.pe}, PEX ({@link PexExtension}), and later the DHT and local discovery. A source hands
 * what it finds to the {@link Sink} it was started with; the {@link PeerList} decides whom to dial.
 */
interface PeerSource {
    /** Receives candidates; safe to call from any thread. */
    interface Sink {
        void offer(Collection<InetSocketAddress> peers, String source);
    }

    /** Starts finding peers (a source may start threads of its own). */
    void start(Sink sink);

    /** Asks the source to look again soon (completion, resume). */
    default void wake() { }

    /** Stops, with a last word to the outside if the source has one (a tracker's {@code stopped}). */
    default void stop() { }
}
