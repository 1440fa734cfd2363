package org.hypertube.playback;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Small films made with the real ffmpeg at test time (never committed): 40 s of a moving test pattern
 * and a tone, a few MB each, short GOPs so converted streams can cut anywhere.
 */
public enum TestFilms {
    /** H.264 + AAC in MP4 with the index ({@code moov}) first: plays directly. */
    MP4_FASTSTART("faststart.mp4", "-c:v", "libx264", "-preset", "ultrafast", "-b:v", "1500k", "-g", "48",
            "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "128k", "-movflags", "+faststart"),
    /** The same with the index at the end: plays directly once the tail is fetched. */
    MP4_MOOV_END("moovend.mp4", "-c:v", "libx264", "-preset", "ultrafast", "-b:v", "1500k", "-g", "48",
            "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "128k"),
    /** H.264 with AC-3 5.1 in Matroska: Chromium would play it silently, so it is remuxed with AAC. */
    MKV_H264_AC3("h264-ac3.mkv", "-c:v", "libx264", "-preset", "ultrafast", "-b:v", "1500k", "-g", "48",
            "-pix_fmt", "yuv420p", "-c:a", "ac3", "-ac", "6", "-b:a", "384k"),
    /**
     * H.264 with AC-3 in Matroska and 10 s keyframe gaps, as films have them: remuxed, its first gap served
     * in parts of about a second.
     */
    MKV_LONG_GOP("long-gop.mkv", "-c:v", "libx264", "-preset", "ultrafast", "-b:v", "1500k", "-x264-params",
            "keyint=240:min-keyint=240:scenecut=0", "-pix_fmt", "yuv420p", "-c:a", "ac3", "-ac", "6", "-b:a", "384k"),
    /** HEVC in Matroska: no browser here decodes it, so it is transcoded. */
    MKV_HEVC("hevc.mkv", "-c:v", "libx265", "-preset", "ultrafast", "-b:v", "1500k", "-x265-params",
            "keyint=48:min-keyint=48:log-level=error", "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "128k"),
    /** Ten minutes of MPEG-4 Part 2 (XviD-like): transcoded, long enough that its ffmpeg is still at work when the viewer leaves. */
    LONG_MPEG4("long-mpeg4.mkv", "-c:v", "mpeg4", "-q:v", "10", "-g", "48", "-c:a", "aac", "-b:a", "96k");

    /** Length of every film but {@link #LONG_MPEG4}. */
    public static final int SECONDS = 40;
    private static Path dir;

    private final String fileName;
    private final List<String> codecArgs;

    TestFilms(String fileName, String... codecArgs) {
        this.fileName = fileName;
        this.codecArgs = List.of(codecArgs);
    }

    /** A film of the library that has no download yet, so a test's torrent is the one Play uses. */
    static long unplayedFilm(org.hypertube.catalog.Catalog catalog, DownloadRepository repository) {
        return catalog.popular(1).films().stream().map(f -> f.getId())
                .filter(id -> repository.findByFilmIdOrderByAddedAtDesc(id).isEmpty()).findFirst().orElseThrow();
    }

    /** A finished download of {@code filmId} whose one file is a copy of {@code source}, as the engine leaves it on disk. */
    static Download finishedOnDisk(DownloadRepository repository, Engine engine, long filmId, Path source) throws IOException {
        byte[] hash = new byte[20];
        new java.util.Random().nextBytes(hash);
        String hex = java.util.HexFormat.of().formatHex(hash);
        String name = source.getFileName().toString();
        String path = "Film (2001)/film" + name.substring(name.lastIndexOf('.'));
        Path file = engine.folder(org.hypertube.torrent.InfoHash.parse(hex)).resolve(path);
        Files.createDirectories(file.getParent());
        Files.copy(source, file);
        Download d = new Download(hex, filmId, "magnet:?xt=urn:btih:" + hex, "Film (2001)", null,
                java.time.Instant.now().minus(java.time.Duration.ofDays(2)));
        d.chooseFile(0, path, Files.size(file));
        d.completed(java.time.Instant.now().minus(java.time.Duration.ofDays(1)));
        return repository.save(d);
    }

    public int seconds() {
        return this == LONG_MPEG4 ? 600 : SECONDS;
    }

    public String fileName() {
        return fileName;
    }

    /**
     * The film in its own folder (the torrent's content), made on first use and kept under {@code target/test-films}
     * for the next runs (the same every time: the tests' torrents of it too). The folder's name holds a hash of the
     * ffmpeg arguments, so a changed film is made anew rather than an old one served under its name.
     */
    public synchronized Path file() throws IOException, InterruptedException {
        if (dir == null) {
            dir = org.hypertube.TestDirs.cache("test-films");
        }
        List<String> args = new ArrayList<>(List.of("ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error", "-y",
                "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=24",
                "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
                "-t", String.valueOf(seconds()), "-map", "0:v", "-map", "1:a"));
        args.addAll(codecArgs);
        return made(dir.resolve(name().toLowerCase() + "-" + hash(args)).resolve(fileName), args, "could not make " + fileName);
    }

    /** {@code file} made by ffmpeg with {@code args} (the output path added last) unless it is there. */
    private static Path made(Path file, List<String> args, String failure) throws IOException, InterruptedException {
        return org.hypertube.TestDirs.cached(file, into -> {
            List<String> cmd = new ArrayList<>(args);
            cmd.add(into.toString());
            run(cmd, failure);
        });
    }

    private static String hash(List<String> args) {
        return Integer.toHexString(String.join(" ", args).hashCode());
    }

    private static void run(List<String> cmd, String failure) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException("ffmpeg " + failure + ": " + output);
        }
    }

    private static Path fortyMinutes;

    /**
     * Forty minutes of a small moving test pattern in Matroska (H.264, 160x90 at 5 frames a second, a key frame
     * every 10 s, no sound, about 30 MB): long enough for three sheets of seek-bar thumbnails, made on first use.
     */
    public static synchronized Path fortyMinutes() throws IOException, InterruptedException {
        if (fortyMinutes != null && Files.isRegularFile(fortyMinutes)) {
            return fortyMinutes;
        }
        List<String> args = List.of("ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi",
                "-i", "testsrc2=size=160x90:rate=5", "-t", "2400", "-c:v", "libx264", "-preset", "ultrafast", "-g", "50",
                "-pix_fmt", "yuv420p");
        Path file = org.hypertube.TestDirs.cache("test-films").resolve("long-" + hash(args)).resolve("forty-minutes.mkv");
        fortyMinutes = made(file, args, "could not make a forty-minute film");
        return fortyMinutes;
    }
}
