package org.hypertube.playback;

/**
 * Whether a film's seek-bar thumbnails are made (a WebVTT index of sprite sheets at
 * {@code /films/{id}/thumbnails.vtt}): the status then names the index, and the player asks for it only
 * then, never for an address that would answer 404. Implemented where the thumbnails are made; without
 * an implementation no film has any.
 */
public interface FilmThumbnails {

    boolean ready(long filmId);
}
