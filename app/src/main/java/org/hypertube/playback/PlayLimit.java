package org.hypertube.playback;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.springframework.stereotype.Component;

/**
 * How many downloads one member's Plays may start (HYPERTUBE_PLAY_LIMIT per HYPERTUBE_PLAY_WINDOW, 5 an
 * hour by default): each Play that adds a new torrent takes one start, over a sliding window; playing a
 * film already held or already downloading takes none. Administrators are not limited (the caller decides).
 * Kept in memory, so it resets on restart.
 */
@Component
class PlayLimit {

    private final Clock clock;
    private final int limit;
    private final Duration window;
    private final ConcurrentMap<Long, Deque<Instant>> starts = new ConcurrentHashMap<>();

    @org.springframework.beans.factory.annotation.Autowired
    PlayLimit(Clock clock, PlaybackProperties properties) {
        this(clock, properties.playLimit(), properties.playWindow());
    }

    PlayLimit(Clock clock, int limit, Duration window) {
        this.clock = clock;
        this.limit = limit;
        this.window = window;
    }

    /**
     * Takes one start for the member: empty when granted, else when the oldest start in the window
     * leaves it (the member may try again then). A limit of 0 means no limit.
     */
    Optional<Instant> acquire(long memberId) {
        if (limit <= 0) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        Instant[] retryAt = new Instant[1];
        starts.compute(memberId, (k, mine) -> {
            Deque<Instant> d = mine == null ? new ArrayDeque<>() : mine;
            dropExpired(d, now);
            if (d.size() >= limit) {
                retryAt[0] = d.peekFirst().plus(window);
            } else {
                d.addLast(now);
            }
            return d;
        });
        return Optional.ofNullable(retryAt[0]);
    }

    /** Gives back the member's latest start: the Play it was taken for added no torrent after all. */
    void release(long memberId) {
        starts.computeIfPresent(memberId, (k, d) -> {
            d.pollLast();
            return d.isEmpty() ? null : d;
        });
    }

    /** Forgets members with no start in the window, so the map stays as small as the active members. */
    @org.springframework.scheduling.annotation.Scheduled(fixedDelayString = "PT10M", initialDelayString = "PT10M")
    void prune() {
        Instant now = clock.instant();
        for (Long member : starts.keySet()) {
            starts.computeIfPresent(member, (k, d) -> {
                dropExpired(d, now);
                return d.isEmpty() ? null : d;
            });
        }
    }

    private void dropExpired(Deque<Instant> d, Instant now) {
        while (!d.isEmpty() && !d.peekFirst().plus(window).isAfter(now)) {
            d.pollFirst();
        }
    }
}
