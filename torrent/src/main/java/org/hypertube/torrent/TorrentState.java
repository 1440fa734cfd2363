package org.hypertube.torrent;

/** Where a torrent is in its life. */
public enum TorrentState {
    /** Magnet added: asking peers for the info dictionary (BEP 9). */
    FETCHING_METADATA,
    /** Hashing data already on disk. */
    CHECKING,
    DOWNLOADING,
    /** Every wanted piece is verified; uploading to others. */
    SEEDING,
    /** Stopped by an error (see {@link Torrent#error()}); verified data is kept. */
    FAILED,
    CLOSED
}
