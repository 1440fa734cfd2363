package org.hypertube.playback;

/** Asked before a Play adds a new torrent (never for a film already held or downloading); may refuse. */
interface Admission {
    /** Takes room for one new download, or refuses it. */
    void reserve() throws PlayRefused;

    /** Gives back what {@link #reserve} took: no torrent was added after all. */
    void release();
}
