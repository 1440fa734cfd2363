package org.hypertube.playback;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import org.hypertube.torrent.DhtRouters;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * What the operator sets for downloads and playback (environment variables in README.md).
 *
 * @param torrentPort        the port peers reach us on (0 = any free port)
 * @param bindAddress        the address the engine listens on and dials from
 * @param downloadRateLimit  bytes per second for all torrents together, 0 = unlimited
 * @param uploadRateLimit    bytes per second for all torrents together, 0 = unlimited
 * @param maxActiveDownloads torrents fetching at once; more are queued (a Play jumps the queue)
 * @param seedRatio          a finished torrent seeds until it uploaded this many times its size (0 = not at all)
 * @param seedTime           ... or for this long after completion, whichever comes first
 * @param retention          a film nobody watched for this long is deleted
 * @param diskQuota          what the media folder may hold ({@link DiskQuota}: "80%" of its films plus the free
 *                           space by default, a size, or 0 for none); the least recently watched finished films
 *                           are deleted first when a new download needs room
 * @param sourceTimeout      a candidate torrent with no peer or no metadata after this long is left for the next
 * @param allowLocalWebSeeds web seeds (URLs from torrents) on loopback, private or link-local addresses are
 *                           used too; off by default, since a torrent is outside input (tests and LAN servers)
 * @param dht                our DHT node (BEP 5) finds peers of public torrents without trackers; on by default
 * @param dhtPort            its UDP port; the torrent port unless set (0 = any free port)
 * @param dhtBootstrap       comma-separated {@code HOST:PORT} nodes to join through; the public routers unless set
 * @param playLimit          downloads one member's Plays may start per {@code playWindow} (0 = no limit;
 *                           administrators are never limited)
 * @param playWindow         the sliding window of {@code playLimit}
 */
@ConfigurationProperties("hypertube.playback")
public record PlaybackProperties(Integer torrentPort, String bindAddress, Long downloadRateLimit, Long uploadRateLimit,
                                 Integer maxActiveDownloads, Double seedRatio, Duration seedTime, Duration retention,
                                 String diskQuota, Duration sourceTimeout, Boolean allowLocalWebSeeds, Boolean dht,
                                 Integer dhtPort, String dhtBootstrap, Integer playLimit, Duration playWindow) {

    public PlaybackProperties {
        torrentPort = torrentPort == null ? 6881 : torrentPort;
        bindAddress = bindAddress == null || bindAddress.isBlank() ? "0.0.0.0" : bindAddress;
        downloadRateLimit = downloadRateLimit == null ? 0L : downloadRateLimit;
        uploadRateLimit = uploadRateLimit == null ? 0L : uploadRateLimit;
        maxActiveDownloads = maxActiveDownloads == null ? 4 : Math.max(1, maxActiveDownloads);
        seedRatio = seedRatio == null ? 2.0 : seedRatio;
        seedTime = seedTime == null ? Duration.ofDays(3) : seedTime;
        retention = retention == null ? Duration.ofDays(30) : retention;
        diskQuota = diskQuota == null || diskQuota.isBlank() ? "80%" : diskQuota.strip();
        DiskQuota.parse(diskQuota);   // a wrong value stops the start, not the first Play
        sourceTimeout = sourceTimeout == null ? Duration.ofSeconds(45) : sourceTimeout;
        allowLocalWebSeeds = allowLocalWebSeeds != null && allowLocalWebSeeds;
        dht = dht == null || dht;
        dhtPort = dhtPort == null ? torrentPort : dhtPort;
        dhtBootstrap = dhtBootstrap == null ? "" : dhtBootstrap.strip();
        playLimit = playLimit == null ? 5 : Math.max(0, playLimit);
        playWindow = playWindow == null || playWindow.isNegative() || playWindow.isZero() ? Duration.ofHours(1) : playWindow;
        if (torrentPort < 0 || torrentPort > 65535) {
            throw new IllegalArgumentException("HYPERTUBE_TORRENT_PORT must be 0..65535, was " + torrentPort);
        }
        if (dhtPort < 0 || dhtPort > 65535) {
            throw new IllegalArgumentException("HYPERTUBE_DHT_PORT must be 0..65535, was " + dhtPort);
        }
        try {
            DhtRouters.parseList(dhtBootstrap);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("HYPERTUBE_DHT_BOOTSTRAP: " + e.getMessage(), e);
        }
    }

    /** The nodes the DHT joins through: HYPERTUBE_DHT_BOOTSTRAP's, else the public routers (names resolved when it joins). */
    public List<InetSocketAddress> dhtBootstrapNodes() {
        return dhtBootstrap.isEmpty() ? DhtRouters.PUBLIC : DhtRouters.parseList(dhtBootstrap);
    }

    DiskQuota quota() {
        return DiskQuota.parse(diskQuota);
    }
}
