package org.hypertube.playback.subtitle;

/**
 * One subtitle cue: absolute times in milliseconds and its text as WebVTT cue text, already
 * escaped ({@code &amp; &lt; &gt;}) and holding no tags but balanced {@code <i> <b> <u>}, one line
 * per {@code \n}, never an empty line.
 */
public record Cue(long startMillis, long endMillis, String text) {

    public Cue {
        if (startMillis < 0 || endMillis <= startMillis) {
            throw new IllegalArgumentException("a cue must end after it starts: " + startMillis + " -> " + endMillis);
        }
    }
}
