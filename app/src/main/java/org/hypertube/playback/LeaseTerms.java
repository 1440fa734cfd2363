package org.hypertube.playback;

import java.time.Duration;
import java.time.Instant;

/**
 * The rules of download leases, apart from where they are stored: a lease lasts {@code length}
 * (HYPERTUBE_LEASE, 15 s) and its owner renews it every third of that, so two missed renewals still
 * keep it. A lease may be taken when there is none, when it is the taker's own, or once it has expired:
 * never from a live owner.
 */
record LeaseTerms(Duration length) {

    LeaseTerms {
        if (length == null || length.compareTo(Duration.ofSeconds(3)) < 0) {
            throw new IllegalArgumentException("HYPERTUBE_LEASE must be at least 3 s, was " + length);
        }
    }

    Duration renewEvery() {
        return length.dividedBy(3);
    }

    Instant expiry(Instant now) {
        return now.plus(length);
    }

    boolean mayTake(Lease current, String me, Instant now) {
        return current == null || current.owner().equals(me) || !current.liveAt(now);
    }

    /** Whether a reader waiting for a dead owner has waited long enough to give up: two leases. */
    Duration patience() {
        return length.multipliedBy(2);
    }
}
