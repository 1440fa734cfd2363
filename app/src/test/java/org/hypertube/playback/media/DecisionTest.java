package org.hypertube.playback.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class DecisionTest {

    static final List<String> MP4 = List.of("mov", "mp4", "m4a", "3gp", "3g2", "mj2");
    static final List<String> MKV = List.of("matroska", "webm");
    static final List<String> AVI = List.of("avi");
    static final List<String> TS = List.of("mpegts");

    static MediaProbe.VideoStream video(String codec, String profile, String pixFmt, int level, int height) {
        return new MediaProbe.VideoStream(0, codec, profile, pixFmt, height * 16 / 9, height, level,
                new Rational(24000, 1001), new Rational(24000, 1001), 2);
    }

    static MediaProbe.VideoStream h264() {
        return video("h264", "High", "yuv420p", 41, 1080);
    }

    static MediaProbe.AudioStream audio(int index, String codec, boolean isDefault) {
        return new MediaProbe.AudioStream(index, codec, null, 2, "eng", null, isDefault);
    }

    static MediaProbe probe(List<String> formats, MediaProbe.VideoStream video, MediaProbe.AudioStream... audio) {
        return new MediaProbe(formats, 600, 0, 8_000_000, video == null ? List.of() : List.of(video), List.of(audio),
                List.of());
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                // container, video, audio streams, audio choice, quality -> mode, audio, height
                Arguments.of("MP4 H.264 + AAC", probe(MP4, h264(), audio(1, "aac", true)), -1, Quality.P720,
                        new Plan(Delivery.DIRECT, 0, 1, 0)),
                Arguments.of("MP4 H.264, no audio", probe(MP4, h264()), -1, Quality.P720,
                        new Plan(Delivery.DIRECT, 0, -1, 0)),
                Arguments.of("MP4 H.264 + MP3/Opus/FLAC", probe(MP4, h264(), audio(1, "flac", true)), -1, Quality.P720,
                        new Plan(Delivery.DIRECT, 0, 1, 0)),
                Arguments.of("MP4 VP9 + Opus", probe(MP4, video("vp9", "Profile 0", "yuv420p", 0, 1080),
                        audio(1, "opus", true)), -1, Quality.P720, new Plan(Delivery.DIRECT, 0, 1, 0)),
                Arguments.of("MP4 H.264 + AC-3 (Chromium plays silence)", probe(MP4, h264(), audio(1, "ac3", true)),
                        -1, Quality.P720, new Plan(Delivery.REMUX, 0, 1, 0)),
                Arguments.of("MP4, second audio chosen (no track switching in a file)",
                        probe(MP4, h264(), audio(1, "aac", true), audio(2, "aac", false)), 2, Quality.P720,
                        new Plan(Delivery.REMUX, 0, 2, 0)),
                Arguments.of("MP4, default audio chosen by index", probe(MP4, h264(), audio(1, "aac", false),
                        audio(2, "aac", true)), 2, Quality.P720, new Plan(Delivery.DIRECT, 0, 2, 0)),
                Arguments.of("MKV H.264 + AAC (Firefox)", probe(MKV, h264(), audio(1, "aac", true)), -1, Quality.P720,
                        new Plan(Delivery.REMUX, 0, 1, 0)),
                Arguments.of("MKV H.264 + AC-3", probe(MKV, h264(), audio(1, "ac3", true)), -1, Quality.P720,
                        new Plan(Delivery.REMUX, 0, 1, 0)),
                Arguments.of("MKV H.264 + DTS, second track AAC chosen", probe(MKV, h264(), audio(1, "dts", true),
                        audio(2, "aac", false)), 2, Quality.P720, new Plan(Delivery.REMUX, 0, 2, 0)),
                Arguments.of("WebM VP9 + Opus", probe(MKV, video("vp9", "Profile 0", "yuv420p", 0, 1080),
                        audio(1, "opus", true)), -1, Quality.P720, new Plan(Delivery.DIRECT, 0, 1, 0)),
                Arguments.of("WebM AV1 + Vorbis", probe(MKV, video("av1", "Main", "yuv420p", 0, 1080),
                        audio(1, "vorbis", true)), -1, Quality.P720, new Plan(Delivery.DIRECT, 0, 1, 0)),
                Arguments.of("WebM VP8 + Vorbis", probe(MKV, video("vp8", null, "yuv420p", 0, 720),
                        audio(1, "vorbis", true)), -1, Quality.P720, new Plan(Delivery.DIRECT, 0, 1, 0)),
                Arguments.of("MKV VP9 + Opus + AC-3 (not WebM)", probe(MKV, video("vp9", "Profile 0", "yuv420p", 0,
                        1080), audio(1, "opus", true), audio(2, "ac3", false)), -1, Quality.P720,
                        new Plan(Delivery.REMUX, 0, 1, 0)),
                Arguments.of("AVI H.264 + MP3", probe(AVI, h264(), audio(1, "mp3", true)), -1, Quality.P720,
                        new Plan(Delivery.REMUX, 0, 1, 0)),
                Arguments.of("TS H.264 + AAC", probe(TS, h264(), audio(1, "aac", true)), -1, Quality.P720,
                        new Plan(Delivery.REMUX, 0, 1, 0)),
                Arguments.of("MKV HEVC 1080 + AAC", probe(MKV, video("hevc", "Main", "yuv420p", 120, 1080),
                        audio(1, "aac", true)), -1, Quality.P720, new Plan(Delivery.TRANSCODE, 0, 1, 720)),
                Arguments.of("MP4 HEVC Main 10", probe(MP4, video("hevc", "Main 10", "yuv420p10le", 150, 2160),
                        audio(1, "aac", true)), -1, Quality.P1080, new Plan(Delivery.TRANSCODE, 0, 1, 1080)),
                Arguments.of("MKV H.264 Hi10P", probe(MKV, video("h264", "High 10", "yuv420p10le", 41, 1080),
                        audio(1, "aac", true)), -1, Quality.P720, new Plan(Delivery.TRANSCODE, 0, 1, 720)),
                Arguments.of("MP4 H.264 10-bit without profile", probe(MP4, video("h264", null, "yuv420p10le", 41,
                        1080), audio(1, "aac", true)), -1, Quality.P720, new Plan(Delivery.TRANSCODE, 0, 1, 720)),
                Arguments.of("MP4 H.264 4:4:4", probe(MP4, video("h264", "High 4:4:4 Predictive", "yuv444p", 41,
                        1080), audio(1, "aac", true)), -1, Quality.P720, new Plan(Delivery.TRANSCODE, 0, 1, 720)),
                Arguments.of("MP4 H.264 level 5.2", probe(MP4, video("h264", "High", "yuv420p", 52, 2160),
                        audio(1, "aac", true)), -1, Quality.ORIGINAL, new Plan(Delivery.TRANSCODE, 0, 1, 1080)),
                Arguments.of("AVI MPEG-4 ASP (XviD) 480 lines, 720p asked: never upscaled", probe(AVI,
                        video("mpeg4", "Advanced Simple Profile", "yuv420p", 5, 480), audio(1, "mp3", true)), -1,
                        Quality.P720, new Plan(Delivery.TRANSCODE, 0, 1, 480)),
                Arguments.of("MPEG-2 576 lines, ORIGINAL", probe(TS, video("mpeg2video", "Main", "yuv420p", 8, 576),
                        audio(1, "ac3", true)), -1, Quality.ORIGINAL, new Plan(Delivery.TRANSCODE, 0, 1, 576)),
                Arguments.of("VC-1 1080, 480p asked", probe(MKV, video("vc1", "Advanced", "yuv420p", 3, 1080),
                        audio(1, "ac3", true)), -1, Quality.P480, new Plan(Delivery.TRANSCODE, 0, 1, 480)),
                Arguments.of("HEVC of odd height", probe(MKV, video("hevc", "Main", "yuv420p", 90, 361),
                        audio(1, "aac", true)), -1, Quality.P720, new Plan(Delivery.TRANSCODE, 0, 1, 360)),
                Arguments.of("HEVC, unknown height", probe(MKV, video("hevc", "Main", "yuv420p", 90, 0),
                        audio(1, "aac", true)), -1, null, new Plan(Delivery.TRANSCODE, 0, 1, 720)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void decides(String name, MediaProbe probe, int audioChoice, Quality quality, Plan expected) {
        assertThat(Decision.decide(probe, audioChoice, quality)).isEqualTo(expected);
    }

    @Test
    void audioChoiceFallsBackToTheDefaultThenTheFirst() {
        MediaProbe flagged = probe(MKV, h264(), audio(1, "aac", false), audio(2, "ac3", true), audio(3, "aac", false));
        assertThat(Decision.chooseAudio(flagged, 3)).isEqualTo(3);
        assertThat(Decision.chooseAudio(flagged, -1)).isEqualTo(2);
        assertThat(Decision.chooseAudio(flagged, 0)).as("the video's index is no audio").isEqualTo(2);
        assertThat(Decision.chooseAudio(flagged, 99)).isEqualTo(2);
        MediaProbe unflagged = probe(MKV, h264(), audio(4, "aac", false), audio(5, "ac3", false));
        assertThat(Decision.chooseAudio(unflagged, -1)).isEqualTo(4);
        assertThat(Decision.chooseAudio(probe(MKV, h264()), -1)).isEqualTo(-1);
    }

    @Test
    void aFileWithoutVideoCannotBePlayed() {
        assertThatThrownBy(() -> Decision.decide(probe(MP4, null, audio(0, "aac", true)), -1, Quality.P720))
                .isInstanceOf(MediaException.class);
    }

    @Test
    void aRemuxThatCannotBeCutBecomesATranscodeOfTheSameStreams() {
        MediaProbe probe = probe(TS, h264(), audio(1, "aac", true), audio(2, "ac3", false));
        Plan remux = Decision.decide(probe, 2, Quality.P720);
        assertThat(Decision.transcodeInstead(probe, remux, Quality.P720))
                .isEqualTo(new Plan(Delivery.TRANSCODE, 0, 2, 720));
    }

    /** What Debian's Firefox ESR 153 answers to the player's questions (player.js), headless, on this machine. */
    static final Playable FIREFOX = Playable.parse("mp4.avc1 mkv.avc1 mse.avc1 mp4.hevc mkv.hevc mse.hevc mp4.av1 webm.av1"
            + " mkv.av1 mse.av1 mp4.vp9 webm.vp9 mkv.vp9 mse.vp9 webm.vp8 mkv.vp8 mp4.aac mkv.aac mse.aac mp4.opus"
            + " webm.opus mkv.opus mse.opus mp4.mp3 mse.mp3 mp4.flac mse.flac webm.vorbis mkv.vorbis");
    /** What Debian's Chromium 156 answers, headless: no HEVC anywhere, MP3 and FLAC in Matroska. */
    static final Playable CHROMIUM = Playable.parse("mp4.avc1 mkv.avc1 mse.avc1 mp4.av1 webm.av1 mkv.av1 mse.av1 mp4.vp9"
            + " webm.vp9 mkv.vp9 mse.vp9 webm.vp8 mkv.vp8 mp4.aac mkv.aac mse.aac mp4.opus webm.opus mkv.opus mse.opus"
            + " mp4.mp3 mkv.mp3 mp4.flac mkv.flac mse.flac webm.vorbis mkv.vorbis");

    static Stream<Arguments> browsers() {
        MediaProbe hevcMkv = probe(MKV, video("hevc", "Main", "yuv420p", 120, 1080), audio(1, "aac", true));
        MediaProbe hevcMp4Ac3 = probe(MP4, video("hevc", "Main", "yuv420p", 120, 1080), audio(1, "ac3", true));
        MediaProbe h264Mkv = probe(MKV, h264(), audio(1, "aac", true));
        MediaProbe h264MkvFlac = probe(MKV, h264(), audio(1, "flac", true));
        MediaProbe h264MkvAc3Second = probe(MKV, h264(), audio(1, "aac", true), audio(2, "ac3", false));
        MediaProbe h264Mp4Ac3 = probe(MP4, h264(), audio(1, "ac3", true));
        MediaProbe hevcMain10 = probe(MKV, video("hevc", "Main 10", "yuv420p10le", 150, 2160), audio(1, "aac", true));
        Playable onlyMp4 = Playable.parse("mp4.avc1 mp4.aac");
        return Stream.of(
                Arguments.of("MKV HEVC + AAC, Firefox: its own decoder", hevcMkv, FIREFOX, new Plan(Delivery.DIRECT, 0, 1, 0)),
                Arguments.of("MKV HEVC + AAC, Chromium: transcoded", hevcMkv, CHROMIUM, new Plan(Delivery.TRANSCODE, 0, 1, 720)),
                Arguments.of("MKV HEVC + AAC, no answers: transcoded", hevcMkv, Playable.DEFAULT,
                        new Plan(Delivery.TRANSCODE, 0, 1, 720)),
                Arguments.of("MP4 HEVC + AC-3, Firefox: HEVC is never copied, AC-3 never played", hevcMp4Ac3, FIREFOX,
                        new Plan(Delivery.TRANSCODE, 0, 1, 720)),
                Arguments.of("MKV HEVC Main 10, Firefox: beyond what it was asked", hevcMain10, FIREFOX,
                        new Plan(Delivery.TRANSCODE, 0, 1, 720)),
                Arguments.of("MKV H.264 + AAC, Firefox: plays Matroska", h264Mkv, FIREFOX, new Plan(Delivery.DIRECT, 0, 1, 0)),
                Arguments.of("MKV H.264 + AAC, Chromium: plays Matroska", h264Mkv, CHROMIUM, new Plan(Delivery.DIRECT, 0, 1, 0)),
                Arguments.of("MKV H.264 + AAC, no answers: remuxed", h264Mkv, Playable.DEFAULT, new Plan(Delivery.REMUX, 0, 1, 0)),
                Arguments.of("MKV H.264 + FLAC, Chromium plays FLAC in Matroska", h264MkvFlac, CHROMIUM,
                        new Plan(Delivery.DIRECT, 0, 1, 0)),
                Arguments.of("MKV H.264 + FLAC, Firefox does not: remuxed", h264MkvFlac, FIREFOX,
                        new Plan(Delivery.REMUX, 0, 1, 0)),
                Arguments.of("MKV with a second AC-3 track: remuxed in both", h264MkvAc3Second, FIREFOX,
                        new Plan(Delivery.REMUX, 0, 1, 0)),
                Arguments.of("MP4 H.264 + AC-3: remuxed in both", h264Mp4Ac3, CHROMIUM, new Plan(Delivery.REMUX, 0, 1, 0)),
                Arguments.of("MKV H.264, a browser without MediaSource: transcoded", h264Mkv, onlyMp4,
                        new Plan(Delivery.TRANSCODE, 0, 1, 720)),
                Arguments.of("MP4 H.264 + AAC, a browser without MediaSource: direct", probe(MP4, h264(), audio(1, "aac", true)),
                        onlyMp4, new Plan(Delivery.DIRECT, 0, 1, 0)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("browsers")
    void followsWhatTheBrowserSaysItPlays(String name, MediaProbe probe, Playable browser, Plan expected) {
        assertThat(Decision.decide(probe, -1, Quality.P720, browser)).isEqualTo(expected);
    }

    @Test
    void aConversionAskedForByItsAddressCopiesOnlyVideoThatCanBeCopied() {
        MediaProbe h264 = probe(MKV, h264(), audio(1, "aac", true), audio(2, "ac3", false));
        assertThat(Decision.converted(h264, 2, true, Quality.DEFAULT)).contains(new Plan(Delivery.REMUX, 0, 2, 0));
        assertThat(Decision.converted(h264, 2, false, Quality.P480)).contains(new Plan(Delivery.TRANSCODE, 0, 2, 480));
        MediaProbe hevc = probe(MKV, video("hevc", "Main", "yuv420p", 120, 1080), audio(1, "aac", true));
        assertThat(Decision.converted(hevc, -1, true, Quality.DEFAULT)).isEmpty();
        assertThat(Decision.converted(probe(MP4, null, audio(0, "aac", true)), -1, false, Quality.P720)).isEmpty();
    }
}
