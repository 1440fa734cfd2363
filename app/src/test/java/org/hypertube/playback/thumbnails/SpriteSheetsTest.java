package org.hypertube.playback.thumbnails;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.hypertube.playback.TestFilms;
import org.hypertube.playback.media.FfmpegBinaries;
import org.hypertube.playback.media.MediaException;
import org.hypertube.playback.media.MediaProperties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sprite sheets made by the real (bundled) ffmpeg from a generated film, and ffmpeg's tile list read. */
class SpriteSheetsTest {

    private static final Pattern CUE = Pattern.compile(
            "(\\d\\d):(\\d\\d):(\\d\\d)\\.(\\d{3}) --> (\\d\\d):(\\d\\d):(\\d\\d)\\.(\\d{3})\n"
                    + "thumbnails/(\\d+)\\.jpg\\?v=[0-9a-f]{8}#xywh=(\\d+),(\\d+),(\\d+),(\\d+)\n");

    @TempDir
    Path work;

    @Test
    void aFrameEveryTenSecondsOnASheetWithAnIndexCoveringTheFilm() throws Exception {
        Path film = TestFilms.MP4_FASTSTART.file();
        Path out = Files.createDirectories(work.resolve("out"));
        SpriteSheets.Made made = new SpriteSheets(new FfmpegBinaries(MediaProperties.defaults()))
                .make(film, out, TestFilms.SECONDS, Duration.ofMinutes(2), () -> false);

        assertThat(made.times()).containsExactly(0.0, 10.0, 20.0, 30.0);
        assertThat(made.sheets()).isEqualTo(1);
        assertThat(made.tile()).isEqualTo(new ThumbnailIndex.Tile(160, 90));   // 640x360 at 160 px wide

        String vtt = Files.readString(out.resolve(SpriteSheets.INDEX), StandardCharsets.UTF_8);
        assertThat(vtt).startsWith("WEBVTT\n\n");
        Matcher cues = CUE.matcher(vtt);
        double covered = 0;
        List<int[]> rectangles = new ArrayList<>();
        while (cues.find()) {
            assertThat(seconds(cues, 1)).as("cues follow each other without a gap").isEqualTo(covered);
            covered = seconds(cues, 5);
            assertThat(cues.group(9)).isEqualTo("0");
            rectangles.add(new int[] {Integer.parseInt(cues.group(10)), Integer.parseInt(cues.group(11)),
                    Integer.parseInt(cues.group(12)), Integer.parseInt(cues.group(13))});
        }
        assertThat(rectangles).hasSize(4);
        assertThat(covered).as("the last cue ends with the film").isEqualTo(TestFilms.SECONDS);

        BufferedImage sheet = ImageIO.read(out.resolve("0.jpg").toFile());
        assertThat(sheet.getWidth()).isEqualTo(1600);
        assertThat(sheet.getHeight()).isEqualTo(900);
        // Each tile is the film's picture at its time: of the film's pictures at every whole second, the one
        // it resembles most is the one at its cue's start. And tiles differ from each other.
        List<BufferedImage> seconds = everySecond(film);
        for (int i = 0; i < rectangles.size(); i++) {
            BufferedImage tile = crop(sheet, rectangles.get(i));
            int best = 0;
            for (int s = 1; s < seconds.size(); s++) {
                if (difference(tile, seconds.get(s)) < difference(tile, seconds.get(best))) {
                    best = s;
                }
            }
            assertThat(best).as("the second tile " + i + " looks like").isEqualTo(10 * i);
        }
        assertThat(difference(crop(sheet, rectangles.get(1)), crop(sheet, rectangles.get(2)))).isGreaterThan(5);
        try (var files = Files.list(out)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("0.jpg", SpriteSheets.INDEX);
        }
        assertThat(vtt).contains("thumbnails/0.jpg?v=" + crc(out.resolve("0.jpg")) + "#xywh=0,0,160,90\n");
    }

