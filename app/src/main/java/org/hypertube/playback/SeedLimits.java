package org.hypertube.playback;

import java.time.Clock;
import java.time.Duration;
import org.hypertube.torrent.Torrent;

/** The operator's seeding limits: how long after completion, and up to which upload ratio, a finished film seeds. */
final class SeedLimits {

    private final PlaybackProperties properties;
    private final Clock clock;

    SeedLimits(PlaybackProperties properties, Clock clock) {
        this.properties = properties;
        this.clock = clock;
    }

    boolean withinSeedTime(Download d) {
        return properties.seedRatio() > 0 && (d.getCompletedAt() == null
                || Duration.between(d.getCompletedAt(), clock.instant()).compareTo(properties.seedTime()) < 0);
    }

    boolean withinSeedLimits(Download d, Torrent t) {
        return withinSeedTime(d) && ratio(t) < properties.seedRatio();
    }

    static double ratio(Torrent t) {
        long size = t.info().map(i -> i.totalLength()).orElse(0L);
        return size == 0 ? 0 : (double) t.uploadedBytes() / size;
    }
}
