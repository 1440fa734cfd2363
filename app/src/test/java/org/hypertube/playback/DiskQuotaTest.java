package org.hypertube.playback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DiskQuotaTest {

    @Test
    void aPercentageIsAShareOfTheFilmsPlusTheFreeSpace() {
        DiskQuota quota = DiskQuota.parse("80%");
        assertThat(quota.none()).isFalse();
        assertThat(quota.limit(600, 400)).isEqualTo(800);
        assertThat(quota.limit(0, 1000)).isEqualTo(800);
    }

    @Test
    void aSizeIsFixedAndZeroIsNone() {
        assertThat(DiskQuota.parse("500GB").limit(1, 1)).isEqualTo(500L << 30);
        assertThat(DiskQuota.parse("123456").limit(1, 1)).isEqualTo(123456);
        assertThat(DiskQuota.parse("0").none()).isTrue();
        assertThat(DiskQuota.parse("").none()).isTrue();
    }

    @Test
    void nonsenseStopsTheStart() {
        assertThatThrownBy(() -> DiskQuota.parse("120%")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DiskQuota.parse("lots")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PlaybackProperties(null, null, null, null, null, null, null, null, "half", null,
                null, null, null, null, null, null)).isInstanceOf(IllegalArgumentException.class);
        assertThat(new PlaybackProperties(null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null)
                .quota()).isEqualTo(DiskQuota.parse("80%"));
    }
}
