package org.hypertube.playback.thumbnails;

import java.util.List;
import java.util.Locale;

/**
 * The WebVTT index of the sprite sheets: one cue per tile, from the tile's time to the next tile's (the
 * last one to the film's end), whose text is the sheet's address relative to the index and the tile's
 * rectangle in it. Sheets are numbered from 0; tiles fill a sheet row by row. Each sheet's address carries
 * its version ({@code thumbnails/0.jpg?v=1a2b3c4d#xywh=...}, a checksum of its bytes): sheets are cached by
 * the browser, and a film fetched again (another torrent, another picture) gets new addresses.
 */
public final class ThumbnailIndex {

    private ThumbnailIndex() {
    }

    /**
     * @param times    each tile's time in seconds from the film's start, ascending
     * @param tile     the width and height of one tile, in pixels
     * @param duration the film's length in seconds, or 0 when unknown (the last cue then lasts one interval);
     *                 for sheets made from the film's beginning, the time of the first tile not listed
     * @param versions each sheet's version, in its order (one per sheet the tiles use)
     */
    public static String vtt(List<Double> times, Tile tile, double duration, double interval, List<String> versions) {
        StringBuilder out = new StringBuilder(40 + 64 * times.size()).append("WEBVTT\n");
        int perSheet = SpriteSheets.COLUMNS * SpriteSheets.ROWS;
        for (int i = 0; i < times.size(); i++) {
            double start = times.get(i);
            double end = i + 1 < times.size() ? times.get(i + 1) : start + interval;
            if (i + 1 == times.size() && duration > start) {
                end = duration;
            }
            int inSheet = i % perSheet;
            int x = inSheet % SpriteSheets.COLUMNS * tile.width();
            int y = inSheet / SpriteSheets.COLUMNS * tile.height();
            out.append('\n').append(timestamp(start)).append(" --> ").append(timestamp(end)).append('\n')
                    .append("thumbnails/").append(i / perSheet).append(".jpg?v=").append(versions.get(i / perSheet))
                    .append("#xywh=")
                    .append(x).append(',').append(y).append(',').append(tile.width()).append(',').append(tile.height())
                    .append('\n');
        }
        return out.toString();
    }

    /** A tile's size in pixels. */
    public record Tile(int width, int height) {
        public Tile {
            if (width <= 0 || height <= 0) {
                throw new IllegalArgumentException("no tile of " + width + "x" + height);
            }
        }
    }

    static String timestamp(double seconds) {
        long millis = Math.round(Math.max(0, seconds) * 1000);
        return String.format(Locale.ROOT, "%02d:%02d:%02d.%03d", millis / 3_600_000, millis / 60_000 % 60,
                millis / 1000 % 60, millis % 1000);
    }
}
