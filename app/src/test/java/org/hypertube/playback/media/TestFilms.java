package org.hypertube.playback.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Short films made with the same ffmpeg production uses (bundled unless configured), and ffprobe calls
 * that check what the code under test read or wrote.
 */
final class TestFilms {

    /** Forced keyframes at irregular times, like x264's scene cuts: gaps from 0.29 to 4.5 s. */
    static final String KEYFRAMES = "0,1.3,4.1,4.4,8,9.9,13,17.2,19,23.5,26,28.1";
    static final String SOURCE = "testsrc2=size=640x360:rate=24000/1001";

    final FfmpegBinaries binaries = new FfmpegBinaries(MediaProperties.defaults());
    final Path dir;

    TestFilms(Path dir) {
        this.dir = dir;
    }

    /** MP4 (moov first), H.264 High with B-frames + AAC stereo, 30 s. */
    Path faststartMp4() throws IOException {
        return make("faststart.mp4", List.of("-map", "0:v", "-map", "1:a", "-t", "30",
                "-c:v", "libx264", "-preset", "veryfast", "-bf", "2", "-pix_fmt", "yuv420p", "-g", "250",
                "-sc_threshold", "0", "-force_key_frames", KEYFRAMES, "-c:a", "aac", "-b:a", "96k",
                "-movflags", "+faststart"));
    }

    /** The same with moov at the end. */
    Path moovAtEndMp4() throws IOException {
        return make("moov_end.mp4", List.of("-map", "0:v", "-map", "1:a", "-t", "30",
                "-c:v", "libx264", "-preset", "veryfast", "-bf", "2", "-pix_fmt", "yuv420p", "-g", "250",
                "-sc_threshold", "0", "-force_key_frames", KEYFRAMES, "-c:a", "aac", "-b:a", "96k"));
    }

    /**
     * MKV: H.264 + AC-3 5.1 (English, default) + AAC stereo (French, "Commentary") + SRT (English, forced), 30 s.
     */
    Path h264Ac3Mkv() throws IOException {
        Path srt = dir.resolve("eng.srt");
        Files.writeString(srt, "1\n00:00:01,000 --> 00:00:03,000\nHello & welcome\n\n2\n00:00:05,000 --> 00:00:07,000\n"
                + "<i>Bye</i>\n", StandardCharsets.UTF_8);
        return make("h264_ac3.mkv", List.of("-i", srt.toString(), "-map", "0:v", "-map", "1:a", "-map", "1:a",
                "-map", "2:s", "-t", "30",
                "-c:v", "libx264", "-preset", "veryfast", "-bf", "2", "-pix_fmt", "yuv420p", "-g", "250",
                "-sc_threshold", "0", "-force_key_frames", KEYFRAMES,
                "-c:a:0", "ac3", "-ac:a:0", "6", "-b:a:0", "192k", "-c:a:1", "aac", "-ac:a:1", "2", "-b:a:1", "64k",
                "-c:s", "srt",
                "-metadata:s:a:0", "language=eng", "-metadata:s:a:1", "language=fre",
                "-metadata:s:a:1", "title=Commentary", "-metadata:s:s:0", "language=eng",
                "-disposition:a:0", "default", "-disposition:a:1", "0", "-disposition:s:0", "forced"));
    }

    /** MKV: H.264 High without B-frames + AC-3, 12 s, a long first keyframe gap (keyframes at 0, 4.5, 6 and 9 s). */
    Path longFirstGapMkv() throws IOException {
        return make("long_first_gap.mkv", List.of("-map", "0:v", "-map", "1:a", "-t", "12",
                "-c:v", "libx264", "-preset", "veryfast", "-bf", "0", "-pix_fmt", "yuv420p", "-g", "250",
                "-sc_threshold", "0", "-force_key_frames", "0,4.5,6,9", "-c:a", "ac3", "-b:a", "128k"));
    }

    /** MKV: HEVC (x265, 8-bit) + AAC stereo, 20 s. */
    Path hevcAacMkv() throws IOException {
        return make("hevc_aac.mkv", List.of("-map", "0:v", "-map", "1:a", "-t", "20",
                "-c:v", "libx265", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-x265-params", "keyint=96:min-keyint=24:log-level=error",
                "-c:a", "aac", "-b:a", "96k"));
    }

