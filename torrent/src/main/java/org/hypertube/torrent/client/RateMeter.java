package org.hypertube.torrent.client;

/** Bytes per second over a sliding window of one-second buckets. Guarded by its owner's lock. */
final class RateMeter {
    private static final int SECONDS = 5;
    private final long[] buckets = new long[SECONDS];
    private long bucketSecond = Long.MIN_VALUE;
    private long total;

    private long firstMillis = Long.MIN_VALUE;

    void add(long bytes, long nowMillis) {
        if (firstMillis == Long.MIN_VALUE) {
            firstMillis = nowMillis;
        }
        roll(nowMillis);
        buckets[(int) Math.floorMod(bucketSecond, SECONDS)] += bytes;
        total += bytes;
    }

    long rate(long nowMillis) {
        roll(nowMillis);
        long sum = 0;
        for (long b : buckets) {
            sum += b;
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

    private void roll(long nowMillis) {
        long second = Math.floorDiv(nowMillis, 1000);
        if (bucketSecond == Long.MIN_VALUE) {
            bucketSecond = second;
            return;
        }
        long steps = Math.min(second - bucketSecond, SECONDS);
        for (long s = 1; s <= steps; s++) {
            buckets[(int) Math.floorMod(bucketSecond + s, SECONDS)] = 0;
        }
        if (second > bucketSecond) {
            bucketSecond = second;
        }
    }
}
