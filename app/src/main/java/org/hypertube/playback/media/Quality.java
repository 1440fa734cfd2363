package org.hypertube.playback.media;

/**
 * The picture height of a transcode. It does not apply to direct play or remux, which keep the film's
 * own picture. Never above the film's height; ORIGINAL is capped at 1080 lines, the most a 2-core machine
 * encodes faster than real time (PLAYBACK.md §1.2).
 */
public enum Quality {
    ORIGINAL(1080), P1080(1080), P720(720), P480(480);

    /** Transcodes use this unless the viewer chose another. */
    public static final Quality DEFAULT = P720;

    private final int maxHeight;

    Quality(int maxHeight) {
        this.maxHeight = maxHeight;
    }

    public int maxHeight() {
        return maxHeight;
    }
}
