package org.hypertube.playback;

import java.util.Optional;

/** What the REST API may ask of playback: add a torrent to a film, start or stop a film's download, a member's place in it. */
public interface FilmDownloads {

    /** A member's place in a film: seconds from the start, and whether they reached its end. */
    record WatchState(int positionSeconds, boolean watched) {}

    /** Input refused; {@code code} is the message key the downloads page shows for it. */
    final class Refused extends Exception {
        private final String code;

        public Refused(String code, String detail) {
            super(detail);
            this.code = code;
        }

        public String code() {
            return code;
        }
    }

    /** Adds a magnet link as a copy of the film and starts it; returns its info-hash. */
    String addMagnet(String magnet, long filmId, long memberId) throws Refused;

    /**
     * Starts the film's download as Play would (the best torrent its sources offer; no Play limit, the disk
     * quota holds); false when none can start.
     */
    boolean start(long filmId) throws Refused;

    /** Stops every download of the film and deletes its files; returns how many there were. */
    int stop(long filmId, String why);

    /** Where the member is in the film, if they started it. */
    Optional<WatchState> watchState(long memberId, long filmId);
}
