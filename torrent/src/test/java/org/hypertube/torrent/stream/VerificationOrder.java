package org.hypertube.torrent.stream;

import java.util.BitSet;
import java.util.function.IntPredicate;
import org.hypertube.torrent.Torrent;

/**
 * Watches a torrent's verified pieces every few milliseconds and remembers, for each piece, the
 * round in which it was first seen verified: the order of verification, without relying on how
 * fast anything is.
 */
final class VerificationOrder implements AutoCloseable {
    private final Torrent torrent;
    private final int[] firstSeen;
    private volatile int round;
    private volatile boolean stop;
    private final Thread thread;

    VerificationOrder(Torrent torrent, int pieces) {
        this.torrent = torrent;
        this.firstSeen = new int[pieces];
        java.util.Arrays.fill(firstSeen, Integer.MAX_VALUE);
        this.thread = Thread.ofPlatform().daemon().name("verification-order").start(this::run);
    }

    private void run() {
        while (!stop) {
            poll();
            try {
                Thread.sleep(3);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private synchronized void poll() {
        int r = ++round;
        BitSet have = torrent.verifiedPieces();
        for (int i = have.nextSetBit(0); i >= 0 && i < firstSeen.length; i = have.nextSetBit(i + 1)) {
            if (firstSeen[i] == Integer.MAX_VALUE) {
                firstSeen[i] = r;
            }
        }
    }

    /** The current round, after a fresh look: pieces seen from now on were verified after this call. */
    synchronized int mark() {
        poll();
        return round;
    }

    /** Round in which {@code piece} was first seen verified (after a fresh look), MAX_VALUE if not yet. */
    synchronized int seen(int piece) {
        poll();
        return firstSeen[piece];
    }

    /** Pieces matching {@code which}, first seen after round {@code after} and strictly before round {@code before}. */
    synchronized int countBetween(IntPredicate which, int after, int before) {
        int n = 0;
        for (int i = 0; i < firstSeen.length; i++) {
            if (which.test(i) && firstSeen[i] > after && firstSeen[i] < before) {
                n++;
            }
        }
        return n;
    }

    @Override
    public void close() throws InterruptedException {
        stop = true;
        thread.join(1000);
    }
}
