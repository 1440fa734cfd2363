package org.hypertube.playback.subtitle;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Text subtitle tracks inside a video (SRT, ASS/SSA, WebVTT, mov_text) as WebVTT, with ffmpeg as in
 * PLAYBACK.md §2.9: {@code ffmpeg -nostdin -hide_banner -i INPUT -map 0:s:N -c:s webvtt -f webvtt OUT}
 * (ASS tracks: {@code -c:s copy -f ass}, converted by {@link WebVtt}), all wanted tracks in one run
 * (one read of the film). Picture tracks (PGS, VobSub, DVB) are listed
 * with the reason they are skipped. Every run has a time limit, every output a size cap, and each
 * output goes through {@link WebVtt} (ffmpeg leaves a bare {@code &}, and ASS signs as text).
 *
 * <p>INPUT is a loopback URL of the film ({@code http://127.0.0.1:PORT/...}) or a local file path.
 * The executables come from the caller, so this class does not care where ffmpeg lives.
 */
public final class EmbeddedSubtitles {

    /** Codecs ffmpeg turns into WebVTT. */
    static final Set<String> TEXT_CODECS = Set.of("subrip", "srt", "ass", "ssa", "webvtt", "mov_text", "text");
    static final Set<String> IMAGE_CODECS = Set.of("hdmv_pgs_subtitle", "dvd_subtitle", "dvb_subtitle", "xsub", "dvb_teletext");
    private static final int LOG_TAIL = 2048;

    /**
     * A subtitle stream of the video: {@code subtitleIndex} is N in {@code -map 0:s:N},
     * {@code streamIndex} the stream's index in the container; language as a {@link SubtitleLanguages} tag.
     */
    public record Track(int subtitleIndex, int streamIndex, String codec, String language, String title,
                        boolean isDefault, boolean forced, boolean hearingImpaired) {

        /** Why the track cannot become WebVTT, or empty when it can. */
        public Optional<String> skipReason() {
            if (TEXT_CODECS.contains(codec)) {
                return Optional.empty();
            }
            if (IMAGE_CODECS.contains(codec)) {
                return Optional.of("picture subtitles (" + codec + ") cannot become WebVTT; they could only be burned in");
            }
            return Optional.of("subtitle codec " + codec + " is not converted");
        }

        public boolean isText() {
            return skipReason().isEmpty();
        }
    }

    /** One track's result: its cues, or why it failed (empty cues for a track without any in range). */
    public record Extracted(Track track, List<Cue> cues, String failure) {

        public boolean ok() {
            return failure == null;
        }

        /** The WebVTT text; only when {@link #ok()}. */
        public String vtt() {
            if (failure != null) {
                throw new IllegalStateException(failure);
            }
            return WebVtt.render(cues);
        }
    }

    /** A part of the film to read, for subtitles that follow the playhead; times stay absolute. */
    public record Window(Duration start, Duration length) {
    }

    private final WebVtt webVtt;
    private final Duration timeout;
    private final JsonMapper json = JsonMapper.builder().build();

    /**
     * @param webVtt  the normaliser, whose size cap also caps each ffmpeg output
     * @param timeout the longest an ffprobe or ffmpeg run may take before it is killed
     */
    public EmbeddedSubtitles(WebVtt webVtt, Duration timeout) {
        this.webVtt = webVtt;
        this.timeout = timeout;
    }

    /** The subtitle streams of a video, text or not, in order. */
    public List<Track> probe(Path ffprobe, String input) throws SubtitleException {
        List<String> command = new ArrayList<>(List.of(ffprobe.toString(), "-v", "error", "-hide_banner"));
        networkOptions(input, command);
        command.addAll(List.of("-select_streams", "s", "-show_entries",
                "stream=index,codec_name:stream_tags=language,title:stream_disposition=default,forced,hearing_impaired",
                "-of", "json", ffmpegInput(input)));
        Run run = run(command, List.of(), true);
        if (run.exitCode != 0) {
            throw new SubtitleException("ffprobe failed (exit " + run.exitCode + "): " + run.log);
        }
        return tracks(run.stdout);
    }

    /** ffprobe's JSON ({@code -show_entries stream=...} of subtitle streams) as tracks. */
    List<Track> tracks(String ffprobeJson) throws SubtitleException {
        JsonNode root;
        try {
            root = json.readTree(ffprobeJson);
        } catch (JacksonException e) {
            throw new SubtitleException("ffprobe answered something that is not JSON");
        }
        List<Track> tracks = new ArrayList<>();
        JsonNode streams = root.path("streams");
        for (JsonNode stream : streams) {
            JsonNode tags = stream.path("tags");
            JsonNode disposition = stream.path("disposition");
            String title = tags.path("title").asString(null);
            tracks.add(new Track(tracks.size(), stream.path("index").asInt(-1),
                    stream.path("codec_name").asString("unknown").toLowerCase(Locale.ROOT),
                    SubtitleLanguages.normalise(tags.path("language").asString(null)),
                    title == null || title.isBlank() ? null : title.strip().substring(0, Math.min(title.strip().length(), 100)),
                    disposition.path("default").asInt(0) == 1, disposition.path("forced").asInt(0) == 1,
                    disposition.path("hearing_impaired").asInt(0) == 1));
        }
        return tracks;
    }

    /** The text tracks among {@code tracks} as WebVTT, all in one ffmpeg run over the whole film. */
    public List<Extracted> extract(Path ffmpeg, String input, List<Track> tracks, Path workDir) throws SubtitleException {
        return extract(ffmpeg, input, tracks, workDir, null);
    }

    /**
     * The text tracks among {@code tracks} as WebVTT, all in one ffmpeg run; with a window only that
     * part of the film is read ({@code -ss S -copyts -i ... -to S+L}), its cue times still absolute.
     * Tracks that are not text are left out (see {@link Track#skipReason()}).
     */
    public List<Extracted> extract(Path ffmpeg, String input, List<Track> tracks, Path workDir, Window window)
            throws SubtitleException {
        List<Track> text = tracks.stream().filter(Track::isText).toList();
        if (text.isEmpty()) {
            return List.of();
        }
        Path dir;
        try {
            Files.createDirectories(workDir);
            dir = Files.createTempDirectory(workDir, "embedded-");
        } catch (IOException e) {
            throw new SubtitleException("cannot make a folder for ffmpeg's subtitles in " + workDir + ": " + e.getMessage(), e);
        }
        try {
            List<String> command = new ArrayList<>(List.of(ffmpeg.toString(), "-nostdin", "-hide_banner", "-v", "error"));
            networkOptions(input, command);
            if (window != null) {
                command.addAll(List.of("-ss", seconds(window.start()), "-copyts"));
            }
            command.addAll(List.of("-i", ffmpegInput(input)));
            List<Path> outputs = new ArrayList<>();
            for (Track track : text) {
                // ASS is copied as is and read by WebVtt, which drops drawings and \h that ffmpeg's
                // WebVTT encoder leaves in the text; the others become WebVTT in ffmpeg.
                boolean ass = track.codec().equals("ass") || track.codec().equals("ssa");
                Path out = dir.resolve("s" + track.subtitleIndex() + (ass ? ".ass" : ".vtt"));
                outputs.add(out);
                command.addAll(List.of("-map", "0:s:" + track.subtitleIndex(), "-c:s", ass ? "copy" : "webvtt"));
                if (window != null) {
                    command.addAll(List.of("-to", seconds(window.start().plus(window.length()))));
                }
                command.addAll(List.of("-fs", Long.toString(webVtt.maxBytes() + 1), "-f", ass ? "ass" : "webvtt", "-y", out.toString()));
            }
            Run run = run(command, outputs, false);
            if (run.exitCode != 0) {
                throw new SubtitleException("ffmpeg could not extract subtitles (exit " + run.exitCode + "): " + run.log);
            }
            List<Extracted> results = new ArrayList<>();
            for (int i = 0; i < text.size(); i++) {
                results.add(read(text.get(i), outputs.get(i)));
            }
            return results;
        } finally {
            deleteQuietly(dir);
        }
    }

    private Extracted read(Track track, Path output) {
        try {
            long size = Files.size(output);
            if (size > webVtt.maxBytes()) {
                return new Extracted(track, List.of(), "track " + track.subtitleIndex() + " gave over " + webVtt.maxBytes() + " bytes of WebVTT");
            }
            byte[] bytes = Files.readAllBytes(output);
            return new Extracted(track, webVtt.parse(bytes, "embedded track " + track.subtitleIndex(), true).cues(), null);
        } catch (IOException e) {
            return new Extracted(track, List.of(), "track " + track.subtitleIndex() + " gave no output: " + e.getMessage());
        } catch (SubtitleException e) {
            return new Extracted(track, List.of(), e.getMessage());
        }
    }

    private static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.3f", d.toMillis() / 1000.0);
    }

    /** A URL as is; a path as {@code file:} so no part of a name can read as an option or a protocol. */
    static String ffmpegInput(String input) throws SubtitleException {
        if (input == null || input.isBlank()) {
            throw new SubtitleException("no input for ffmpeg");
        }
        if (input.startsWith("http://") || input.startsWith("https://")) {
            return input;
        }
        return "file:" + Path.of(input).toAbsolutePath().normalize();
    }

    /**
     * A dead swarm must end a read, not hang it (PLAYBACK.md §2.7); and the input, nested parts
     * included (an HLS playlist's segments), is read only by the protocol it was given with.
     */
    private static void networkOptions(String input, List<String> command) {
        if (input != null && input.startsWith("http://")) {
            command.addAll(List.of("-rw_timeout", "30000000", "-protocol_whitelist", "http,tcp"));
        } else if (input != null && input.startsWith("https://")) {
            command.addAll(List.of("-rw_timeout", "30000000", "-protocol_whitelist", "https,tls,tcp"));
        } else {
            command.addAll(List.of("-protocol_whitelist", "file"));
        }
    }

    private record Run(int exitCode, String stdout, String log) {
    }

    /**
     * Runs a command with its time limit; stdout kept (bounded) when asked, stderr's tail kept for
     * messages; killed when a watched output grows past the cap.
     */
    private Run run(List<String> command, List<Path> watched, boolean keepStdout) throws SubtitleException {
        Process process;
        try {
            process = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(nullFile())).start();
        } catch (IOException e) {
            throw new SubtitleException("cannot start " + Path.of(command.getFirst()).getFileName() + ": " + e.getMessage(), e);
        }
        Drain stdout = new Drain(process.getInputStream(), keepStdout ? webVtt.maxBytes() : 0, false);
        Drain stderr = new Drain(process.getErrorStream(), LOG_TAIL, true);
        Thread.ofVirtual().start(stdout);
        Thread.ofVirtual().start(stderr);
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (!process.waitFor(100, TimeUnit.MILLISECONDS)) {
                if (System.nanoTime() > deadline) {
                    kill(process);
                    throw new SubtitleException(Path.of(command.getFirst()).getFileName() + " took longer than "
                            + timeout.toMillis() + " ms and was stopped");
                }
                for (Path out : watched) {
                    if (Files.exists(out) && Files.size(out) > webVtt.maxBytes() + 65536) {
                        kill(process);
                        throw new SubtitleException("ffmpeg wrote more than " + webVtt.maxBytes() + " bytes of subtitles and was stopped");
                    }
                }
            }
            stdout.join();
            stderr.join();
        } catch (InterruptedException e) {
            kill(process);
            Thread.currentThread().interrupt();
            throw new SubtitleException("interrupted while ffmpeg ran");
        } catch (IOException e) {
            kill(process);
            throw new SubtitleException("cannot watch ffmpeg's output: " + e.getMessage(), e);
        }
        if (stdout.overflow()) {
            throw new SubtitleException(Path.of(command.getFirst()).getFileName() + " printed more than " + webVtt.maxBytes() + " bytes");
        }
        String log = stderr.text().strip().replaceAll("\\s+", " ");
        // the loopback URL carries a token: messages name it "INPUT"
        String input = command.stream().filter(a -> a.startsWith("http://") || a.startsWith("https://")).findFirst().orElse(null);
        return new Run(process.exitValue(), stdout.text(), input == null ? log : log.replace(input, "INPUT"));
    }

    private static java.io.File nullFile() {
        return new java.io.File("/dev/null");
    }

    private static void kill(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Reads a stream to its end, keeping its first {@code keep} bytes (stdout) or, when tail, its last ones (a log). */
    private static final class Drain implements Runnable {
        private final InputStream in;
        private final long keep;
        private final boolean tailOnly;
        private byte[] kept = new byte[0];
        private boolean finished;
        private boolean overflow;

        Drain(InputStream in, long keep, boolean tailOnly) {
            this.in = in;
            this.keep = keep;
            this.tailOnly = tailOnly;
        }

        @Override
        public void run() {
            byte[] buffer = new byte[8192];
            try (in) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    synchronized (this) {
                        if (tailOnly || kept.length + n <= keep) {
                            byte[] all = Arrays.copyOf(kept, kept.length + n);
                            System.arraycopy(buffer, 0, all, kept.length, n);
                            kept = tailOnly && all.length > keep ? Arrays.copyOfRange(all, all.length - (int) keep, all.length) : all;
                        } else if (keep > 0) {
                            overflow = true;
                        }
                    }
                }
            } catch (IOException ignored) {
                // the process was killed
            } finally {
                synchronized (this) {
                    finished = true;
                    notifyAll();
                }
            }
        }

        synchronized void join() throws InterruptedException {
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (!finished && System.nanoTime() < until) {
                wait(100);
            }
        }

        synchronized boolean overflow() {
            return overflow;
        }

        synchronized String text() {
            return new String(kept, StandardCharsets.UTF_8);
        }
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // a temp file left behind is harmless
                }
            });
        } catch (IOException ignored) {
            // nothing to clean
        }
    }
}
