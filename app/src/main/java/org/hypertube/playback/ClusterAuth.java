package org.hypertube.playback;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.stereotype.Component;

/**
 * Requests between instances: {@code X-Hypertube-Cluster: <unix seconds>.<HMAC-SHA256 of time, method and
 * path with query>} under HYPERTUBE_CLUSTER_SECRET. The secret never travels, a signature is good for
 * one path for {@link #WINDOW} either side of its time, and it is compared in constant time.
 */
@Component
class ClusterAuth {

    static final String HEADER = "X-Hypertube-Cluster";
    static final Duration WINDOW = Duration.ofSeconds(60);

    private final byte[] secret;
    private final Clock clock;

    ClusterAuth(LeaseProperties properties, Clock clock) {
        this.secret = properties.secret().getBytes(StandardCharsets.UTF_8);
        this.clock = clock;
    }

    String sign(String method, String pathAndQuery) {
        long now = clock.instant().getEpochSecond();
        return now + "." + mac(now, method, pathAndQuery);
    }

    boolean verify(String method, String pathAndQuery, String header) {
        if (secret.length < LeaseProperties.MIN_SECRET || header == null || header.length() > 100) {
            return false;
        }
        int dot = header.indexOf('.');
        long at;
        try {
            at = Long.parseLong(header.substring(0, Math.max(0, dot)));
        } catch (NumberFormatException e) {
            return false;
        }
        if (Math.abs(clock.instant().getEpochSecond() - at) > WINDOW.toSeconds()) {
            return false;
        }
        byte[] expected = mac(at, method, pathAndQuery).getBytes(StandardCharsets.US_ASCII);
        byte[] given = header.substring(dot + 1).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, given);
    }

    private String mac(long at, String method, String pathAndQuery) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.length == 0 ? new byte[1] : secret, "HmacSHA256"));
            byte[] out = mac.doFinal((at + "\n" + method + "\n" + pathAndQuery).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
