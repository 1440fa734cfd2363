package org.hypertube.torrent;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RateMeterTest {
    @Test
    void aNewTransferIsMeasuredOverTheTimeSinceItsFirstByte() {
        RateMeter m = new RateMeter();
        m.add(500_000, 10_000);
        m.add(500_000, 11_500);
        // 1 MB in 1.5 s: not divided by the whole 5 s window.
        assertThat(m.rate(11_500)).isEqualTo(666_666);
        assertThat(m.total()).isEqualTo(1_000_000);
    }

    @Test
    void onlyTheLastFiveSecondsCountAndABucketIsReusedForItsNewSecond() {
        RateMeter m = new RateMeter();
        for (long t = 0; t < 10_000; t += 100) {
            m.add(10_000, t); // 100 kB/s for 10 s
        }
        assertThat(m.rate(9_999)).isEqualTo(100_000);
        // Nothing more: seconds 5..9 fall out of the window one by one.
        assertThat(m.rate(12_000)).isEqualTo(40_000); // seconds 8 and 9 remain (200 kB over 5 s)
        assertThat(m.rate(14_999)).isZero();
        m.add(50_000, 15_000); // second 15 reuses the bucket of second 10, 5 and 0
        assertThat(m.rate(15_000)).isEqualTo(10_000);
        assertThat(m.total()).isEqualTo(1_050_000);
    }
}
