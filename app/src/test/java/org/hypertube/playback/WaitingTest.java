package org.hypertube.playback;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.channels.SeekableByteChannel;
import org.junit.jupiter.api.Test;

/** What the status says the server waits for, and the wait it estimates, from the bytes that are here. */
class WaitingTest {

    static final long MB = 1L << 20;

    /** A 100 MB film of which the first {@code head} bytes and the last {@code tail} bytes are verified. */
    record Partly(long head, long tail) implements MediaFile {
        @Override
        public String infoHash() {
            return "0".repeat(40);
        }

        @Override
        public String name() {
            return "film.mp4";
        }

        @Override
        public long length() {
            return 100 * MB;
        }

        @Override
        public SeekableByteChannel open() {
            throw new UnsupportedOperationException();
        }

        @Override
        public long readableFrom(long offset) {
            if (offset < head) {
                return head - offset;
            }
            return offset >= length() - tail ? length() - offset : 0;
        }
    }

    @Test
    void theBeginningWithItsFiguresAndAnEstimateOnceDataFlows() {
        Waiting.Wait none = Waiting.forHeaders(new Partly(0, 0), null, 0);
        assertThat(none.step()).isEqualTo(Waiting.Step.HEAD);
        assertThat(none.need()).isEqualTo(2 * MB);
        assertThat(none.seconds()).as("no estimate before data flows").isNull();

        Waiting.Wait half = Waiting.forHeaders(new Partly(MB, 0), null, 256 * 1024);
        assertThat(half.have()).isEqualTo(MB);
        assertThat(half.seconds()).as("1 MB still needed at 256 kB/s").isEqualTo(4);
        assertThat(Waiting.forHeaders(new Partly(MB, 0), null, 0).seconds()).as("no rate, no estimate").isNull();
    }

    @Test
    void theIndexAtTheEndWhenTheReaderWaitsThere() {
        Waiting.Wait index = Waiting.forHeaders(new Partly(2 * MB, MB / 2), new FilmProbes.Reading(99 * MB, 16), 100_000);
        assertThat(index.step()).isEqualTo(Waiting.Step.INDEX);
        assertThat(index.need()).as("from where the reader waits to the end").isEqualTo(MB);
        assertThat(index.have()).as("nothing readable yet from there on").isZero();
        assertThat(index.seconds()).isEqualTo((MB + 100_000 - 1) / 100_000);

        assertThat(Waiting.forHeaders(new Partly(2 * MB, MB), new FilmProbes.Reading(99 * MB, 16), 100_000).step())
                .as("the index is here: only the reading is left").isEqualTo(Waiting.Step.READING);
    }
}
