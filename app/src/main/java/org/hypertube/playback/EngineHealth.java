package org.hypertube.playback;

import java.util.OptionalInt;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * The torrent engine in {@code /actuator/health} (details for administrators): whether it runs, and
 * the DHT's node count. Always up: the engine starts with the first download, and a DHT that knows
 * nobody yet (or is off) leaves the application working, for torrents with trackers.
 */
@Component("torrentEngine")
class EngineHealth implements HealthIndicator {

    private final Engine engine;

    EngineHealth(Engine engine) {
        this.engine = engine;
    }

    @Override
    public Health health() {
        Health.Builder health = Health.up().withDetail("started", engine.started());
        if (!engine.dhtEnabled()) {
            return health.withDetail("dht", "off").build();
        }
        OptionalInt nodes = engine.dhtNodes();
        return (nodes.isPresent() ? health.withDetail("dht", "on").withDetail("dhtNodes", nodes.getAsInt())
                : health.withDetail("dht", "not started")).build();
    }
}
