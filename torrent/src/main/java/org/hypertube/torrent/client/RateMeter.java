package org.hypertube.torrent.client;

/** Bytes per second over a sliding window of one-second buckets. Guarded by its owner's lock. */
final class RateMeter {
    private static final int SECONDS = 5;
    private final long[] buckets = new long[SECONDS];
    private long bucketSecond = Long.MIN_VALUE;
    private long total;

    void add(long bytes, long nowMillis) {
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
        // The current second is partial; averaging over the full window keeps the figure stable.
        return sum / SECONDS;
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
