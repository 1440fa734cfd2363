package org.hypertube.catalog;

import java.util.List;

/**
 * The copies of films this server holds (its downloads), for the "ready now" row and the film page.
 * Playback implements it; the catalog only asks, so it does not depend on playback.
 */
public interface ServerCopies {

    /** How far the server has a copy: READY copies are complete on disk and start at once. */
    enum State { READY, DOWNLOADING, PAUSED, FAILED }

    /** One torrent of a film the server fetches or keeps; {@code infoHash} in lower-case hex. */
    record Copy(String infoHash, String name, State state) {
    }

    /** Films with a complete copy, the most recently completed first (one statement, at most {@code max}). */
    List<Long> readyFilms(int max);

    /** The server's copies of one film, newest first. */
    List<Copy> copies(long filmId);
}
