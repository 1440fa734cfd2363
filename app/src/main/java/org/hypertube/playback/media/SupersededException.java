package org.hypertube.playback.media;

/**
 * A segment request a newer request of the same viewer superseded (a seek): the player has given it up,
 * so it is answered without its segment (see PLAYBACK.md "Shared conversions"). Not a failure.
 */
public final class SupersededException extends RuntimeException {

    public SupersededException(String message) {
        super(message, null, false, false);
    }
}
