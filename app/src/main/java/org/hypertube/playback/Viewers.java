package org.hypertube.playback;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * Who is watching now, for the operator's metrics: a viewer is a member reading a film (a range of the
 * file or an HLS request) within the last {@link #WINDOW}. A player that buffered far ahead asks
 * nothing for a while, hence a window of minutes rather than seconds. One entry per member and film,
 * and entries older than the window are dropped, so the map stays as small as the audience.
 */
@Component
class Viewers {

    static final Duration WINDOW = Duration.ofMinutes(2);

    private record Viewer(long memberId, long filmId) {}

    private final Map<Viewer, Instant> lastRequest = new ConcurrentHashMap<>();
    private final Clock clock;

    Viewers(Clock clock) {
        this.clock = clock;
    }

    /** A member asked for part of a film just now. */
    void seen(long memberId, long filmId) {
        lastRequest.put(new Viewer(memberId, filmId), clock.instant());
    }

    /** Members watching a film now (one member on two films counts twice). */
    int now() {
        Instant since = clock.instant().minus(WINDOW);
        lastRequest.values().removeIf(at -> at.isBefore(since));
        return lastRequest.size();
    }
}
