package org.hypertube.torrent;

/**
 * Bytes per second over a sliding window of one-second buckets. Guarded by its owner's lock.
 *
 * <p>Each bucket remembers which second it counts; a bucket holding an older second is reset when
 * next used. That is done without a branch: {@link #add} runs for every block, and a rollover
 * branch first taken a second into a download (its profile had never seen it) trapped the compiled
 * code of every method it was inlined in and made the JIT compile them all again.
 */
final class RateMeter {
    private static final int SECONDS = 5;
    private final long[] buckets = new long[SECONDS];
    /** The second each bucket counts; Long.MIN_VALUE before first use. */
    private final long[] seconds = new long[SECONDS];
    private long total;

    /** Time of the first byte (Long.MAX_VALUE before), kept with min() rather than a branch. */
    private long firstMillis = Long.MAX_VALUE;

    RateMeter() {
        java.util.Arrays.fill(seconds, Long.MIN_VALUE);
    }

    void add(long bytes, long nowMillis) {
        firstMillis = Math.min(firstMillis, nowMillis);
        long second = Math.floorDiv(nowMillis, 1000);
        int i = (int) Math.floorMod(second, SECONDS);
        long diff = seconds[i] ^ second;
        long stale = (diff | -diff) >> 63; // all ones when the bucket counts another second, else 0
        buckets[i] = (buckets[i] & ~stale) + bytes;
        seconds[i] = second;
        total += bytes;
    }

    long rate(long nowMillis) {
        long second = Math.floorDiv(nowMillis, 1000);
        long sum = 0;
        for (int i = 0; i < SECONDS; i++) {
            long age = second - seconds[i];
            sum += buckets[i] & (((age - SECONDS) & ~age) >> 63); // counted when 0 <= age < SECONDS
        }
        if (sum == 0) {
            return 0;
        }
        // Over the full window once it has filled; before that, over the time since the first byte,
        // so a new transfer's rate is not underestimated (which would starve its pipeline at start).
        long elapsed = nowMillis - firstMillis;
        double window = Math.max(1.0, Math.min(SECONDS, elapsed / 1000.0));
        return (long) (sum / window);
    }

    long total() {
        return total;
    }
}
