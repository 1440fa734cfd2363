package org.hypertube.playback.thumbnails;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import org.hypertube.playback.media.FfmpegBinaries;
import org.hypertube.playback.media.MediaException;

/**
 * Makes a film's sprite sheets and their index with one ffmpeg run: only key frames are decoded
 * ({@code -skip_frame nokey}, so a two-hour film costs seconds, not a decode of every frame), one thread,
 * at the lowest priority. Each tile is the last key frame at or before its time ({@code fps} rounding up),
 * so a tile never shows what comes after the moment it stands for. A second output, ffmpeg's
 * {@code framecrc} on stdout, lists every tile with its time and size: the index is built from what was
 * made, not from a guess at the film's length.
 */
public final class SpriteSheets {

    public static final int INTERVAL_SECONDS = 10;
    public static final int TILE_WIDTH = 160;
    public static final int COLUMNS = 10;
    public static final int ROWS = 10;
    /** Sheet numbers in URLs have at most three digits: 99,900 tiles, 277 hours at one tile every 10 s. */
    public static final int MAX_SHEETS = 999;
    private static final int MAX_TILES = MAX_SHEETS * COLUMNS * ROWS;
    /** framecrc writes about 60 bytes per tile. */
    private static final int MAX_STDOUT = 128 * MAX_TILES;
    public static final String INDEX = "thumbnails.vtt";

    private static final Pattern TIME_BASE = Pattern.compile("#tb 0: (\\d{1,9})/(\\d{1,9})");
    private static final Pattern DIMENSIONS = Pattern.compile("#dimensions 0: (\\d{1,5})x(\\d{1,5})");
    private static final Pattern FRAME = Pattern.compile("0,\\s*(-?\\d{1,18}),.*");

    private final FfmpegBinaries binaries;

    public SpriteSheets(FfmpegBinaries binaries) {
        this.binaries = binaries;
    }

    /** What one run made: the tiles' times (from the film's start), the sheets, one tile's size. */
    public record Made(List<Double> times, int sheets, ThumbnailIndex.Tile tile) {
    }

    /**
     * Writes {@code 0.jpg}, {@code 1.jpg}... and {@link #INDEX} into {@code folder} (an empty folder of ours).
     *
     * @param film     the film file, whole on disk
     * @param duration the film's length in seconds if known (the last cue ends there), else 0
     * @param stop     asked twice a second; true kills ffmpeg ({@link FfmpegBinaries.StoppedException})
     * @throws MediaException when ffmpeg fails or makes nothing
     */
    public Made make(Path film, Path folder, double duration, Duration timeout, BooleanSupplier stop) throws IOException {
        Made made = run(film.toAbsolutePath().toString(), folder, timeout, stop);
        for (int n = 0; n < made.sheets(); n++) {
            if (!Files.isRegularFile(folder.resolve(n + ".jpg"))) {
                throw new MediaException("ffmpeg listed " + made.times().size() + " thumbnails of " + film.getFileName()
                        + " but wrote no sheet " + n);
            }
        }
        writeIndex(folder, made.times(), made.tile(), duration, made.sheets());
        return made;
    }

    /**
     * The whole sheets of a film's verified beginning ({@code input}: its loopback address, which ends where the
     * verified bytes end): ffmpeg reads up to that end, and only the sheets it listed a tile after are kept
     * ({@link ThumbnailSchedule#wholeSheets}): all their key frames were read whole, the last one cut by the end
     * of the bytes comes later. The others are deleted; the index lists the kept ones, the last cue ending at
     * the next tile's time. Nothing kept is no error (the beginning holds less than a sheet and one more tile).
     */
    public Made makeFromBeginning(String input, Path folder, Duration timeout, BooleanSupplier stop) throws IOException {
        Made listed = run(input, folder, timeout, stop);
        int kept = ThumbnailSchedule.wholeSheets(listed.times().size());
        for (int n = kept; n < listed.sheets(); n++) {
            Files.deleteIfExists(folder.resolve(n + ".jpg"));
        }
        int tiles = kept * COLUMNS * ROWS;
        List<Double> times = listed.times().subList(0, tiles);
        for (int n = 0; n < kept; n++) {
            if (!Files.isRegularFile(folder.resolve(n + ".jpg"))) {
                throw new MediaException("ffmpeg listed " + listed.times().size() + " thumbnails but wrote no sheet " + n);
            }
        }
        if (kept > 0) {
            writeIndex(folder, times, listed.tile(), listed.times().get(tiles), kept);
        }
        return new Made(List.copyOf(times), kept, listed.tile());
    }

