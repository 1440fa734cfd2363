package org.hypertube.torrent.dht;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Random;
import org.hypertube.torrent.testing.ManualClock;
import org.junit.jupiter.api.Test;

class TokenSecretTest {
    private final ManualClock clock = new ManualClock();
    private final TokenSecret secret = new TokenSecret(clock, new Random(3));
    private final NodeId hash = NodeId.ofHex("0123456789abcdef0123456789abcdef01234567");
    private final NodeId otherHash = NodeId.ofHex("1123456789abcdef0123456789abcdef01234567");

    @Test
    void aTokenIsValidForItsRequestersIpAndTorrentOnly() throws Exception {
        InetAddress a = InetAddress.getByName("203.0.113.5");
        Token t = secret.tokenFor(a, hash);
        assertThat(t.bytes()).hasSize(TokenSecret.LENGTH);
        assertThat(secret.tokenFor(a, hash)).isEqualTo(t);
        assertThat(secret.isValid(t, a, hash)).isTrue();
        assertThat(secret.isValid(t, InetAddress.getByName("203.0.113.6"), hash)).isFalse();
        assertThat(secret.isValid(t, a, otherHash)).isFalse();
        assertThat(secret.isValid(new Token(new byte[] {1, 2, 3, 4}), a, hash)).isFalse();
        InetAddress v6 = InetAddress.getByName("2001:db8::5");
        assertThat(secret.isValid(secret.tokenFor(v6, hash), v6, hash)).isTrue();
    }

    @Test
    void aTokenOutlivesOneRotationButNotTwo() throws Exception {
        InetAddress a = InetAddress.getByName("203.0.113.5");
        Token t = secret.tokenFor(a, hash);
        clock.advance(Duration.ofMinutes(4).plusSeconds(59));
        assertThat(secret.isValid(t, a, hash)).isTrue();
        clock.advance(Duration.ofSeconds(1)); // rotated: the previous secret still counts
        assertThat(secret.isValid(t, a, hash)).isTrue();
        assertThat(secret.tokenFor(a, hash)).isNotEqualTo(t);
        clock.advance(Duration.ofMinutes(5)); // rotated twice
        assertThat(secret.isValid(t, a, hash)).isFalse();
    }

    @Test
    void afterALongSilenceNoOldTokenCounts() throws Exception {
        InetAddress a = InetAddress.getByName("203.0.113.5");
        Token t = secret.tokenFor(a, hash);
        clock.advance(Duration.ofMinutes(7)); // one rotation at 5 min: still valid
        assertThat(secret.isValid(t, a, hash)).isTrue();
        Token u = secret.tokenFor(a, hash);
        clock.advance(Duration.ofMinutes(13)); // two more rotations passed unseen (at 10 and 15 min)
        assertThat(secret.isValid(u, a, hash)).isFalse();
        assertThat(secret.isValid(t, a, hash)).isFalse();
        Token v = secret.tokenFor(a, hash);
        clock.advance(Duration.ofMinutes(2)); // 22 min: the period that began at 20 min
        assertThat(secret.isValid(v, a, hash)).isTrue();
    }
}
