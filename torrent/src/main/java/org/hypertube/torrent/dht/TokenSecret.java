package org.hypertube.torrent.dht;

import java.net.InetAddress;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * The tokens we hand out in {@code get_peers} responses and check on {@code announce_peer} (BEP 5):
 * SHA-1 over a secret, the requester's IP and the info-hash, cut to 8 bytes. The secret changes
 * every 5 minutes and the one before stays valid, so a token lives 5 to 10 minutes. Binding the
 * info-hash too means a token cannot be replayed for another torrent (bittorrent.org issue #47).
 */
final class TokenSecret {
    static final Duration ROTATION = Duration.ofMinutes(5);
    static final int LENGTH = 8;

    private final Clock clock;
    private final RandomGenerator random;
    private byte[] current;
    private byte[] previous;
    private Instant rotated;

    TokenSecret(Clock clock, RandomGenerator random) {
        this.clock = clock;
        this.random = random;
        this.current = fresh();
        this.previous = fresh();
        this.rotated = clock.instant();
    }

    synchronized Token tokenFor(InetAddress requester, NodeId infoHash) {
        rotate();
        return token(current, requester, infoHash);
    }

    synchronized boolean isValid(Token token, InetAddress requester, NodeId infoHash) {
        rotate();
        return token.equals(token(current, requester, infoHash)) || token.equals(token(previous, requester, infoHash));
    }

    private void rotate() {
        Instant now = clock.instant();
        long periods = Duration.between(rotated, now).dividedBy(ROTATION);
        if (periods <= 0) {
            return;
        }
        // After two periods or more of silence, neither old secret may still count.
        previous = periods == 1 ? current : fresh();
        current = fresh();
        rotated = rotated.plus(ROTATION.multipliedBy(periods));
    }

    private byte[] fresh() {
        byte[] b = new byte[20];
        random.nextBytes(b);
        return b;
    }

    private static Token token(byte[] secret, InetAddress requester, NodeId infoHash) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            sha1.update(secret);
            sha1.update(requester.getAddress());
            sha1.update(infoHash.bytes());
            return new Token(Arrays.copyOf(sha1.digest(), LENGTH));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError("every JDK has SHA-1", e);
        }
    }
}