    /**
     * MKV: H.264 + AAC, 6.6 s at exactly 24 fps (158 frames): its last 0.6 s are a sliver shorter than half
     * a 2-s segment, part of the last transcoded segment.
     */
    Path sliverMkv() throws IOException {
        return make("sliver.mkv", "testsrc2=size=640x360:rate=24", List.of("-map", "0:v", "-map", "1:a", "-t", "6.6",
                "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "64k"));
    }

    /** MPEG-TS with H.264 + AAC: no index to cut a remux by. */
    Path h264Ts() throws IOException {
        return make("h264.ts", List.of("-map", "0:v", "-map", "1:a", "-t", "10",
                "-c:v", "libx264", "-preset", "ultrafast", "-g", "48", "-pix_fmt", "yuv420p", "-c:a", "aac"));
    }

    /** WebM: VP9 + Opus, 5 s: direct play in every browser. */
    Path webmVp9Opus() throws IOException {
        return make("vp9_opus.webm", List.of("-map", "0:v", "-map", "1:a", "-t", "5",
                "-c:v", "libvpx-vp9", "-deadline", "realtime", "-cpu-used", "8", "-b:v", "300k",
                "-c:a", "libopus", "-b:a", "64k"));
    }

    /** MP4 with moov at the end: H.264 + AAC (German, not default) + AAC (English, default) + mov_text (French), 5 s. */
    Path mp4TwoAudioAndText() throws IOException {
        Path srt = dir.resolve("fr.srt");
        Files.writeString(srt, "1\n00:00:01,000 --> 00:00:03,000\nBonjour\n", StandardCharsets.UTF_8);
        return make("two_audio.mp4", List.of("-i", srt.toString(), "-map", "0:v", "-map", "1:a", "-map", "1:a",
                "-map", "2:s", "-t", "5", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
                "-c:a", "aac", "-b:a", "64k", "-c:s", "mov_text",
                "-metadata:s:a:0", "language=ger", "-metadata:s:a:1", "language=eng", "-metadata:s:s:0", "language=fre",
                "-disposition:a:0", "0", "-disposition:a:1", "default"));
    }

    /** MP4 with 10-bit H.264 (High 10): transcoded, never played directly. */
    Path mp4High10() throws IOException {
        return make("high10.mp4", List.of("-map", "0:v", "-map", "1:a", "-t", "3",
                "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p10le", "-c:a", "aac"));
    }

    private Path make(String name, List<String> output) throws IOException {
        return make(name, SOURCE, output);
    }

    private Path make(String name, String source, List<String> output) throws IOException {
        Path file = dir.resolve(name);
        if (Files.exists(file)) {
            return file;
        }
        List<String> args = new ArrayList<>(List.of("-hide_banner", "-v", "error", "-y",
                "-f", "lavfi", "-i", source, "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000"));
        args.addAll(output);
        args.add(file.toString());
        run(binaries.ffmpeg(), args);
        return file;
    }

    /** Video keyframe times as ffprobe decodes them. */
    double[] ffprobeKeyframes(Path file) {
        String out = ffprobe("-v", "error", "-select_streams", "v:0", "-skip_frame", "nokey",
                "-show_entries", "frame=pts_time", "-of", "csv=p=0", file.toString());
        return Arrays.stream(out.split("[\\s,]+")).filter(s -> !s.isBlank()).mapToDouble(Double::parseDouble).toArray();
    }

    /** Packets of a stream of an init segment followed by one media segment: "pts_time,flags" lines. */
    List<String> packets(Path init, Path segment, String streamSelector, String entries) throws IOException {
        Path joined = Files.createTempFile(dir, "joined", ".mp4");
        try {
            Files.write(joined, Files.readAllBytes(init));
            Files.write(joined, Files.readAllBytes(segment), java.nio.file.StandardOpenOption.APPEND);
            String out = ffprobe("-v", "error", "-select_streams", streamSelector, "-show_entries", entries,
                    "-of", "csv=p=0", joined.toString());
            return out.lines().filter(l -> !l.isBlank()).toList();
        } finally {
            Files.deleteIfExists(joined);
        }
    }

    String ffprobe(String... args) {
        return run(binaries.ffprobe(), List.of(args));
    }

    static String run(Path executable, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(executable.toString());
        command.addAll(args);
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(false).start();
            p.getOutputStream().close();
            java.io.ByteArrayOutputStream errors = new java.io.ByteArrayOutputStream();
            var err = Thread.ofVirtual().start(() -> {
                try {
                    p.getErrorStream().transferTo(errors);
                } catch (IOException e) {
                    // ignore
                }
            });
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
            err.join();
            assertThat(p.exitValue()).as("exit of %s: %s", command, errors).isZero();
            return out;
        } catch (IOException e) {
            throw new RuntimeException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RuntimeException(e);
        }
    }
}