    private Made run(String input, Path folder, Duration timeout, BooleanSupplier stop) {
        String graph = "[0:v:0]fps=1/" + INTERVAL_SECONDS + ":round=up,scale=" + TILE_WIDTH
                + ":trunc(ow/dar/2)*2,setsar=1,split[tiles][listed];[tiles]tile=" + COLUMNS + "x" + ROWS + "[sheets]";
        List<String> inputOptions = List.of("-threads", "1", "-skip_frame", "nokey");
        List<String> output = List.of("-filter_complex_threads", "1", "-filter_complex", graph,
                "-map", "[sheets]", "-frames:v", String.valueOf(MAX_SHEETS), "-threads", "1", "-q:v", "5",
                "-f", "image2", "-start_number", "0", "%d.jpg",
                "-map", "[listed]", "-frames:v", String.valueOf(MAX_TILES), "-f", "framecrc", "-");
        FfmpegBinaries.Output run = binaries.runNiced(input, inputOptions, output, folder, timeout, MAX_STDOUT, stop);
        if (run.exitCode() != 0) {
            throw new MediaException("ffmpeg could not make thumbnails: " + run.stderr());
        }
        return listed(run.stdout());
    }

    /** The index of the first {@code sheets} sheets in {@code folder}, each address versioned by its bytes. */
    private static void writeIndex(Path folder, List<Double> times, ThumbnailIndex.Tile tile, double end, int sheets)
            throws IOException {
        List<String> versions = new ArrayList<>(sheets);
        for (int n = 0; n < sheets; n++) {
            CRC32 crc = new CRC32();
            crc.update(Files.readAllBytes(folder.resolve(n + ".jpg")));
            versions.add(String.format(Locale.ROOT, "%08x", crc.getValue()));
        }
        Files.writeString(folder.resolve(INDEX), ThumbnailIndex.vtt(times, tile, end, INTERVAL_SECONDS, versions),
                StandardCharsets.UTF_8);
    }

    /** The tiles framecrc listed: their times from the first one, their size; bounded by {@link #MAX_TILES}. */
    static Made listed(String framecrc) {
        long num = 0;
        long den = 0;
        ThumbnailIndex.Tile tile = null;
        List<Double> times = new ArrayList<>();
        Long first = null;
        for (String line : framecrc.split("\n", MAX_TILES + 64)) {
            Matcher m;
            if ((m = TIME_BASE.matcher(line.strip())).matches()) {
                num = Long.parseLong(m.group(1));
                den = Long.parseLong(m.group(2));
            } else if ((m = DIMENSIONS.matcher(line.strip())).matches()) {
                tile = new ThumbnailIndex.Tile(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
            } else if ((m = FRAME.matcher(line.strip())).matches() && times.size() < MAX_TILES) {
                long pts = Long.parseLong(m.group(1));
                first = first == null ? pts : first;
                times.add(den == 0 ? 0.0 : (double) (pts - first) * num / den);
            }
        }
        if (times.isEmpty() || tile == null || den == 0) {
            throw new MediaException("ffmpeg made no thumbnail (no video, or no key frame)");
        }
        for (int i = 1; i < times.size(); i++) {
            if (times.get(i) <= times.get(i - 1)) {
                throw new MediaException("thumbnail times out of order: " + times.get(i - 1) + " then " + times.get(i));
            }
        }
        int perSheet = COLUMNS * ROWS;
        return new Made(List.copyOf(times), (times.size() + perSheet - 1) / perSheet, tile);
    }
}
