package org.hypertube.torrent;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** One torrent in a {@link TorrentClient}. Methods are thread-safe snapshots. */
public interface Torrent {
    InfoHash infoHash();

    /** Present once the info dictionary is known (at once for .torrent files, after BEP 9 for magnets). */
    Optional<TorrentInfo> info();

    TorrentState state();

    /** Why the torrent failed, when {@link #state()} is {@link TorrentState#FAILED}. */
    Optional<String> error();

    /** Verified bytes of wanted pieces over wanted bytes, 0..1. */
    double progress();

    long verifiedBytes();

    long downloadedBytes();

    long uploadedBytes();

    /** Bytes per second over the last few seconds. */
    long downloadRate();

    long uploadRate();

    List<PeerInfo> peers();

    List<FileInfo> files();

    /** Indices of the verified pieces (a copy; empty before the metadata is known and checked). */
    java.util.BitSet verifiedPieces();

    /** Sets a file's priority: 0 skips it, 1..7 (4 is normal). */
    void setFilePriority(int fileIndex, int priority);

    /** Adds a peer to try (for example from a magnet's x.pe or a test). */
    void connect(InetSocketAddress peer);

    /** Waits until every wanted piece is verified; false on time-out, exception if the torrent failed. */
    boolean awaitCompletion(Duration timeout) throws InterruptedException;

    /** Waits for metadata; false on time-out. */
    boolean awaitMetadata(Duration timeout) throws InterruptedException;

    /**
     * Opens a blocking reader over file {@code fileIndex} (as in {@link #files()}); its position and
     * readahead decide which pieces are fetched first. Raises the file's priority if it was 0.
     *
     * @throws IllegalStateException when the metadata is not known yet or the torrent is closed
     * @throws IndexOutOfBoundsException for a bad index
     */
    TorrentStream openStream(int fileIndex);

    /** Stops all peer traffic (connections closed, tracker told "stopped"); the torrent stays in the client. */
    void pause();

    /** Starts again after {@link #pause()}, from the verified data. */
    void resume();

    boolean paused();

    /** Stops the torrent: announces stopped, closes peers, saves resume data. Files stay. */
    void close();
}
