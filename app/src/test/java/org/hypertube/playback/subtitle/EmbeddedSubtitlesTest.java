package org.hypertube.playback.subtitle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.hypertube.playback.subtitle.EmbeddedSubtitles.Extracted;
import org.hypertube.playback.subtitle.EmbeddedSubtitles.Track;
import org.hypertube.playback.subtitle.EmbeddedSubtitles.Window;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedSubtitlesTest {

    static final Path FFMPEG = TestFilm.FFMPEG;
    static final Path FFPROBE = TestFilm.FFPROBE;
    static final String SRT = """
            1
            00:00:01,000 --> 00:00:02,500
            Tom & Jerry <3

            2
            00:00:03,000 --> 00:00:04,200
            <i>Second</i> line
            two
            """;
    static final List<Cue> SRT_CUES = List.of(
            new Cue(1_000, 2_500, "Tom &amp; Jerry &lt;3"),
            new Cue(3_000, 4_200, "<i>Second</i> line\ntwo"));
    static final List<Cue> ASS_CUES = List.of(
            new Cue(1_500, 3_000, "<i>Bonjour</i> à tous,\nligne deux"),
            new Cue(4_000, 5_250, "PANNEAU 10"),
            new Cue(6_000, 8_100, "<i>Je pense<b> donc</b> je suis</i>"),
            new Cue(9_000, 10_000, "<u>Souligné</u> &lt;pas une balise&gt; &amp; fin"),
            new Cue(13_000, 14_000, "<b><i>Tout</i></b> normal"));

    @TempDir
    static Path films;
    static Path mkv;

    private final EmbeddedSubtitles embedded = new EmbeddedSubtitles(WebVtt.withDefaults(), Duration.ofSeconds(60));

    @BeforeAll
    static void muxAFilm() throws Exception {
        mkv = TestFilm.mux(films, SRT);
    }

    @Test
    void probeListsTheSubtitleTracksWithTheirLanguages() throws Exception {
        List<Track> tracks = embedded.probe(FFPROBE, mkv.toString());

        assertThat(tracks).containsExactly(
                new Track(0, 1, "subrip", "en", null, true, false, false),
                new Track(1, 2, "ass", "fr", "Panneaux", false, true, false));
        assertThat(tracks).allMatch(Track::isText);
    }

    @Test
    void bothTextTracksBecomeWebVttInOneRunWithTheSourcesCuesAndTimes() throws Exception {
        List<Track> tracks = embedded.probe(FFPROBE, mkv.toString());

        List<Extracted> extracted = embedded.extract(FFMPEG, mkv.toString(), tracks, films.resolve("work"));

        assertThat(extracted).extracting(Extracted::track).containsExactlyElementsOf(tracks);
        assertThat(extracted).allMatch(Extracted::ok);
        assertThat(extracted.get(0).cues()).containsExactlyElementsOf(SRT_CUES);
        assertThat(extracted.get(1).cues()).containsExactlyElementsOf(ASS_CUES);
        // the same text as the files beside the film give
        assertThat(extracted.get(0).vtt()).isEqualTo(WebVtt.withDefaults().toWebVtt(SRT.getBytes(StandardCharsets.UTF_8), "en.srt"));
        assertThat(extracted.get(1).vtt()).isEqualTo(WebVtt.withDefaults().toWebVtt(Fixtures.bytes("styled.ass"), "fr.ass"));
        try (var left = Files.list(films.resolve("work"))) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void aWindowReadsUpToItsEndAndKeepsAbsoluteTimes() throws Exception {
        List<Track> tracks = embedded.probe(FFPROBE, mkv.toString());

        List<Extracted> extracted = embedded.extract(FFMPEG, mkv.toString(), tracks, films.resolve("work"),
                new Window(Duration.ZERO, Duration.ofSeconds(2)));

        assertThat(extracted.get(0).cues()).containsExactly(SRT_CUES.getFirst());
        assertThat(extracted.get(1).cues()).containsExactly(ASS_CUES.getFirst());
    }

    @Test
    void pictureTracksAreSkippedWithAReason() throws Exception {
        List<Track> tracks = embedded.tracks("""
                {"streams":[
                 {"index":2,"codec_name":"hdmv_pgs_subtitle","disposition":{"default":1,"forced":0,"hearing_impaired":0},"tags":{"language":"ger"}},
                 {"index":3,"codec_name":"dvd_subtitle","tags":{"language":"fre","title":"  "}},
                 {"index":4,"codec_name":"mov_text","disposition":{"hearing_impaired":1},"tags":{"language":"eng","title":"SDH"}},
                 {"index":5,"codec_name":"eia_608"}]}
                """);

        assertThat(tracks).containsExactly(
                new Track(0, 2, "hdmv_pgs_subtitle", "de", null, true, false, false),
                new Track(1, 3, "dvd_subtitle", "fr", null, false, false, false),
                new Track(2, 4, "mov_text", "en", "SDH", false, false, true),
                new Track(3, 5, "eia_608", "und", null, false, false, false));
        assertThat(tracks.get(0).skipReason()).contains(
                "picture subtitles (hdmv_pgs_subtitle) cannot become WebVTT; they could only be burned in");
        assertThat(tracks.get(1).isText()).isFalse();
        assertThat(tracks.get(2).skipReason()).isEmpty();
        assertThat(tracks.get(3).skipReason()).contains("subtitle codec eia_608 is not converted");

        // only text tracks reach ffmpeg: the real file's SRT, asked for beside a picture track
        Track pgs = new Track(5, 7, "hdmv_pgs_subtitle", "de", null, false, false, false);
        Track srt = embedded.probe(FFPROBE, mkv.toString()).getFirst();
        List<Extracted> extracted = embedded.extract(FFMPEG, mkv.toString(), List.of(pgs, srt), films.resolve("work"));
        assertThat(extracted).extracting(Extracted::track).containsExactly(srt);
        assertThat(embedded.extract(FFMPEG, mkv.toString(), List.of(pgs), films.resolve("work"))).isEmpty();
    }

    @Test
    void aPlaylistOnTheStreamCannotSendFfprobeToAnotherProtocol() throws Exception {
        var loopback = java.net.InetAddress.getLoopbackAddress();
        try (var elsewhere = new java.net.ServerSocket(0, 5, loopback)) {
            elsewhere.setSoTimeout(2000);
            byte[] playlist = ("#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXT-X-MEDIA-SEQUENCE:0\n#EXTINF:2.0,\nhttps://127.0.0.1:"
                    + elsewhere.getLocalPort() + "/seg.ts\n#EXT-X-ENDLIST\n").getBytes(StandardCharsets.US_ASCII);
            var stream = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress(loopback, 0), 0);
            stream.createContext("/", exchange -> {
                exchange.sendResponseHeaders(200, playlist.length);
                exchange.getResponseBody().write(playlist);
                exchange.close();
            });
            stream.start();
            try {
                String input = "http://127.0.0.1:" + stream.getAddress().getPort() + "/film.m3u8";
                assertThatThrownBy(() -> embedded.probe(FFPROBE, input)).isInstanceOf(SubtitleException.class)
                        .hasMessageContaining("not on whitelist");
            } finally {
                stream.stop(0);
            }
            assertThatThrownBy(elsewhere::accept).as("ffprobe connected elsewhere").isInstanceOf(java.net.SocketTimeoutException.class);
        }
    }

    @Test
    void aMissingInputFailsWithFfmpegsReason() {
        assertThatThrownBy(() -> embedded.probe(FFPROBE, films.resolve("missing.mkv").toString()))
                .isInstanceOf(SubtitleException.class).hasMessageContaining("No such file");
        Track srt = new Track(0, 1, "subrip", "en", null, false, false, false);
        assertThatThrownBy(() -> embedded.extract(FFMPEG, films.resolve("missing.mkv").toString(), List.of(srt), films.resolve("work")))
                .isInstanceOf(SubtitleException.class).hasMessageContaining("No such file");
    }

    @Test
    void aRunPastItsTimeLimitIsKilled(@TempDir Path bin) throws Exception {
        Path slow = bin.resolve("slow-ffmpeg");
        Files.writeString(slow, "#!/bin/sh\necho started >&2\nexec sleep 30\n");
        Files.setPosixFilePermissions(slow, PosixFilePermissions.fromString("rwx------"));
        EmbeddedSubtitles impatient = new EmbeddedSubtitles(WebVtt.withDefaults(), Duration.ofMillis(700));
        Track srt = new Track(0, 1, "subrip", "en", null, false, false, false);

        long start = System.nanoTime();
        assertThatThrownBy(() -> impatient.extract(slow, mkv.toString(), List.of(srt), films.resolve("work")))
                .isInstanceOf(SubtitleException.class).hasMessage("slow-ffmpeg took longer than 700 ms and was stopped");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        assertThat(ProcessHandle.current().descendants().filter(p -> p.info().command().orElse("").contains("sleep")).count()).isZero();
    }
}
