package org.hypertube.playback.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Probe, decision, keyframe indexes and HLS conversion with the real (bundled) ffmpeg on short generated
 * films, read over a loopback Range server as the app's stream endpoint serves them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MediaIntegrationTest {

    @TempDir
    static Path films;
    @TempDir
    Path work;

    /** Not the common pool: it has one thread on a 2-core machine, and these calls block. */
    final java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor();
    TestFilms make;
    RangeServer server;
    Prober prober;
    Transcoder transcoder;
    Path faststart;
    Path moovEnd;
    Path mkv;
    Path hevc;

    @BeforeAll
    void films() throws Exception {
        make = new TestFilms(films);
        faststart = make.faststartMp4();
        moovEnd = make.moovAtEndMp4();
        mkv = make.h264Ac3Mkv();
        hevc = make.hevcAacMkv();
        server = new RangeServer(films);
        prober = new Prober(make.binaries, MediaProperties.defaults());
    }

    @BeforeEach
    void transcoder() {
        transcoder = new Transcoder(make.binaries, MediaProperties.defaults().with(null, 1), work.resolve("t"));
    }

    @AfterEach
    void closeTranscoder() {
        transcoder.close();
    }

    @AfterAll
    void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void probesStreamsOverHttp() {
        MediaProbe p = prober.probe(server.url("h264_ac3.mkv"));
        assertThat(p.formats()).contains("matroska");
        assertThat(p.isMatroska()).isTrue();
        assertThat(p.duration()).isCloseTo(30, within(0.1));
        assertThat(p.bitRate()).isPositive();
        assertThat(p.video()).singleElement().satisfies(v -> {
            assertThat(v.index()).isZero();
            assertThat(v.codec()).isEqualTo("h264");
            assertThat(v.profile()).isEqualTo("High");
            assertThat(v.pixelFormat()).isEqualTo("yuv420p");
            assertThat(v.width()).isEqualTo(640);
            assertThat(v.height()).isEqualTo(360);
            assertThat(v.frameRate()).isEqualTo(new Rational(24000, 1001));
            assertThat(v.bFrames()).isPositive();
        });
        assertThat(p.audio()).containsExactly(
                new MediaProbe.AudioStream(1, "ac3", null, 6, "eng", null, true),
                new MediaProbe.AudioStream(2, "aac", "LC", 2, "fre", "Commentary", false));
        assertThat(p.subtitles()).containsExactly(new MediaProbe.SubtitleStream(3, "subrip", "eng", null, true, false));

        MediaProbe mp4 = prober.probe(server.url("moov_end.mp4"));
        assertThat(mp4.isMp4()).isTrue();
        assertThat(mp4.formats()).contains("mp4", "mov");
        assertThat(mp4.audio()).singleElement().satisfies(a -> assertThat(a.codec()).isEqualTo("aac"));
        assertThat(mp4.duration()).isCloseTo(30, within(0.1));
        assertThat(prober.probe(hevc.toString()).video().getFirst().codec()).as("file path").isEqualTo("hevc");
    }

    @Test
    void probeFailsClearly() throws Exception {
        Path junk = Files.write(films.resolve("junk.mkv"), new byte[1000]);
        assertThatThrownBy(() -> prober.probe(junk.toString())).isInstanceOf(MediaException.class)
                .hasMessageContaining("ffprobe failed");
        assertThatThrownBy(() -> prober.probe(server.url("missing.mkv"))).isInstanceOf(MediaException.class);
        assertThatThrownBy(() -> prober.probe("http://192.0.2.1/film.mkv")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theToolsReadOnlyTheProtocolsWeUseEvenWhereTheInputNamesAnother() throws Exception {
        // A "film" on our stream endpoint that is an HLS playlist sending ffprobe to another protocol
        // (https here; udp, rtp and data: were let through too by ffmpeg's defaults for an http input).
        try (var elsewhere = new java.net.ServerSocket(0, 5, java.net.InetAddress.getLoopbackAddress())) {
            elsewhere.setSoTimeout(2000);
            Files.writeString(films.resolve("elsewhere.m3u8"), "#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXT-X-MEDIA-SEQUENCE:0\n"
                    + "#EXTINF:2.0,\nhttps://127.0.0.1:" + elsewhere.getLocalPort() + "/seg.ts\n#EXT-X-ENDLIST\n");
            assertThatThrownBy(() -> prober.probe(server.url("elsewhere.m3u8"))).isInstanceOf(MediaException.class)
                    .hasMessageContaining("not on whitelist");
            assertThatThrownBy(elsewhere::accept).as("ffprobe connected elsewhere").isInstanceOf(java.net.SocketTimeoutException.class);
        }
        // A playlist among our files may not lead to a URL either.
        Path local = Files.writeString(films.resolve("local.m3u8"), "#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXT-X-MEDIA-SEQUENCE:0\n"
                + "#EXTINF:2.0,\n" + server.url("h264_ac3.mkv") + "\n#EXT-X-ENDLIST\n");
        assertThatThrownBy(() -> prober.probe(local.toString())).isInstanceOf(MediaException.class)
                .hasMessageContaining("not on whitelist");
        // ffmpeg's conversion gets the same list, before its input.
        String url = server.url("h264_ac3.mkv");
        MediaProbe probe = prober.probe(url);
        List<String> args = HlsCommand.arguments(url, probe, Decision.decide(probe, -1, Quality.P720), 0, 0, 0,
                new Rational(24, 1), 4, 0, HlsTimeline.transcode(30, new Rational(24, 1)));
        int whitelist = args.indexOf("-protocol_whitelist");
        assertThat(whitelist).isNotNegative().isLessThan(args.indexOf("-i"));
        assertThat(args.get(whitelist + 1)).isEqualTo("http,tcp");
        assertThat(HlsCommand.arguments(mkv.toString(), prober.probe(mkv.toString()), Decision.decide(probe, -1, Quality.P720),
                0, 0, 0, new Rational(24, 1), 4, 0, HlsTimeline.transcode(30, new Rational(24, 1))))
                .containsSubsequence("-protocol_whitelist", "file", "-i");
    }

    @Test
    void decidesPerFilm() {
        assertThat(decide("faststart.mp4").mode()).isEqualTo(Delivery.DIRECT);
        assertThat(decide("moov_end.mp4").mode()).isEqualTo(Delivery.DIRECT);
        assertThat(decide("h264_ac3.mkv")).isEqualTo(new Plan(Delivery.REMUX, 0, 1, 0));
        assertThat(decide("hevc_aac.mkv")).as("HEVC, 360 lines: never upscaled to 720")
                .isEqualTo(new Plan(Delivery.TRANSCODE, 0, 1, 360));
    }

    private Plan decide(String name) {
        return Decision.decide(prober.probe(server.url(name)), -1, Quality.P720);
    }

    @Test
    void keyframeIndexesMatchTheDecodedKeyframes() {
        for (Path film : List.of(mkv, faststart, moovEnd, hevc)) {
            MediaProbe probe = prober.probe(film.toString());
            double[] expected = make.ffprobeKeyframes(film);
            double[] viaHttp = Keyframes.read(server.url(film.getFileName().toString()), probe, 0).orElseThrow();
            double[] viaFile = Keyframes.read(film.toString(), probe, 0).orElseThrow();
            assertThat(expected.length).as(film.getFileName().toString()).isGreaterThan(3);
            assertThat(viaHttp).as(film.getFileName().toString()).hasSameSizeAs(expected);
            for (int i = 0; i < expected.length; i++) {
                assertThat(viaHttp[i]).as("%s keyframe %d", film.getFileName(), i).isCloseTo(expected[i], within(0.001));
            }
            assertThat(viaFile).containsExactly(viaHttp);
        }
    }

    @Test
    void truncatedFilesGiveNoIndexRatherThanAWrongOne() throws Exception {
        for (Path film : List.of(mkv, moovEnd)) {
            MediaProbe probe = prober.probe(film.toString());
            byte[] bytes = Files.readAllBytes(film);
            for (int length : new int[] {0, 10, 200, 5000, 100_000, bytes.length - 2000}) {
                Path cut = Files.write(films.resolve("cut-" + film.getFileName()),
                        java.util.Arrays.copyOf(bytes, length));
                assertThat(Keyframes.read(cut.toString(), probe, 0)).as("%s cut at %d", film.getFileName(), length)
                        .isEmpty();
            }
        }
    }

    @Test
    void remuxServesKeyframeSegmentsWhereverFfmpegStarts() throws Exception {
        String url = server.url("h264_ac3.mkv");
        MediaProbe probe = prober.probe(url);
        Plan plan = Decision.decide(probe, -1, Quality.P720);
        HlsSession session = transcoder.open("film-1", url, probe, plan);
        assertThat(transcoder.open("film-1", url, probe, plan)).isSameAs(session);
        assertThat(session.plan()).isEqualTo(plan);

        double[] keyframes = make.ffprobeKeyframes(mkv);
        assertThat(session.segmentCount()).isEqualTo(keyframes.length);
        assertPlaylistCoversTheFilm(session, probe.duration());

        // a seek into the middle: ffmpeg starts there; then back before it: ffmpeg restarts
        int mid = session.segmentCount() / 2 + 1;
        for (int k : new int[] {mid, mid - 3}) {
            Path segment = session.segment(k);
            assertThat(session.segmentStart(k)).isCloseTo(keyframes[k], within(0.001));
            List<String> video = make.packets(session.init(), segment, "v:0", "packet=pts_time,flags");
            assertThat(Double.parseDouble(video.getFirst().split(",")[0])).as("segment %d first video pts", k)
                    .isCloseTo(session.segmentStart(k), within(0.0015));
            assertThat(video.getFirst()).contains("K");
            double last = video.stream().mapToDouble(l -> Double.parseDouble(l.split(",")[0])).max().orElseThrow();
            assertThat(last).as("segment %d ends before the next keyframe", k)
                    .isLessThan(session.segmentStart(k) + session.segmentDuration(k));
            assertThat(make.packets(session.init(), segment, "a:0", "stream=codec_name,channels"))
                    .containsExactly("aac,2");
        }
        // from the start, every segment holds exactly its keyframe gap
        for (int k = 0; k < session.segmentCount(); k++) {
            List<String> video = make.packets(session.init(), session.segment(k), "v:0", "packet=pts_time,flags");
            assertThat(Double.parseDouble(video.getFirst().split(",")[0])).as("segment %d", k)
                    .isCloseTo(session.segmentStart(k), within(0.0015));
            assertThat(video.stream().filter(l -> l.contains("K"))).as("segment %d keyframes", k).hasSize(1);
        }
        assertThatThrownBy(() -> session.segment(session.segmentCount())).isInstanceOf(IllegalArgumentException.class);
        // Every page names itself (a new id per visit): a page's requests leave nothing behind once answered.
        for (int page = 0; page < 200; page++) {
            session.segment(page % session.segmentCount(), "m1-" + page);
        }
        assertThat(session.viewersAsking()).as("viewers remembered after their requests ended").isZero();
    }

    /**
     * A first keyframe gap of 4.5 s is served in five parts of 0.9 s (the first frame waits for one part):
     * asked for a part in the middle, ffmpeg makes the parts from the start in one run that stops at the
     * second keyframe; together the parts hold every frame before it once, only the first a keyframe.
     */
    @Test
    void aLongFirstKeyframeGapIsServedInPartsMadeFromTheStart() throws Exception {
        Path film = make.longFirstGapMkv();
        String url = server.url(film.getFileName().toString());
        MediaProbe probe = prober.probe(url);
        HlsSession session = transcoder.open("film-9", url, probe, Decision.decide(probe, -1, Quality.P720));
        assertThat(session.plan().mode()).isEqualTo(Delivery.REMUX);
        assertThat(session.segmentCount()).as("5 parts, then the gaps from 4.5, 6 and 9 s").isEqualTo(8);
        assertPlaylistCoversTheFilm(session, probe.duration());
        assertThat(session.playlist()).doesNotContain("#EXT-X-INDEPENDENT-SEGMENTS");

        double frame = 1001 / 24000.0;
        Path middle = session.segment(2);   // the first request: one run from segment 0
        assertThat(session.segmentsKept()).as("parts 0 and 1 made on the way to part 2").isGreaterThanOrEqualTo(3);
        List<String> two = make.packets(session.init(), middle, "v:0", "packet=pts_time,flags");
        // ffmpeg cuts the parts a little later than the playlist says (see HlsCommand), never after the next
        assertThat(Double.parseDouble(two.getFirst().split(",")[0])).as("part 2 starts at 1.8 s")
                .isCloseTo(session.segmentStart(2), within(HlsCommand.PART_SLACK + frame));
        assertThat(two).as("part 2 has no keyframe").noneMatch(l -> l.contains("K"));
        java.util.Set<Long> frames = new java.util.TreeSet<>();
        double second = session.segmentStart(5);   // the second keyframe
        for (int k = 0; k < 5; k++) {
            List<String> video = make.packets(session.init(), session.segment(k), "v:0", "packet=pts_time,flags");
            assertThat(Double.parseDouble(video.getFirst().split(",")[0])).as("part %d", k)
                    .isCloseTo(session.segmentStart(k), within(HlsCommand.PART_SLACK + frame));
            assertThat(video.getFirst().contains("K")).as("part %d starts with a keyframe", k).isEqualTo(k == 0);
            video.stream().map(l -> Double.parseDouble(l.split(",")[0])).filter(t -> t < second - frame / 2)
                    .forEach(t -> assertThat(frames.add(Math.round(t / frame))).as("frame at %s once", t).isTrue());
        }
        assertThat(frames).as("every frame before the second keyframe").hasSize((int) Math.round(second / frame));
        List<String> gap = make.packets(session.init(), session.segment(5), "v:0", "packet=pts_time,flags");
        assertThat(gap.getFirst()).contains("K");
        assertThat(Double.parseDouble(gap.getFirst().split(",")[0])).isCloseTo(second, within(0.0015));
        assertThat(second).isCloseTo(4.5, within(frame));
    }

    @Test
    void remuxOfAnMp4ChoosesItsSecondKeyframeExactly() throws Exception {
        String url = server.url("moov_end.mp4");
        MediaProbe probe = prober.probe(url);
        HlsSession session = transcoder.open("film-2", url, probe, new Plan(Delivery.REMUX, 0, 1, 0));
        assertThat(session.plan().mode()).isEqualTo(Delivery.REMUX);
        assertPlaylistCoversTheFilm(session, probe.duration());
        int k = 3; // 4.421 s, 0.292 s after the keyframe before: -ss must not land on that one
        Path segment = session.segment(k); // first request: ffmpeg starts with -ss at keyframe 3
        List<String> video = make.packets(session.init(), segment, "v:0", "packet=pts_time,flags");
        assertThat(Double.parseDouble(video.getFirst().split(",")[0])).isCloseTo(session.segmentStart(k), within(0.0015));
        assertThat(session.segmentStart(k)).isCloseTo(4.421, within(0.001));
        assertThat(make.packets(session.init(), session.segment(0), "v:0", "packet=pts_time").getFirst())
                .startsWith("0.0");
    }

    @Test
    void transcodeWritesNFrameSegmentsFromAnyStart() throws Exception {
        String url = server.url("hevc_aac.mkv");
        MediaProbe probe = prober.probe(url);
        Plan plan = Decision.decide(probe, -1, Quality.P720);
        HlsSession session = transcoder.open("film-3", url, probe, plan);
        int n = 48;
        double length = n * 1001 / 24000.0;
        assertThat(session.segmentCount()).as("the first N frames in three segments").isEqualTo((int) Math.ceil(20 / length) + 2);
        assertPlaylistCoversTheFilm(session, probe.duration());

        for (int k : new int[] {6, 3, 2, 1, 0}) {
            Path segment = session.segment(k);
            List<String> video = make.packets(session.init(), segment, "v:0", "packet=pts_time,flags");
            double start = k == 0 ? 0 : k == 1 ? length / 4 : k == 2 ? length / 2 : (k - 2) * length;
            assertThat(Double.parseDouble(video.getFirst().split(",")[0])).as("segment %d starts at (k-2)·N/fps", k)
                    .isCloseTo(start, within(0.001));
            assertThat(video).as("segment %d is N frames (N/4, N/4, N/2 for the first three), one keyframe", k)
                    .hasSize(k < 2 ? n / 4 : k == 2 ? n / 2 : n);
            assertThat(video.stream().filter(l -> l.contains("K"))).hasSize(1);
            assertThat(make.packets(session.init(), segment, "v:0", "stream=codec_name,height"))
                    .containsExactly("h264,360");
            assertThat(make.packets(session.init(), segment, "a:0", "stream=codec_name,channels"))
                    .containsExactly("aac,2");
        }
        int last = session.segmentCount() - 1;
        assertThat(make.packets(session.init(), session.segment(last), "v:0", "packet=pts_time").size())
                .isBetween(1, n);
    }

    /**
     * A film ending in a sliver (6.6 s at 24 fps: 0.6 s after its last whole 2-s segment) has it in its last
     * segment, as the playlist says: every one of its 158 frames is served, and the last segment holds as
     * many frames as its EXTINF says (review 1200, item 6c: ffmpeg cut it at 6.0 s and the rest was never
     * served).
     */
    @Test
    void aTranscodeServesTheFilmsLastSliverInItsLastSegment() throws Exception {
        Path film = make.sliverMkv();
        String url = server.url(film.getFileName().toString());
        MediaProbe probe = prober.probe(url);
        Plan plan = new Plan(Delivery.TRANSCODE, 0, 1, 360);
        HlsSession session = transcoder.open("sliver", url, probe, plan);
        assertThat(session.segmentCount()).as("12 + 12 + 24 + 48 frames, then the last 2.6 s").isEqualTo(5);
        int total = 0;
        for (int k = 0; k < session.segmentCount(); k++) {
            int frames = make.packets(session.init(), session.segment(k), "v:0", "packet=pts_time").size();
            assertThat(frames).as("segment %d holds its EXTINF's frames", k)
                    .isCloseTo((int) Math.round(session.segmentDuration(k) * 24), within(1));
            total += frames;
        }
        int frames = make.ffprobe("-v", "error", "-select_streams", "v:0", "-show_entries", "packet=pts_time",
                "-of", "csv=p=0", film.toString()).lines().filter(l -> !l.isBlank()).toList().size();
        assertThat(frames).as("the film").isEqualTo(158);
        assertThat(total).as("every frame of the film").isEqualTo(frames);
        int last = session.segmentCount() - 1;
        assertThat(make.packets(session.init(), session.segment(last), "v:0", "packet=pts_time"))
                .as("the last segment, from 4.0 s to the end").hasSize(frames - 96);
        assertThat(session.segmentStart(last)).isCloseTo(4.0, within(1e-9));
    }

    /**
     * A run whose input ends one frame before a segment's end (the bytes stop: an input error) lists that
     * segment short of its duration as ffmpeg ends: it is never kept, and a request for it fails rather than
     * getting a segment with a frame missing. (Whether a segment listed while ffmpeg runs is whole, the
     * exact-duration rule, is {@code HlsCursorTest}'s: here ffmpeg ends as it lists the short segment.)
     */
    @Test
    void aSegmentAnInputErrorEndsOneFrameShortIsNotKept() throws Exception {
        Path film = make.sliverMkv();
        Path cut = films.resolve("sliver-cut.mkv");
        Files.copy(film, cut, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        String url = server.url(cut.getFileName().toString());
        MediaProbe probe = prober.probe(url);
        // the bytes end where frame 95 starts: segment 3 (frames 48-95) is one frame short
        long frame95 = make.ffprobe("-v", "error", "-select_streams", "v:0", "-show_entries", "packet=pos",
                "-of", "csv=p=0", film.toString()).lines().filter(l -> !l.isBlank()).skip(95).findFirst()
                .map(l -> Long.parseLong(l.split(",")[0].trim())).orElseThrow();
        byte[] bytes = Files.readAllBytes(film);
        Files.write(cut, java.util.Arrays.copyOf(bytes, (int) frame95));
        HlsSession session = transcoder.open("cut", url, probe, new Plan(Delivery.TRANSCODE, 0, 1, 360));
        assertThat(make.packets(session.init(), session.segment(2), "v:0", "packet=pts_time")).hasSize(24);
        assertThatThrownBy(() -> session.segment(3)).isInstanceOf(MediaException.class);
        assertThat(session.segmentsKept()).as("segments 0-2 only").isEqualTo(3);
    }

    @Test
    void theLoadCountsConversionsRunningAndThoseWaitingForTheOneSlot() throws Exception {
        String url = server.url("hevc_aac.mkv");
        MediaProbe probe = prober.probe(url);
        Plan plan = Decision.decide(probe, -1, Quality.P720);
        assertThat(transcoder.load()).isEqualTo(new Transcoder.Load(0, 0));
        HlsSession first = transcoder.open("load-1", url, probe, plan);
        HlsSession second = transcoder.open("load-2", url, probe, plan);
        first.init(); // its ffmpeg holds the one transcode slot and goes on converting the film
        Thread waiting = Thread.ofVirtual().start(() -> {
            try {
                second.init();
            } catch (InterruptedException | MediaException e) {
                // closed below
            }
        });
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!transcoder.load().equals(new Transcoder.Load(1, 1)) && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(transcoder.load()).isEqualTo(new Transcoder.Load(1, 1));
        transcoder.close(Transcoder.key("load-1", plan));
        transcoder.close(Transcoder.key("load-2", plan));
        waiting.join(Duration.ofSeconds(10));
        assertThat(transcoder.load()).isEqualTo(new Transcoder.Load(0, 0));
    }

    @Test
    void aFilmWithoutIndexIsTranscodedInsteadOfRemuxed() throws Exception {
        make.h264Ts();
        String url = server.url("h264.ts");
        MediaProbe probe = prober.probe(url);
        Plan plan = Decision.decide(probe, -1, Quality.P720);
        assertThat(plan.mode()).isEqualTo(Delivery.REMUX);
        List<Delivery> timed = new java.util.concurrent.CopyOnWriteArrayList<>();
        transcoder.onFirstSegment((mode, time) -> timed.add(mode));
        HlsSession session = transcoder.open("film-4", url, probe, plan);
        assertThat(session.plan()).isEqualTo(new Plan(Delivery.TRANSCODE, 0, 1, 360));
        assertThat(session.requestedPlan()).isEqualTo(plan);
        assertThat(transcoder.open("film-4", url, probe, plan)).isSameAs(session);
        assertThat(transcoder.open("film-4", url, probe, session.plan()))
                .as("the plan it became is the same conversion: one session per folder").isSameAs(session);
        assertThat(session.segment(1)).exists();
        session.segment(0);
        // The operator's time-to-first-segment metric hears of it once, as the conversion it became.
        assertThat(timed).containsExactly(Delivery.TRANSCODE);
    }

    @Test
    void refusesPlansThatNeedNoConversionOrNameMissingStreams() {
        String url = server.url("h264_ac3.mkv");
        MediaProbe probe = prober.probe(url);
        assertThatThrownBy(() -> transcoder.open("film-7", url, probe, new Plan(Delivery.DIRECT, 0, 1, 0)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> transcoder.open("film-7", url, probe, new Plan(Delivery.REMUX, 0, 3, 0)))
                .as("stream 3 is a subtitle").isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> transcoder.open("film-7", "http://192.0.2.1/x.mkv", probe,
                new Plan(Delivery.REMUX, 0, 1, 0))).isInstanceOf(IllegalArgumentException.class);
        assertThat(transcoder.find("film-7")).isEmpty();
    }

    @Test
    void anotherAudioTrackIsAnotherConversionWithItsOwnSegments() throws Exception {
        String url = server.url("h264_ac3.mkv");
        MediaProbe probe = prober.probe(url);
        HlsSession english = transcoder.open("film-8", url, probe, Decision.decide(probe, -1, Quality.P720));
        english.segment(0);
        HlsSession french = transcoder.open("film-8", url, probe, Decision.decide(probe, 2, Quality.P720));
        assertThat(french).isNotSameAs(english);
        assertThat(french.plan()).isEqualTo(new Plan(Delivery.REMUX, 0, 2, 0));
        assertThat(french.directory()).isNotEqualTo(english.directory());
        assertThat(transcoder.find(Transcoder.key("film-8", french.plan()))).contains(french);
        assertThat(transcoder.find(Transcoder.key("film-8", english.plan()))).contains(english);
        assertThat(make.packets(french.init(), french.segment(1), "a:0", "stream=codec_name,channels"))
                .containsExactly("aac,2");
    }

    @Test
    void closingKillsFfmpegKeepingTheSegmentsUntilTheFilmIsEvicted() throws Exception {
        MediaProbe probe = prober.probe(server.url("hevc_aac.mkv"));
        Plan plan = Decision.decide(probe, -1, Quality.P720);
        HlsSession session = transcoder.open("film-5", server.gatedUrl("hevc_aac.mkv"), probe, plan);
        CompletableFuture<Path> waiting = CompletableFuture.supplyAsync(() -> segment(session, 0), threads);
        ProcessHandle ffmpeg = await(() -> session.process().orElse(null));
        assertThat(ffmpeg.isAlive()).isTrue();
        assertThat(session.directory()).isDirectory();

        transcoder.close(Transcoder.key("film-5", plan));
        assertThat(ffmpeg.isAlive()).isFalse();
        assertThat(transcoder.find(Transcoder.key("film-5", plan))).isEmpty();
        assertThatThrownBy(waiting::join).hasCauseInstanceOf(MediaException.class);
        assertThat(session.directory()).as("kept for the next viewer").isDirectory();
        transcoder.evict("film-5");
        assertThat(session.directory()).doesNotExist();
    }

    /**
     * Two viewers of one variant share one conversion and one ffmpeg; what it made is kept, so a later
     * viewer (here through a new Transcoder over the same folders, as after a restart or on another
     * instance sharing the data folder) gets every made segment at once with no ffmpeg at all.
     */
    @Test
    void viewersShareOneFfmpegAndLaterViewersGetTheKeptSegmentsWithoutAny() throws Exception {
        String url = server.url("hevc_aac.mkv");
        MediaProbe probe = prober.probe(url);
        Plan plan = Decision.decide(probe, -1, Quality.P720);
        HlsSession first = transcoder.open("shared", url, probe, plan);
        assertThat(transcoder.open("shared", url, probe, plan)).as("one conversion per film and variant").isSameAs(first);
        CompletableFuture<Path> a = CompletableFuture.supplyAsync(() -> segment(first, 3, "alice"), threads);
        CompletableFuture<Path> b = CompletableFuture.supplyAsync(() -> segment(first, 3, "bob"), threads);
        await(() -> transcoder.load().running() > 0 ? Boolean.TRUE : null);
        assertThat(transcoder.load()).as("one ffmpeg for both, nobody in line").isEqualTo(new Transcoder.Load(1, 0));
        assertThat(a.get(60, TimeUnit.SECONDS)).isEqualTo(b.get(60, TimeUnit.SECONDS));
        // converting ahead, it reaches the end of the film
        await(() -> first.converting() ? null : Boolean.TRUE);
        assertThat(first.segmentsKept()).isEqualTo(first.segmentCount() - 3);
        transcoder.close();

        try (Transcoder later = new Transcoder(make.binaries, MediaProperties.defaults().with(null, 1), work.resolve("t"))) {
            HlsSession again = later.open("shared", url, probe, plan);
            for (int k = 3; k < again.segmentCount(); k++) {
                assertThat(again.segment(k, "carol")).exists();
            }
            assertThat(again.init()).exists();
            assertThat(later.conversionsStarted()).as("no ffmpeg started for kept segments").isZero();
            assertThat(again.converting()).isFalse();
            assertThat(later.load()).isEqualTo(new Transcoder.Load(0, 0));
        }
    }

    /**
     * A seek back into made segments starts no ffmpeg; a seek before them starts one at the first missing
     * segment that stops where the made ones begin, re-encoding none of them.
     */
    @Test
    void seekingNeverReencodesAMadeSegment() throws Exception {
        String url = server.url("hevc_aac.mkv");
        MediaProbe probe = prober.probe(url);
        Plan plan = Decision.decide(probe, -1, Quality.P720);
        HlsSession session = transcoder.open("seeks", url, probe, plan);
        int from = 5;
        session.segment(from, "alice");
        await(() -> session.converting() ? null : Boolean.TRUE);
        int count = session.segmentCount();
        java.util.Map<Integer, Object> made = new java.util.HashMap<>();
        for (int k = from; k < count; k++) {
            made.put(k, Files.readAttributes(session.directory().resolve("seg" + k + ".m4s"),
                    java.nio.file.attribute.BasicFileAttributes.class).fileKey());
        }
        assertThat(session.segment(from + 2, "alice")).exists();
        assertThat(session.converting()).as("a seek into made segments starts no ffmpeg").isFalse();

        List<String> before = make.packets(session.init(), session.segment(0, "alice"), "v:0", "packet=pts_time");
        assertThat(Double.parseDouble(before.getFirst())).isCloseTo(0, within(0.001));
        await(() -> session.converting() ? null : Boolean.TRUE);
        for (int k = 0; k < count; k++) {
            assertThat(session.directory().resolve("seg" + k + ".m4s")).exists();
        }
        for (int k = from; k < count; k++) {
            assertThat(Files.readAttributes(session.directory().resolve("seg" + k + ".m4s"),
                    java.nio.file.attribute.BasicFileAttributes.class).fileKey())
                    .as("segment %d was not made again", k).isEqualTo(made.get(k));
        }
        // the boundaries agree: the segment before the old start ends where that one begins
        int n = 48;
        double length = n * 1001 / 24000.0;
        List<String> edge = make.packets(session.init(), session.segment(from - 1), "v:0", "packet=pts_time");
        assertThat(edge).hasSize(n);
        assertThat(Double.parseDouble(edge.getFirst())).isCloseTo((from - 3) * length, within(0.001));
    }

    @Test
    void aSecondTranscodeWaitsForTheFirst() throws Exception {
        MediaProbe probe = prober.probe(server.url("hevc_aac.mkv"));
        Plan plan = Decision.decide(probe, -1, Quality.P720);
        HlsSession first = transcoder.open("viewer-1", server.gatedUrl("hevc_aac.mkv"), probe, plan);
        HlsSession second = transcoder.open("viewer-2", server.url("hevc_aac.mkv"), probe, plan);
        CompletableFuture<Path> firstWaits = CompletableFuture.supplyAsync(() -> segment(first, 0), threads);
        await(() -> first.process().orElse(null));
        CompletableFuture<Path> secondWaits = CompletableFuture.supplyAsync(() -> segment(second, 0), threads);
        await(() -> second.queued() ? Boolean.TRUE : null);

        Thread.sleep(1500);
        assertThat(secondWaits).isNotDone();
        assertThat(second.queued()).isTrue();
        assertThat(second.process()).isEmpty();
        assertThat(transcoder.runningTranscodes()).isEqualTo(1);

        transcoder.close(Transcoder.key("viewer-1", plan));
        assertThat(secondWaits.get(60, TimeUnit.SECONDS)).exists();
        assertThat(firstWaits).isCompletedExceptionally();
    }

    @Test
    void anIdleConversionIsStoppedButKeepsItsSegments() throws Exception {
        // The request below gives up after 1 s (segment timeout); from then on nobody asks: idle.
        MediaProperties quick = new MediaProperties(null, null, null, 1, 4, Duration.ofMillis(800),
                Duration.ofMinutes(5), null, Duration.ofSeconds(1));
        try (Transcoder idle = new Transcoder(make.binaries, quick, work.resolve("idle"))) {
            MediaProbe probe = prober.probe(server.url("hevc_aac.mkv"));
            Plan plan = Decision.decide(probe, -1, Quality.P720);
            HlsSession session = idle.open("film-6", server.gatedUrl("hevc_aac.mkv"), probe, plan);
            CompletableFuture.supplyAsync(() -> segment(session, 0), threads);
            ProcessHandle ffmpeg = await(() -> session.process().orElse(null));
            long stopped = System.nanoTime();
            await(() -> ffmpeg.isAlive() ? null : Boolean.TRUE);
            assertThat(Duration.ofNanos(System.nanoTime() - stopped)).isLessThan(Duration.ofSeconds(10));
            // The run's thread marks itself done just after its process ends.
            await(() -> session.converting() ? null : Boolean.TRUE);
            assertThat(session.directory()).isDirectory();
            assertThat(idle.find(Transcoder.key("film-6", plan))).contains(session);
        }
    }

    /** Another instance sharing the data folder evicted the film: its segments are made again, never served missing. */
    @Test
    void segmentsAnotherInstanceEvictedAreMadeAgain() throws Exception {
        String url = server.url("hevc_aac.mkv");
        MediaProbe probe = prober.probe(url);
        Plan plan = Decision.decide(probe, -1, Quality.P720);
        HlsSession session = transcoder.open("evicted", url, probe, plan);
        assertThat(session.segment(1, "alice")).exists();
        session.stopConversion();
        await(() -> session.converting() ? null : Boolean.TRUE);

        SegmentStore.delete(work.resolve("t").resolve("kept").resolve("evicted"));

        assertThat(session.segment(1, "alice")).as("made again").exists();
        assertThat(session.segmentBytes(1, "alice")).isNotEmpty();
        assertThat(session.init()).exists();
    }

    /** When moving a segment into the shared folder fails, the run's ffmpeg is killed before its slot is freed. */
    @Test
    void aConversionWhoseFolderFailsLeavesNoFfmpegBehind() throws Exception {
        String url = server.url("hevc_aac.mkv");
        MediaProbe probe = prober.probe(url);
        Plan plan = Decision.decide(probe, -1, Quality.P720);
        HlsSession session = transcoder.open("broken-folder", url, probe, plan);
        CompletableFuture<Path> waiting = CompletableFuture.supplyAsync(() -> segment(session, 2), threads);
        ProcessHandle ffmpeg = await(() -> session.process().orElse(null));
        SegmentStore.delete(session.directory());
        Files.writeString(session.directory(), "not a folder");   // every move into it fails now

        await(() -> session.converting() ? null : Boolean.TRUE);
        assertThat(ffmpeg.isAlive()).as("no ffmpeg outlives its conversion slot").isFalse();
        assertThat(transcoder.runningTranscodes()).isZero();
        assertThatThrownBy(waiting::join).hasCauseInstanceOf(MediaException.class);
    }

    /**
     * A viewer's request that a newer one of the same viewer superseded (a seek) is answered soon
     * without its segment, and without an error; another viewer's request is not superseded.
     */
    @Test
    void aRequestASeekSupersededIsAnsweredSoon() throws Exception {
        MediaProbe probe = prober.probe(server.url("hevc_aac.mkv"));
        Plan plan = Decision.decide(probe, -1, Quality.P720);
        HlsSession session = transcoder.open("superseded", server.gatedUrl("hevc_aac.mkv"), probe, plan);
        CompletableFuture<Path> before = CompletableFuture.supplyAsync(() -> segment(session, 5, "alice"), threads);
        CompletableFuture<Path> bob = CompletableFuture.supplyAsync(() -> segment(session, 5, "bob"), threads);
        await(() -> session.process().orElse(null));
        CompletableFuture<Path> after = CompletableFuture.supplyAsync(() -> segment(session, 9, "alice"), threads);

        assertThatThrownBy(() -> before.get(30, TimeUnit.SECONDS)).hasCauseInstanceOf(SupersededException.class);
        assertThat(after).isNotDone();
        assertThat(bob).as("another viewer's request waits on").isNotDone();
        transcoder.close(Transcoder.key("superseded", plan));
        assertThatThrownBy(after::join).hasCauseInstanceOf(MediaException.class);
        assertThatThrownBy(bob::join).hasCauseInstanceOf(MediaException.class);
    }

    /**
     * A segment ffmpeg has closed is served while ffmpeg waits for the film's next bytes (fMP4 segments
     * are written whole when closed): the first segment of a seek does not also wait for the next
     * keyframe gap to arrive. It holds its whole gap.
     */
    @Test
    void aClosedSegmentIsServedWhileTheNextGapIsStillComing() throws Exception {
        String url = server.url("h264_ac3.mkv");
        MediaProbe probe = prober.probe(url);
        Plan plan = Decision.decide(probe, -1, Quality.P720);
        double[] keyframes = make.ffprobeKeyframes(mkv);
        long keyframe3 = make.ffprobe("-v", "error", "-select_streams", "v:0", "-show_entries", "packet=pos,flags",
                "-of", "csv=p=0", mkv.toString()).lines().filter(l -> l.contains("K")).skip(3).findFirst()
                .map(l -> Long.parseLong(l.split(",")[0])).orElseThrow();
        // the film has arrived to a second past keyframe 3: segment 2 can be closed, segment 3 cannot
        HlsSession session = transcoder.open("held", server.heldUrl("h264_ac3.mkv", keyframe3 + 250_000), probe, plan);
        assertThat(session.segmentCount()).isGreaterThan(4);

        Path segment = CompletableFuture.supplyAsync(() -> segment(session, 2, "alice"), threads).get(30, TimeUnit.SECONDS);
        assertThat(session.converting()).as("ffmpeg still waits for the bytes after it").isTrue();
        List<String> video = make.packets(session.init(), segment, "v:0", "packet=pts_time");
        long frames = java.util.Arrays.stream(make.ffprobe("-v", "error", "-select_streams", "v:0", "-show_entries",
                "packet=pts_time", "-of", "csv=p=0", mkv.toString()).split("\\s+")).filter(t -> !t.isBlank())
                .mapToDouble(Double::parseDouble).filter(t -> t >= keyframes[2] - 0.001 && t < keyframes[3] - 0.001).count();
        assertThat(video).as("every frame of the gap, once").hasSize((int) frames);
        transcoder.close(Transcoder.key("held", plan));
    }

    /**
     * A viewer's seek to a part not made yet moves the ffmpeg that was making segments for that viewer:
     * its old ffmpeg does not go on reading the film beside the new one (halving what the swarm gives the
     * seek), even with a second conversion slot free.
     */
    @Test
    void aSeekMovesTheViewersOwnFfmpegRatherThanStartingASecond() throws Exception {
        MediaProbe probe = prober.probe(server.url("hevc_aac.mkv"));
        Plan plan = Decision.decide(probe, -1, Quality.P720);
        try (Transcoder two = new Transcoder(make.binaries, MediaProperties.defaults().with(null, 2), work.resolve("two"))) {
            HlsSession session = two.open("seek-moves", server.gatedUrl("hevc_aac.mkv"), probe, plan);
            CompletableFuture<Path> before = CompletableFuture.supplyAsync(() -> segment(session, 0, "alice"), threads);
            ProcessHandle first = await(() -> session.process().orElse(null));
            CompletableFuture<Path> after = CompletableFuture.supplyAsync(() -> segment(session, 9, "alice"), threads);
            await(() -> session.ffmpegStarts() == 2 ? Boolean.TRUE : null);
            await(() -> first.isAlive() ? null : Boolean.TRUE);
            assertThat(session.ffmpegRunning()).as("one ffmpeg, now at the seek").isEqualTo(1);
            assertThat(session.process().orElseThrow().pid()).isNotEqualTo(first.pid());
            assertThatThrownBy(() -> before.get(30, TimeUnit.SECONDS)).hasCauseInstanceOf(SupersededException.class);

            // another viewer's ffmpeg is not taken: a second one starts for him (a slot is free)
            CompletableFuture<Path> bob = CompletableFuture.supplyAsync(() -> segment(session, 2, "bob"), threads);
            await(() -> session.ffmpegRunning() == 2 ? Boolean.TRUE : null);
            two.close(Transcoder.key("seek-moves", plan));
            assertThatThrownBy(after::join).hasCauseInstanceOf(MediaException.class);
            assertThatThrownBy(bob::join).hasCauseInstanceOf(MediaException.class);
        }
    }

    /**
     * A viewer who switches to another variant (audio or quality) gives up the old one's ffmpeg even while a request
     * of theirs still waits on it (hls.js may leave one behind per variant it loaded): the old request no longer
     * holds the conversion slot nor starts another ffmpeg, so one member's film holds one conversion at a time.
     */
    @Test
    void aViewerWhoSwitchesVariantStopsTheFfmpegOnlyTheyWaitOn() throws Exception {
        MediaProbe probe = prober.probe(server.url("hevc_aac.mkv"));
        Plan plan = Decision.decide(probe, -1, Quality.P720);
        HlsSession session = transcoder.open("switched", server.gatedUrl("hevc_aac.mkv"), probe, plan);
        CompletableFuture<Path> waiting = CompletableFuture.supplyAsync(() -> segment(session, 0, "alice"), threads);
        ProcessHandle ffmpeg = await(() -> session.process().orElse(null));

        transcoder.leave(Transcoder.key("switched", plan), "alice");
        await(() -> ffmpeg.isAlive() ? null : Boolean.TRUE);
        assertThatThrownBy(() -> waiting.get(30, TimeUnit.SECONDS)).isInstanceOf(java.util.concurrent.ExecutionException.class);
        assertThat(session.converting()).as("no ffmpeg for the variant she left").isFalse();
        assertThat(session.ffmpegStarts()).as("her old request started no other").isEqualTo(1);
    }

    /**
     * Bob plays a segment or two behind Alice on the same conversion, so none of his requests waits on its
     * ffmpeg when Alice seeks: her seek starts a second ffmpeg (a slot is free) instead of taking his, and
     * his next segment comes from the ffmpeg he followed.
     */
    @Test
    void aSeekLeavesTheFfmpegAnotherViewerFollowsJustBehind() throws Exception {
        MediaProbe probe = prober.probe(server.url("hevc_aac.mkv"));
        Plan plan = Decision.decide(probe, -1, Quality.P720);
        long size = Files.size(hevc);
        try (RangeServer held = new RangeServer(films);
             Transcoder two = new Transcoder(make.binaries, MediaProperties.defaults().with(null, 2), work.resolve("follow"))) {
            // the film has arrived up to 40 %: the first ffmpeg stops there until the rest comes
            HlsSession session = two.open("follow", held.heldUrl("hevc_aac.mkv", size * 4 / 10), probe, plan);
            segment(session, 0, "alice");
            int made = stoppedWith(session, 3);
            ProcessHandle first = session.process().orElseThrow();
            int far = session.segmentCount() - 2;
            assertThat(far).as("the seek is beyond the first ffmpeg's reach").isGreaterThan(made + 3);

            segment(session, made - 2, "bob");     // Bob, just behind
            segment(session, made - 1, "alice");   // Alice, at the head: the ffmpeg was last hers
            CompletableFuture<Path> seek = CompletableFuture.supplyAsync(() -> segment(session, far, "alice"), threads);
            await(() -> session.ffmpegStarts() == 2 ? Boolean.TRUE : null);
            assertThat(first.isAlive()).as("Bob's ffmpeg still runs").isTrue();
            assertThat(seek.get(30, TimeUnit.SECONDS)).exists();

            CompletableFuture<Path> bob = CompletableFuture.supplyAsync(() -> segment(session, made, "bob"), threads);
            held.openGate();
            assertThat(bob.get(30, TimeUnit.SECONDS)).exists();
            assertThat(session.ffmpegStarts()).as("Bob's next segment from the ffmpeg he followed").isEqualTo(2);
            two.close(Transcoder.key("follow", plan));
        }
    }

    /**
     * A viewer far behind an ffmpeg (getting segments kept long ago) needs nothing of it: the seek of the viewer
     * who plays at its head moves it, rather than leaving it converting for nobody beside a second one.
     */
    @Test
    void aViewerFarBehindDoesNotKeepTheFfmpegFromMovingWithASeek() throws Exception {
        MediaProbe probe = prober.probe(server.url("hevc_aac.mkv"));
        Plan plan = Decision.decide(probe, -1, Quality.P720);
        long size = Files.size(hevc);
        try (RangeServer held = new RangeServer(films);
             Transcoder two = new Transcoder(make.binaries, MediaProperties.defaults().with(null, 2), work.resolve("far"))) {
            HlsSession session = two.open("far", held.heldUrl("hevc_aac.mkv", size * 45 / 100), probe, plan);
            segment(session, 0, "alice");
            int made = stoppedWith(session, 4);
            ProcessHandle first = session.process().orElseThrow();
            int far = session.segmentCount() - 2;
            assertThat(far).as("the seek is beyond the first ffmpeg's reach").isGreaterThan(made + 3);

            segment(session, 0, "bob");            // Bob, far behind
            segment(session, made - 1, "alice");   // Alice, at the head
            CompletableFuture<Path> seek = CompletableFuture.supplyAsync(() -> segment(session, far, "alice"), threads);
            await(() -> session.ffmpegStarts() == 2 ? Boolean.TRUE : null);
            await(() -> first.isAlive() ? null : Boolean.TRUE);
            assertThat(session.ffmpegRunning()).as("one ffmpeg, moved to Alice's seek").isEqualTo(1);
            held.openGate();
            assertThat(seek.get(30, TimeUnit.SECONDS)).exists();
            two.close(Transcoder.key("far", plan));
        }
    }

    /** Waits until the session's ffmpeg has stopped making segments (its input held), at least {@code least}; the count. */
    private static int stoppedWith(HlsSession session, int least) throws InterruptedException {
        return await(() -> {
            int kept = session.segmentsKept();
            try {
                Thread.sleep(1500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return kept >= least && kept == session.segmentsKept() ? kept : null;
        });
    }

    /** A film ffmpeg cannot read: retries of a segment are refused for a while instead of each starting ffmpeg. */
    @Test
    void aFailingFilmIsNotRestartedOnEveryRetry() throws Exception {
        Path broken = Files.copy(hevc, films.resolve("broken.mkv"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        String url = server.url("broken.mkv");
        MediaProbe probe = prober.probe(url);
        Plan plan = Decision.decide(probe, -1, Quality.P720);
        Files.write(broken, new byte[256 * 1024]);   // the film became unreadable after its probe
        HlsSession session = transcoder.open("failing", url, probe, plan);
        for (int retry = 0; retry < 3; retry++) {
            assertThatThrownBy(() -> session.segment(0, "alice")).isInstanceOf(MediaException.class);
        }
        assertThat(session.ffmpegStarts()).as("one ffmpeg for the three requests").isEqualTo(1);
        assertThat(transcoder.conversionsStarted()).isEqualTo(1);
    }

    private static Path segment(HlsSession session, int k) {
        return segment(session, k, "");
    }

    private static Path segment(HlsSession session, int k, String viewer) {
        try {
            return session.segment(k, viewer);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static <T> T await(java.util.function.Supplier<T> condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            T value = condition.get();
            if (value != null) {
                return value;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("condition not met within 30 s");
    }

    private static void assertPlaylistCoversTheFilm(HlsSession session, double duration) {
        String m3u8 = session.playlist();
        assertThat(m3u8).startsWith("#EXTM3U\n#EXT-X-VERSION:7\n").contains("#EXT-X-PLAYLIST-TYPE:VOD")
                .contains("#EXT-X-MAP:URI=\"init.mp4\"").endsWith("#EXT-X-ENDLIST\n");
        double sum = m3u8.lines().filter(l -> l.startsWith("#EXTINF:"))
                .mapToDouble(l -> Double.parseDouble(l.substring(8, l.length() - 1))).sum();
        assertThat(sum).isCloseTo(duration, within(0.001 * session.segmentCount()));
        assertThat(m3u8.lines().filter(l -> l.startsWith("seg"))).hasSize(session.segmentCount());
    }
}
