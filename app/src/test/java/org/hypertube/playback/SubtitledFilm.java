package org.hypertube.playback;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A multi-file torrent's content as release groups make them: a Matroska film with two audio tracks
 * (English AAC, the default, and French AC-3), an English SRT and a German ASS track inside, and a
 * French subtitle file beside it in Latin-1 (ISO-8859-1), as old .srt files often are.
 */
public final class SubtitledFilm {

    public static final int SECONDS = 40;

    /** The folder holding {@code Film/film.mkv} and {@code Film/Film.French.srt}. */
    public static synchronized Path make() throws IOException, InterruptedException {
        Path root = org.hypertube.TestDirs.temporary("hypertube-subtitled");
        Path folder = Files.createDirectories(root.resolve("Film"));
        Path english = root.resolve("eng.srt");
        Files.writeString(english, srt("English line"), StandardCharsets.UTF_8);
        Path german = root.resolve("ger.ass");
        Files.writeString(german, ass(), StandardCharsets.UTF_8);
        Files.write(folder.resolve("Film.French.srt"), srt("Réplique numéro à été").getBytes(StandardCharsets.ISO_8859_1));
        List<String> cmd = new ArrayList<>(List.of("ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error", "-y",
                "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=24",
                "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
                "-f", "lavfi", "-i", "sine=frequency=660:sample_rate=48000",
                "-i", english.toString(), "-i", german.toString(),
                "-t", String.valueOf(SECONDS),
                "-map", "0:v", "-map", "1:a", "-map", "2:a", "-map", "3:s", "-map", "4:s",
                "-c:v", "libx264", "-preset", "ultrafast", "-b:v", "1200k", "-g", "48", "-pix_fmt", "yuv420p",
                "-c:a:0", "aac", "-b:a:0", "128k", "-c:a:1", "ac3", "-b:a:1", "192k",
                "-c:s:0", "srt", "-c:s:1", "ass",
                "-metadata:s:a:0", "language=eng", "-metadata:s:a:1", "language=fre",
                "-metadata:s:s:0", "language=eng", "-metadata:s:s:1", "language=ger",
                "-disposition:a:0", "default", "-disposition:a:1", "0",
                folder.resolve("film.mkv").toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException("ffmpeg could not make the subtitled film: " + output);
        }
        Files.delete(english);
        Files.delete(german);
        return folder;
    }

    /** Cue n (1..7) shows "text n" from 5n s to 5n + 3 s. */
    static String srt(String text) {
        StringBuilder s = new StringBuilder();
        for (int n = 1; n <= 7; n++) {
            s.append(n).append("\r\n").append(time(5 * n, ',')).append(" --> ").append(time(5 * n + 3, ','))
                    .append("\r\n").append(text).append(' ').append(n).append("\r\n\r\n");
        }
        return s.toString();
    }

    static String ass() {
        StringBuilder s = new StringBuilder("[Script Info]\nScriptType: v4.00+\nPlayResX: 640\nPlayResY: 360\n\n"
                + "[V4+ Styles]\nFormat: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, BackColour,"
                + " Bold, Italic, Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, BorderStyle, Outline, Shadow,"
                + " Alignment, MarginL, MarginR, MarginV, Encoding\n"
                + "Style: Default,Arial,20,&H00FFFFFF,&H000000FF,&H00000000,&H00000000,0,0,0,0,100,100,0,0,1,1,0,2,10,10,10,1\n\n"
                + "[Events]\nFormat: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text\n");
        for (int n = 1; n <= 7; n++) {
            s.append("Dialogue: 0,").append(assTime(5 * n)).append(',').append(assTime(5 * n + 3))
                    .append(",Default,,0,0,0,,{\\i1}Deutsche Zeile{\\i0} ").append(n).append("\\Nzweite Zeile\n");
        }
        return s.toString();
    }

    static String time(int seconds, char comma) {
        return String.format("00:00:%02d%c000", seconds, comma);
    }

    static String assTime(int seconds) {
        return String.format("0:00:%02d.00", seconds);
    }

    private SubtitledFilm() {
    }
}
