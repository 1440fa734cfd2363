package org.hypertube.torrent;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DhtPeerSourceTest {
    @Test
    void aDownloadThatFoundNobodyLooksAgainAfterTenThirtyThenSixtySeconds() {
        assertThat(DhtPeerSource.nextWait(false, 1)).isEqualTo(Duration.ofSeconds(10));
        assertThat(DhtPeerSource.nextWait(false, 2)).isEqualTo(Duration.ofSeconds(30));
        assertThat(DhtPeerSource.nextWait(false, 3)).isEqualTo(Duration.ofMinutes(1));
        assertThat(DhtPeerSource.nextWait(false, 40)).isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void onceItFindsPeersItLooksEveryFifteenMinutesAndASeedEveryThirty() {
        assertThat(DhtPeerSource.nextWait(false, 0)).isEqualTo(Duration.ofMinutes(15));
        assertThat(DhtPeerSource.nextWait(true, 0)).isEqualTo(Duration.ofMinutes(30));
        assertThat(DhtPeerSource.nextWait(true, 5)).isEqualTo(Duration.ofMinutes(30));
    }
}
