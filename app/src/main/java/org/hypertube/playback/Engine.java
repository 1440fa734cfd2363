package org.hypertube.playback;

import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Consumer;
import org.hypertube.system.HypertubeProperties;
import org.hypertube.system.OutsideFetch;
import org.hypertube.torrent.EngineStats;
import org.hypertube.torrent.OutsideAddressPolicy;
import org.hypertube.torrent.Torrent;
import org.hypertube.torrent.TorrentClient;
import org.hypertube.torrent.TorrentEvent;
import org.hypertube.torrent.InfoHash;
import org.hypertube.torrent.Magnet;
import org.hypertube.torrent.Metainfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Our BitTorrent engine inside the application: one {@link TorrentClient} for all downloads, with
 * each torrent's files in {@code <data>/media/<info-hash>/}. Started lazily, so a server that never
 * plays anything opens no port.
 */
@Component
class Engine {

    private static final Logger log = LoggerFactory.getLogger(Engine.class);

    private final Path mediaDir;
    private final PlaybackProperties properties;
    private final OutsideAddressPolicy addressPolicy;
    private final Clock clock;
    private volatile Consumer<TorrentEvent> listener = e -> { };
    private TorrentClient client;

    Engine(HypertubeProperties hypertube, PlaybackProperties properties, OutsideFetch outside, Clock clock) {
        this.mediaDir = hypertube.dataDir().resolve("media").normalize();
        this.properties = properties;
        this.addressPolicy = outside.policy();
        this.clock = clock;
    }

    Path mediaDir() {
        return mediaDir;
    }

    /** The folder holding one torrent's files; the info-hash is validated, so the path stays in the media folder. */
    Path folder(InfoHash hash) {
        Path folder = mediaDir.resolve(hash.hex()).normalize();
        if (!folder.startsWith(mediaDir)) {
            throw new IllegalStateException("torrent folder outside the media folder: " + folder);
        }
        return folder;
    }

    void onEvent(Consumer<TorrentEvent> listener) {
        this.listener = listener;
    }

    synchronized TorrentClient client() {
        if (client == null) {
            try {
                Files.createDirectories(mediaDir);
                TorrentClient.Builder builder = TorrentClient.builder()
                        .downloadDirectory(mediaDir)
                        .folderPerTorrent(true)
                        .bindAddress(InetAddress.getByName(properties.bindAddress()))
                        .port(properties.torrentPort())
                        .downloadRateLimit(properties.downloadRateLimit())
                        .uploadRateLimit(properties.uploadRateLimit())
                        .addressPolicy(addressPolicy)
                        .clock(clock)
                        .listener(event -> listener.accept(event));
                if (properties.dht()) {
                    builder.dht(properties.dhtPort(), properties.dhtBootstrapNodes());
                }
                client = builder.build();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start the torrent engine on port " + properties.torrentPort(), e);
            }
            log.info("torrent engine listening on {}:{}, media in {}", properties.bindAddress(), client.port(), mediaDir);
        }
        return client;
    }

    synchronized boolean started() {
        return client != null;
    }

    boolean dhtEnabled() {
        return properties.dht();
    }

    /** The DHT's routing-table size; empty while the engine has not started (it starts with the first download) or the DHT is off. */
    synchronized OptionalInt dhtNodes() {
        return client == null ? OptionalInt.empty() : client.dhtNodes();
    }

    /** The engine's numbers for the operator's metrics; all zero while the engine has not started (nothing starts it here). */
    synchronized EngineStats stats() {
        return client == null ? EngineStats.idle() : client.stats();
    }

    Torrent add(String uri, Optional<Metainfo> metainfo) {
        return metainfo.map(m -> client().add(m)).orElseGet(() -> client().add(Magnet.parse(uri)));
    }

    Optional<Torrent> torrent(String infoHash) {
        if (!started()) {
            return Optional.empty();
        }
        return client().torrent(InfoHash.parse(infoHash));
    }

    List<Torrent> torrents() {
        return started() ? client().torrents() : List.of();
    }

    void remove(String infoHash, boolean deleteFiles) {
        InfoHash hash = InfoHash.parse(infoHash);
        if (started()) {
            client().remove(hash, deleteFiles);
        }
        if (deleteFiles) {
            deleteTree(folder(hash));
        }
    }

    private static void deleteTree(Path folder) {
        if (!Files.exists(folder)) {
            return;
        }
        try (var paths = Files.walk(folder)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            log.warn("could not delete {} entirely: {}", folder, e.getMessage());
        }
    }

    @PreDestroy
    synchronized void stop() {
        if (client != null) {
            client.close();
            client = null;
        }
    }
}
