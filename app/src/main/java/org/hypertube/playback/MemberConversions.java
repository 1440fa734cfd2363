package org.hypertube.playback;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * How many films one member watches converted at once: a film counts while the member asked its converted
 * stream for anything in the last {@link #WINDOW} (a playing hls.js asks every few seconds, a paused one
 * stops). At most {@link #LIMIT} films, so one member cannot hold every conversion slot by opening films
 * in tabs. Counted on each instance (with several, a member spread over N instances gets up to N times).
 */
@Component
class MemberConversions {

    static final int LIMIT = 2;
    static final Duration WINDOW = Duration.ofSeconds(60);

    private record Key(long memberId, long filmId) {}

    private final Map<Key, Instant> lastAsked = new ConcurrentHashMap<>();
    private final Clock clock;

    MemberConversions(Clock clock) {
        this.clock = clock;
    }

    /** Whether the member may watch this film converted now: it is one of theirs already, or they hold fewer than the limit. */
    synchronized boolean allows(long memberId, long filmId) {
        Instant since = clock.instant().minus(WINDOW);
        lastAsked.values().removeIf(at -> at.isBefore(since));
        return lastAsked.containsKey(new Key(memberId, filmId))
                || lastAsked.keySet().stream().filter(k -> k.memberId() == memberId).count() < LIMIT;
    }

    /** The member asks this film's converted stream for something now: counted, or refused beyond the limit. */
    synchronized void admit(long memberId, long filmId) throws Refused {
        if (!allows(memberId, filmId)) {
            throw new Refused("member " + memberId + " already watches " + LIMIT + " other films converted");
        }
        lastAsked.put(new Key(memberId, filmId), clock.instant());
    }

    /** A member beyond the limit asked for another film's converted stream. */
    static final class Refused extends RuntimeException {
        Refused(String message) {
            super(message, null, false, false);
        }
    }
}
