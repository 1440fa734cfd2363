package org.hypertube.torrent.client;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.hypertube.torrent.metainfo.InfoHash;
import org.hypertube.torrent.metainfo.TorrentInfo;

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

    /** Sets a file's priority: 0 skips it, 1..7 (4 is normal). */
    void setFilePriority(int fileIndex, int priority);

    /** Adds a peer to try (for example from a magnet's x.pe or a test). */
    void connect(InetSocketAddress peer);

    /** Waits until every wanted piece is verified; false on time-out, exception if the torrent failed. */
    boolean awaitCompletion(Duration timeout) throws InterruptedException;

    /** Waits for metadata; false on time-out. */
    boolean awaitMetadata(Duration timeout) throws InterruptedException;

    /** Stops the torrent: announces stopped, closes peers, saves resume data. Files stay. */
    void close();
}
