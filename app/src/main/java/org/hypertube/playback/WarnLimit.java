package org.hypertube.playback;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** At most one log line per period for an event an outsider can repeat at will (a refused cluster request). */
final class WarnLimit {

    private final long periodNanos;
    private final AtomicLong next = new AtomicLong(Long.MIN_VALUE);

    WarnLimit(Duration period) {
        this.periodNanos = period.toNanos();
    }

    void warn(Runnable log) {
        long now = System.nanoTime();
        long due = next.get();
        if ((due == Long.MIN_VALUE || now - due >= 0) && next.compareAndSet(due, now + periodNanos)) {
            log.run();
        }
    }
}
