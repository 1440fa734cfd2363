package org.hypertube.playback;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import org.hypertube.playback.media.Delivery;
import org.hypertube.playback.media.Transcoder;
import org.hypertube.torrent.EngineStats;
import org.hypertube.torrent.TorrentState;
import org.springframework.stereotype.Component;

/**
 * The engine's and playback's numbers in {@code /actuator/prometheus} (docs/OPERATIONS.md lists them).
 * Every value is read when scraped; none starts the engine.
 */
@Component
class PlaybackMetrics implements MeterBinder {

    private final Engine engine;
    private final Transcoder transcoder;
    private final Viewers viewers;

    PlaybackMetrics(Engine engine, Transcoder transcoder, Viewers viewers) {
        this.engine = engine;
        this.transcoder = transcoder;
        this.viewers = viewers;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (TorrentState state : TorrentState.values()) {
            engineGauge("hypertube.torrents", "Torrents in the engine, by state",
                    s -> s.torrentsByState().getOrDefault(state, 0)).tag("state", state.name().toLowerCase(Locale.ROOT))
                    .register(registry);
        }
        engineGauge("hypertube.torrent.peers", "Open peer connections, all torrents", EngineStats::peerConnections)
                .register(registry);
        engineGauge("hypertube.dht.nodes", "Nodes in the DHT routing table (0 while off or not started)",
                s -> s.dhtNodes().orElse(0)).register(registry);
        engineCounter("hypertube.torrent.downloaded", "Payload bytes received from peers and web seeds",
                s -> s.totals().downloadedBytes()).baseUnit("bytes").register(registry);
        engineCounter("hypertube.torrent.uploaded", "Payload bytes sent to peers",
                s -> s.totals().uploadedBytes()).baseUnit("bytes").register(registry);
        engineCounter("hypertube.torrent.hash.failures", "Pieces that failed their hash check",
                s -> s.totals().hashFailures()).register(registry);
        engineCounter("hypertube.torrent.banned.peers", "Peers banned for sending corrupt data",
                s -> s.totals().bannedPeers()).register(registry);

        Gauge.builder("hypertube.viewers", viewers, Viewers::now)
                .description("Members who asked for part of a film in the last " + Viewers.WINDOW.toMinutes() + " minutes")
                .register(registry);
        Gauge.builder("hypertube.conversions", transcoder, t -> t.load().running()).tag("state", "running")
                .description("ffmpeg processes (transcodes and remuxes) running or waiting for a slot; viewers of one variant share one").register(registry);
        Gauge.builder("hypertube.conversions", transcoder, t -> t.load().queued()).tag("state", "queued")
                .description("ffmpeg processes (transcodes and remuxes) running or waiting for a slot; viewers of one variant share one").register(registry);
        java.util.Map<Delivery, Timer> firstSegment = new java.util.EnumMap<>(Delivery.class);
        for (Delivery mode : new Delivery[] {Delivery.REMUX, Delivery.TRANSCODE}) {
            firstSegment.put(mode, Timer.builder("hypertube.conversion.first.segment")
                    .description("From a conversion's first request to its first segment served")
                    .tag("mode", mode.name().toLowerCase(Locale.ROOT)).register(registry));
        }
        transcoder.onFirstSegment((mode, time) -> firstSegment.get(mode).record(time));
    }

    private Gauge.Builder<Engine> engineGauge(String name, String description,
                                              ToDoubleFunction<EngineStats> value) {
        return Gauge.builder(name, engine, e -> value.applyAsDouble(e.stats())).description(description);
    }

    private FunctionCounter.Builder<Engine> engineCounter(String name, String description,
                                                         ToDoubleFunction<EngineStats> value) {
        return FunctionCounter.builder(name, engine, e -> value.applyAsDouble(e.stats())).description(description);
    }
}
