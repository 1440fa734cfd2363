package org.hypertube.playback.thumbnails;

import java.time.Duration;
import java.time.Instant;

/**
 * When the sheets of a film still downloading are made: from its verified beginning (the bytes from the
 * start that the server holds without a gap), one sheet ({@value #SHEET_SECONDS} s of film) at a time.
 * A run is due when the beginning should hold a whole sheet more than is made, judged from the film's mean
 * bitrate (its length in bytes over its duration) with a margin; ffmpeg then says what it really held
 * ({@link #wholeSheets}). At most one run per film every {@link #PAUSE}, and after a run that made fewer
 * sheets than the estimate said, none until the beginning should hold one sheet more again: a film whose
 * beginning is denser than its mean is not read over and over. Without a duration nothing is estimated:
 * the sheets wait for the whole film. Pure: no clock, no files.
 */
public final class ThumbnailSchedule {

    /** Seconds of film on one sheet: a tile every {@link SpriteSheets#INTERVAL_SECONDS}, ten by ten. */
    public static final int SHEET_SECONDS = SpriteSheets.INTERVAL_SECONDS * SpriteSheets.COLUMNS * SpriteSheets.ROWS;
    /** Seconds of film the beginning must hold past a sheet by the estimate (bitrates vary along a film). */
    static final double MARGIN_SECONDS = 60;
    /** The shortest time between two runs over one film's beginning. */
    public static final Duration PAUSE = Duration.ofMinutes(2);

    private ThumbnailSchedule() {
    }

    /** The last run over a film's beginning: how many bytes it read, when, and how many sheets it estimated. */
    public record Run(long beginning, Instant at, int estimated) {
    }

    /**
     * Whole sheets a verified beginning of {@code beginning} bytes should hold, by the mean bitrate, less
     * the margin; 0 when the film's length or duration is unknown.
     */
    public static int estimatedSheets(long beginning, long length, double duration) {
        if (length <= 0 || duration <= 0 || beginning <= 0) {
            return 0;
        }
        double seconds = duration * Math.min(beginning, length) / length - MARGIN_SECONDS;
        return seconds <= 0 ? 0 : (int) Math.min(SpriteSheets.MAX_SHEETS, Math.floor(seconds / SHEET_SECONDS));
    }

    /**
     * Whether to run ffmpeg over the film's verified beginning now.
     *
     * @param beginning bytes from the start verified without a gap
     * @param length    the film file's length
     * @param duration  the film's duration in seconds, 0 when unknown
     * @param made      sheets already made of it
     * @param last      the last run over its beginning, or null
     */
    public static boolean due(long beginning, long length, double duration, int made, Run last, Instant now) {
        if (beginning <= 0 || beginning >= length) {
            return false;   // nothing yet, or the whole film: made once, from the file
        }
        int estimated = estimatedSheets(beginning, length, duration);
        if (estimated <= made) {
            return false;
        }
        return last == null || !now.isBefore(last.at().plus(PAUSE)) && estimated > last.estimated();
    }

    /**
     * The sheets kept from a run over a beginning in which ffmpeg listed {@code tiles} tiles: those with a tile
     * listed after them. ffmpeg lists a tile once it has read a frame after its time, so every key frame up
     * to a kept sheet's last tile was read whole; the last tiles may stand on a key frame cut by the end of
     * the bytes.
     */
    public static int wholeSheets(int tiles) {
        int perSheet = SpriteSheets.COLUMNS * SpriteSheets.ROWS;
        return tiles <= 0 ? 0 : Math.min(SpriteSheets.MAX_SHEETS, (tiles - 1) / perSheet);
    }
}
