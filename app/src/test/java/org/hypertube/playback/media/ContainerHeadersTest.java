package org.hypertube.playback.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Our container readers against ffprobe on films made with the real ffmpeg: the same streams (kind,
 * codec, language, default flag, size) and the same decision for every audio choice, so direct play
 * can start without ffprobe.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ContainerHeadersTest {

    @TempDir
    static Path films;
    TestFilms make;
    Prober prober;

    @BeforeAll
    void films() {
        make = new TestFilms(films);
        prober = new Prober(make.binaries, MediaProperties.defaults());
    }

    Path film(String name) throws IOException {
        return switch (name) {
            case "faststart" -> make.faststartMp4();
            case "moovEnd" -> make.moovAtEndMp4();
            case "mkv" -> make.h264Ac3Mkv();
            case "hevc" -> make.hevcAacMkv();
            case "webm" -> make.webmVp9Opus();
            case "twoAudio" -> make.mp4TwoAudioAndText();
            case "high10" -> make.mp4High10();
            default -> throw new IllegalArgumentException(name);
        };
    }

    @ParameterizedTest
    @ValueSource(strings = {"faststart", "moovEnd", "mkv", "hevc", "webm", "twoAudio", "high10"})
    void readsWhatFfprobeReadsAndDecidesTheSame(String name) throws Exception {
        Path file = film(name);
        MediaProbe ffprobe = prober.probe(file.toString());
        Optional<MediaProbe> read;
        try (FileChannel channel = FileChannel.open(file)) {
            read = ContainerHeaders.read(channel);
        }
        assertThat(read).as("our reader reads %s", name).isPresent();
        MediaProbe ours = read.get();
        assertThat(ours.isMp4()).isEqualTo(ffprobe.isMp4());
        assertThat(ours.isMatroska()).isEqualTo(ffprobe.isMatroska());
        assertThat(ours.duration()).isCloseTo(ffprobe.duration(), org.assertj.core.data.Offset.offset(0.2));
        assertThat(videos(ours)).isEqualTo(videos(ffprobe));
        assertThat(ours.audio()).extracting(a -> a.index() + " " + a.codec() + " " + a.language() + " " + a.isDefault()
                        + " " + a.channels())
                .isEqualTo(ffprobe.audio().stream().map(a -> a.index() + " " + a.codec() + " " + a.language() + " "
                        + a.isDefault() + " " + a.channels()).toList());
        assertThat(ours.subtitles()).extracting(s -> s.index() + " " + s.codec() + " " + s.language())
                .isEqualTo(ffprobe.subtitles().stream().map(s -> s.index() + " " + s.codec() + " " + s.language()).toList());
        for (int audio : java.util.stream.IntStream.concat(java.util.stream.IntStream.of(-1),
                ffprobe.audio().stream().mapToInt(MediaProbe.AudioStream::index)).toArray()) {
            assertThat(Decision.decide(ours, audio, Quality.P720).mode()).as("%s, audio %d", name, audio)
                    .isEqualTo(Decision.decide(ffprobe, audio, Quality.P720).mode());
        }
    }

    private static List<String> videos(MediaProbe p) {
        return p.video().stream().map(v -> v.index() + " " + v.codec() + " " + v.width() + "x" + v.height()
                // with what moves ffmpeg's Matroska seeks (a remux's restarts): reordered or not
                + (v.codec().equals("h264") ? " " + v.profile() + " " + v.level() + " " + v.pixelFormat()
                        + " reordered " + (v.bFrames() > 0) : "")).toList();
    }

    /**
     * Not asserted (timing): how long each way takes to decide a film whose bytes are all there, read over
     * a loopback Range server as the internal endpoint serves them. Printed for docs/PLAYBACK.md.
     */
    @org.junit.jupiter.api.Test
    void timeAgainstFfprobe() throws Exception {
        try (RangeServer server = new RangeServer(films)) {
            for (String name : List.of("faststart", "moovEnd", "webm")) {
                String file = film(name).getFileName().toString();
                prober.probe(server.url(file)); // warm up the process cache
                long ffprobe = Long.MAX_VALUE;
                long ours = Long.MAX_VALUE;
                long ffprobeBytes = 0;
                long ourBytes = 0;
                for (int round = 0; round < 5; round++) {
                    long b0 = server.served.get();
                    long t0 = System.nanoTime();
                    prober.probe(server.url(file));
                    long t1 = System.nanoTime();
                    long b1 = server.served.get();
                    try (ByteSource source = ByteSource.open(server.url(file), java.time.Duration.ofSeconds(10))) {
                        assertThat(ContainerHeaders.read(source)).isPresent();
                    }
                    long t2 = System.nanoTime();
                    ffprobeBytes = b1 - b0;
                    ourBytes = server.served.get() - b1;
                    ffprobe = Math.min(ffprobe, t1 - t0);
                    ours = Math.min(ours, t2 - t1);
                }
                System.out.printf("decision %s (%d bytes): ffprobe %.1f ms reading %d bytes, our header reader %.1f ms"
                        + " reading %d bytes (best of 5)%n", name, java.nio.file.Files.size(film(name)), ffprobe / 1e6,
                        ffprobeBytes, ours / 1e6, ourBytes);
            }
        }
    }

    @org.junit.jupiter.api.Test
    void otherContainersAreLeftToFfprobe() throws Exception {
        Path ts = make.h264Ts();
        try (FileChannel channel = FileChannel.open(ts)) {
            assertThat(ContainerHeaders.read(channel)).isEmpty();
        }
    }
}
