package org.hypertube.playback.media;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.util.Optional;

/**
 * Jazzer target for our container readers (MP4 moov, Matroska Info and Tracks), which read the headers
 * of films from any torrent. Without JAZZER_FUZZ=1 it runs as a regression test over the corpus in
 * src/test/resources/org/hypertube/playback/media/ContainerHeadersFuzzTestInputs/. Malformed input gives
 * an empty answer; any exception is a bug, and so is a read past the bounds the readers set themselves.
 */
class ContainerHeadersFuzzTest {

    @FuzzTest(maxDuration = "30s")
    void containerHeaders(byte[] input) throws IOException {
        Optional<MediaProbe> probe = ContainerHeaders.read(new Bytes(input));
        probe.ifPresent(p -> {
            assertThat(p.duration()).isPositive().isFinite();
            assertThat(p.video().size() + p.audio().size() + p.subtitles().size()).isLessThanOrEqualTo(64);
            try {
                Decision.decide(p, -1, Quality.DEFAULT);
            } catch (MediaException expected) {
                // no video
            }
        });
    }

    /** A film held in memory, each read bounded as the real sources bound theirs. */
    private record Bytes(byte[] data) implements ByteSource {
        @Override
        public long size() {
            return data.length;
        }

        @Override
        public byte[] read(long offset, int length) {
            assertThat(length).as("one read").isLessThanOrEqualTo(Mp4Header.MAX_MOOV);
            int from = (int) Math.min(data.length, Math.max(0, offset));
            int to = (int) Math.min(data.length, (long) from + length);
            return java.util.Arrays.copyOfRange(data, from, to);
        }

        @Override
        public void close() {
        }
    }

}
