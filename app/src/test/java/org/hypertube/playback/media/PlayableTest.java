package org.hypertube.playback.media;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PlayableTest {

    @Test
    void keepsOnlyKnownAnswers() {
        Playable p = Playable.parse(" mp4.avc1,mkv.hevc  mse.aac mp4.wmv exe.avc1 mp4. .aac mp4.avc1.x <script> ");
        assertThat(p.answers()).containsExactlyInAnyOrder("mp4.avc1", "mkv.hevc", "mse.aac");
        assertThat(p.plays("mkv", "hevc")).isTrue();
        assertThat(p.plays("mp4", "hevc")).isFalse();
        assertThat(p.plays("mp4", null)).isFalse();
    }

    @Test
    void noAnswerMeansTheAnswersEveryBrowserGives() {
        assertThat(Playable.parse(null)).isEqualTo(Playable.DEFAULT);
        assertThat(Playable.parse("")).isEqualTo(Playable.DEFAULT);
        assertThat(Playable.parse("   ")).isEqualTo(Playable.DEFAULT);
        assertThat(Playable.parse("nothing.known here")).isEqualTo(Playable.DEFAULT);
    }

    @Test
    void anOversizedTextIsNotRead() {
        String huge = "mkv.hevc ".repeat(Playable.MAX_LENGTH / 9 + 1);
        assertThat(huge.length()).isGreaterThan(Playable.MAX_LENGTH);
        assertThat(Playable.parse(huge)).isEqualTo(Playable.DEFAULT);
        String justFits = "mkv.hevc " + "x".repeat(Playable.MAX_LENGTH - 9);
        assertThat(Playable.parse(justFits).answers()).containsExactly("mkv.hevc");
    }
}
