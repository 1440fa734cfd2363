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
 * stops), or their Play started its first ffmpeg ahead of the player; the statuses a paused page's stream
 * pushes do not count. Films, not variants: a request for another variant of the film stops the member's
 * ffmpeg of the one before ({@link ConversionAccess#hls}). At most {@link #LIMIT} films, so one member cannot hold every conversion slot by opening films
 * in tabs. A film nobody asked for {@link #IDLE} gives its place to a new one: a person who leaves one
 * film for another is not held up by it (a playing hls.js asks at least once a segment, at most 10 s).
 * Counted on each instance (with several, a member spread over N instances gets up to N times).
 */
@Component
class MemberConversions {

    static final int LIMIT = 2;
    static final Duration WINDOW = Duration.ofSeconds(60);
    static final Duration IDLE = Duration.ofSeconds(15);

    private record Key(long memberId, long filmId) {}

    private final Map<Key, Instant> lastAsked = new ConcurrentHashMap<>();
    private final Clock clock;

    MemberConversions(Clock clock) {
        this.clock = clock;
    }

    /**
     * Whether the member may watch this film converted now: it is one of theirs already, they hold fewer than
     * the limit, or the one they asked for least recently has been idle for {@link #IDLE} (it then gives its place).
     */
    synchronized boolean makeRoom(long memberId, long filmId) {
        Instant now = clock.instant();
        Instant since = now.minus(WINDOW);
        lastAsked.values().removeIf(at -> at.isBefore(since));
        if (lastAsked.containsKey(new Key(memberId, filmId))) {
            return true;
        }
        var theirs = lastAsked.entrySet().stream().filter(e -> e.getKey().memberId() == memberId).toList();
        if (theirs.size() < LIMIT) {
            return true;
        }
        var oldest = theirs.stream().min(Map.Entry.comparingByValue()).orElseThrow();
        if (oldest.getValue().isAfter(now.minus(IDLE))) {
            return false;
        }
        lastAsked.remove(oldest.getKey());
        return true;
    }

    /** The member asks this film's converted stream for something now: counted, or refused beyond the limit. */
    synchronized void admit(long memberId, long filmId) throws Refused {
        if (!makeRoom(memberId, filmId)) {
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
