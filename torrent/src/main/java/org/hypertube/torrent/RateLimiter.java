package org.hypertube.torrent;

/**
 * A token bucket shared by all connections of a client. Zero means unlimited. Blocking the reading
 * or writing thread is how the limit reaches the peer: TCP flow control does the rest.
 */
final class RateLimiter {
    private final long bytesPerSecond;
    private double tokens;
    private long last = System.nanoTime();

    RateLimiter(long bytesPerSecond) {
        this.bytesPerSecond = bytesPerSecond;
        this.tokens = bytesPerSecond;
    }

    void acquire(int bytes) throws InterruptedException {
        if (bytesPerSecond <= 0) {
            return;
        }
        long waitNanos;
        synchronized (this) {
            long now = System.nanoTime();
            tokens = Math.min(bytesPerSecond, tokens + (now - last) * bytesPerSecond / 1e9);
            last = now;
            tokens -= bytes;
            waitNanos = tokens >= 0 ? 0 : (long) (-tokens * 1e9 / bytesPerSecond);
        }
        if (waitNanos > 0) {
            Thread.sleep(waitNanos / 1_000_000, (int) (waitNanos % 1_000_000));
        }
    }
}