    /**
     * The film's first 68 % on disk and nothing after (as the verified beginning is served to ffmpeg): about
     * 1630 s of a forty-minute film, so its first sheet (0-1000 s) is whole and kept, the second is not. The kept
     * sheet is the one the whole film gives, and the index lists its 100 tiles, the last until the next tile.
     */
    @Test
    void fromTheBeginningOfAFilmOnlyItsWholeSheetsAreKept() throws Exception {
        Path film = TestFilms.fortyMinutes();
        Path beginning = work.resolve("beginning.mkv");
        try (var in = Files.newInputStream(film)) {
            Files.write(beginning, in.readNBytes((int) (Files.size(film) * 0.68)));
        }
        SpriteSheets sheets = new SpriteSheets(new FfmpegBinaries(MediaProperties.defaults()));
        Path part = Files.createDirectories(work.resolve("part"));
        SpriteSheets.Made made = sheets.makeFromBeginning(beginning.toString(), part, Duration.ofMinutes(2), () -> false);
        assertThat(made.sheets()).isEqualTo(1);
        assertThat(made.times()).hasSize(100);
        try (var files = Files.list(part)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("0.jpg", SpriteSheets.INDEX);
        }
        String vtt = Files.readString(part.resolve(SpriteSheets.INDEX));
        assertThat(vtt.split("-->")).hasSize(101);
        assertThat(vtt).endsWith("00:16:30.000 --> 00:16:40.000\nthumbnails/0.jpg?v=" + crc(part.resolve("0.jpg"))
                + "#xywh=1440,810,160,90\n");

        Path whole = Files.createDirectories(work.resolve("whole"));
        assertThat(sheets.make(film, whole, 2400, Duration.ofMinutes(2), () -> false).sheets()).isEqualTo(3);
        assertThat(Files.readAllBytes(part.resolve("0.jpg"))).isEqualTo(Files.readAllBytes(whole.resolve("0.jpg")));

        Path little = work.resolve("little.mkv");
        try (var in = Files.newInputStream(film)) {
            Files.write(little, in.readNBytes((int) (Files.size(film) * 0.3)));
        }
        Path none = Files.createDirectories(work.resolve("none"));
        assertThat(sheets.makeFromBeginning(little.toString(), none, Duration.ofMinutes(2), () -> false).sheets())
                .as("less than a sheet and a tile").isZero();
        try (var files = Files.list(none)) {
            assertThat(files).isEmpty();
        }
    }

    private static String crc(Path file) throws IOException {
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(Files.readAllBytes(file));
        return String.format("%08x", crc.getValue());
    }

    @Test
    void aRunThatMustGiveWayIsStopped() throws Exception {
        Path film = TestFilms.MP4_FASTSTART.file();
        assertThatThrownBy(() -> new SpriteSheets(new FfmpegBinaries(MediaProperties.defaults()))
                .make(film, Files.createDirectories(work.resolve("stopped")), 0, Duration.ofMinutes(2), () -> true))
                .isInstanceOf(FfmpegBinaries.StoppedException.class);
    }

    @Test
    void aFileThatIsNoFilmMakesNoThumbnails() throws Exception {
        Path junk = work.resolve("junk.mp4");
        Files.write(junk, new byte[100_000]);
        Path out = Files.createDirectories(work.resolve("junk"));
        assertThatThrownBy(() -> new SpriteSheets(new FfmpegBinaries(MediaProperties.defaults()))
                .make(junk, out, 0, Duration.ofMinutes(1), () -> false)).isInstanceOf(MediaException.class);
        assertThat(out.resolve(SpriteSheets.INDEX)).doesNotExist();
    }

