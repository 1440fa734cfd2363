package org.hypertube.playback.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProberParseTest {

    @Test
    void readsFfprobeJsonLeavingCoverPicturesOut() {
        String json = """
                {"streams":[
                 {"index":0,"codec_name":"hevc","codec_type":"video","profile":"Main 10","pix_fmt":"yuv420p10le",
                  "width":3840,"height":1600,"level":153,"r_frame_rate":"24000/1001","avg_frame_rate":"24000/1001",
                  "has_b_frames":2,"disposition":{"default":1,"attached_pic":0}},
                 {"index":1,"codec_name":"DTS","codec_type":"audio","profile":"DTS-HD MA","channels":8,
                  "disposition":{"default":1},"tags":{"LANGUAGE":"und","title":"Surround 7.1"}},
                 {"index":2,"codec_name":"hdmv_pgs_subtitle","codec_type":"subtitle",
                  "disposition":{"default":0,"forced":1},"tags":{"language":"fre"}},
                 {"index":3,"codec_name":"mjpeg","codec_type":"video","width":600,"height":900,
                  "disposition":{"attached_pic":1}},
                 {"index":4,"codec_name":"ttf","codec_type":"attachment"}],
                 "format":{"format_name":"matroska,webm","duration":"N/A","start_time":"-0.021000","bit_rate":"1234"}}
                """;
        MediaProbe p = Prober.parse(json.getBytes(StandardCharsets.UTF_8));
        assertThat(p.formats()).containsExactly("matroska", "webm");
        assertThat(p.duration()).isZero();
        assertThat(p.startTime()).isEqualTo(-0.021);
        assertThat(p.bitRate()).isEqualTo(1234);
        assertThat(p.video()).containsExactly(new MediaProbe.VideoStream(0, "hevc", "Main 10", "yuv420p10le", 3840, 1600,
                153, new Rational(24000, 1001), new Rational(24000, 1001), 2));
        assertThat(p.audio()).containsExactly(new MediaProbe.AudioStream(1, "dts", "DTS-HD MA", 8, null, "Surround 7.1",
                true));
        assertThat(p.subtitles()).containsExactly(new MediaProbe.SubtitleStream(2, "hdmv_pgs_subtitle", "fre", null,
                true, false));
    }

    @Test
    void refusesWhatIsNotJson() {
        assertThatThrownBy(() -> Prober.parse("ffprobe: oops".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(MediaException.class);
    }

    @Test
    void findsTheConfiguredBinaryOrSaysWhyNot(@TempDir Path dir) throws Exception {
        Path notExecutable = Files.writeString(dir.resolve("ffmpeg"), "#!/bin/sh\n");
        assertThatThrownBy(() -> new FfmpegBinaries(new MediaProperties(notExecutable.toString(), null, null, null,
                null, null, null, null, null)).ffmpeg()).isInstanceOf(MediaException.class)
                .hasMessageContaining("not an executable");
        Path debian = Path.of("/usr/bin/ffprobe");
        if (Files.isExecutable(debian)) {
            assertThat(new FfmpegBinaries(new MediaProperties(null, debian.toString(), null, null, null, null, null,
                    null, null)).ffprobe()).isEqualTo(debian);
        }
    }
}
