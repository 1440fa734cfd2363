package org.hypertube.playback.subtitle;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** A real video made by ffmpeg for the tests that run it. */
final class TestFilm {

    static final Path FFMPEG = Path.of("/usr/bin/ffmpeg");
    static final Path FFPROBE = Path.of("/usr/bin/ffprobe");

    private TestFilm() {
    }

    /**
     * A 15-second MKV with an English SRT track (default) made from {@code srt} and a forced French
     * ASS track titled "Panneaux" made from the styled.ass fixture.
     */
    static Path mux(Path dir, String srt) throws Exception {
        Path srtFile = Files.writeString(dir.resolve("en.srt"), srt, StandardCharsets.UTF_8);
        Path assFile = Files.write(dir.resolve("fr.ass"), Fixtures.bytes("styled.ass"));
        Path mkv = dir.resolve("film.mkv");
        Process ffmpeg = new ProcessBuilder(FFMPEG.toString(), "-nostdin", "-v", "error",
                "-f", "lavfi", "-t", "15", "-i", "testsrc=size=64x48:rate=10",
                "-i", srtFile.toString(), "-i", assFile.toString(),
                "-map", "0:v", "-map", "1", "-map", "2", "-c:v", "mpeg4", "-c:s:0", "srt", "-c:s:1", "ass",
                "-metadata:s:s:0", "language=eng", "-metadata:s:s:1", "language=fre",
                "-metadata:s:s:1", "title=Panneaux", "-disposition:s:0", "default", "-disposition:s:1", "forced",
                "-y", mkv.toString()).redirectErrorStream(true).start();
        String log = new String(ffmpeg.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(ffmpeg.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(ffmpeg.exitValue()).as(log).isZero();
        return mkv;
    }
}