    @Test
    void theTileListGivesTimesFromTheFirstTileAndTheTileSize() {
        SpriteSheets.Made made = SpriteSheets.listed("""
                #software: Lavf59.27.100
                #tb 0: 10/1
                #media_type 0: video
                #codec_id 0: rawvideo
                #dimensions 0: 160x68
                #sar 0: 1/1
                0,        360,        360,        1,    16320, 0xff7c2f96
                0,        361,        361,        1,    16320, 0xfc2d2f90
                0,        362,        362,        1,    16320, 0x02ae2fa6
                """);
        assertThat(made.times()).containsExactly(0.0, 10.0, 20.0);
        assertThat(made.tile()).isEqualTo(new ThumbnailIndex.Tile(160, 68));
        assertThat(made.sheets()).isEqualTo(1);
    }

    @Test
    void aTileListWithoutTilesOrOutOfOrderIsRefused() {
        assertThatThrownBy(() -> SpriteSheets.listed("#tb 0: 10/1\n#dimensions 0: 160x90\n"))
                .isInstanceOf(MediaException.class);
        assertThatThrownBy(() -> SpriteSheets.listed("#tb 0: 10/1\n#dimensions 0: 160x90\n0, 2, 2, 1, 9, 0x1\n0, 1, 1, 1, 9, 0x1\n"))
                .isInstanceOf(MediaException.class);
        assertThatThrownBy(() -> SpriteSheets.listed("0, 1, 1, 1, 9, 0x1\n")).isInstanceOf(MediaException.class);
        assertThatThrownBy(() -> SpriteSheets.listed("#tb 0: 10/1\n#dimensions 0: 0x90\n0, 1, 1, 1, 9, 0x1\n"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aTileListLongerThanTheSheetsCanHoldIsCut() {
        StringBuilder list = new StringBuilder("#tb 0: 10/1\n#dimensions 0: 160x90\n");
        for (int i = 0; i < 100_050; i++) {
            list.append("0, ").append(i).append(", ").append(i).append(", 1, 9, 0x1\n");
        }
        SpriteSheets.Made made = SpriteSheets.listed(list.toString());
        assertThat(made.sheets()).isEqualTo(SpriteSheets.MAX_SHEETS);
        assertThat(made.times()).hasSize(SpriteSheets.MAX_SHEETS * 100);
    }

    private static double seconds(Matcher m, int group) {
        return Integer.parseInt(m.group(group)) * 3600 + Integer.parseInt(m.group(group + 1)) * 60
                + Integer.parseInt(m.group(group + 2)) + Integer.parseInt(m.group(group + 3)) / 1000.0;
    }

    private static BufferedImage crop(BufferedImage sheet, int[] xywh) {
        return sheet.getSubimage(xywh[0], xywh[1], xywh[2], xywh[3]);
    }

    /** The film's picture at every whole second (frames 0, 24, 48... of 24 per second), at a tile's size. */
    private List<BufferedImage> everySecond(Path film) throws IOException, InterruptedException {
        Path dir = Files.createDirectories(work.resolve("seconds"));
        Process p = new ProcessBuilder("ffmpeg", "-nostdin", "-loglevel", "error", "-y", "-i", film.toString(),
                "-vf", "select=not(mod(n\\,24)),scale=160:90", "-fps_mode", "passthrough", "-start_number", "0",
                dir.resolve("%02d.png").toString()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(output).isZero();
        List<BufferedImage> pictures = new ArrayList<>();
        for (int s = 0; s < TestFilms.SECONDS; s++) {
            pictures.add(ImageIO.read(dir.resolve(String.format("%02d.png", s)).toFile()));
        }
        return pictures;
    }

    /** Mean absolute difference per colour channel, 0..255. */
    private static double difference(BufferedImage a, BufferedImage b) {
        long sum = 0;
        for (int y = 0; y < a.getHeight(); y++) {
            for (int x = 0; x < a.getWidth(); x++) {
                int p = a.getRGB(x, y);
                int q = b.getRGB(x, y);
                for (int shift = 0; shift <= 16; shift += 8) {
                    sum += Math.abs((p >> shift & 0xff) - (q >> shift & 0xff));
                }
            }
        }
        return (double) sum / (a.getWidth() * a.getHeight() * 3);
    }
}
