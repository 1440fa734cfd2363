package org.hypertube.playback;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.hypertube.catalog.FilmTorrent;
import org.hypertube.torrent.Magnet;
import org.hypertube.torrent.InfoHash;
import org.hypertube.system.OutsideFetch;
import org.hypertube.torrent.OutsideAddressPolicy;
import org.hypertube.torrent.TrackerScrape;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Checks the best candidates' swarms before Play picks one: a scrape of each magnet's trackers (BEP 48,
 * BEP 15) says how many seeders there are now, which replaces the source's count (often days old). A
 * few candidates and trackers, in parallel, within a short budget; what does not answer keeps the
 * source's count.
 */
@Component
class SwarmHealth {

    private static final Logger log = LoggerFactory.getLogger(SwarmHealth.class);
    static final int CANDIDATES = 3;
    static final int TRACKERS_EACH = 4;
    static final Duration BUDGET = Duration.ofSeconds(4);

    private final Clock clock;
    private final OutsideAddressPolicy addressPolicy;

    SwarmHealth(Clock clock, OutsideFetch outside) {
        this.clock = clock;
        this.addressPolicy = outside.policy();
    }

    /** Seeders now, by info-hash, for the first few candidates that are magnets with trackers. */
    Map<String, Integer> seeders(List<FilmTorrent> ranked) {
        Map<String, List<Future<Integer>>> asked = new HashMap<>();
        Map<String, Integer> found = new HashMap<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            int n = 0;
            for (FilmTorrent t : ranked) {
                if (n == CANDIDATES) {
                    break;
                }
                if (t.getUri() == null || !Magnet.looksLikeMagnet(t.getUri())) {
                    continue;
                }
                Magnet magnet;
                try {
                    magnet = Magnet.parse(t.getUri());
                } catch (RuntimeException e) {
                    continue;
                }
                n++;
                InfoHash hash = magnet.infoHash();
                List<Future<Integer>> futures = new ArrayList<>();
                for (String url : magnet.trackers().stream().limit(TRACKERS_EACH).toList()) {
                    futures.add(pool.submit(() -> {
                        var seeders = TrackerScrape.seeders(url, hash, BUDGET, clock, addressPolicy);
                        return seeders.isPresent() ? seeders.getAsInt() : null;
                    }));
                }
                asked.put(hash.hex(), futures);
            }
            long deadline = System.nanoTime() + BUDGET.toNanos();
            for (var entry : asked.entrySet()) {
                for (Future<Integer> f : entry.getValue()) {
                    try {
                        Integer seeders = f.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                        if (seeders != null) {
                            found.merge(entry.getKey(), seeders, Math::max);
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return found;
                    } catch (Exception e) {
                        f.cancel(true);
                    }
                }
            }
            pool.shutdownNow();
        }
        if (!found.isEmpty()) {
            log.info("scraped seeders: {}", found);
        }
        return found;
    }

    /** The candidates again, best first, with the scraped seeders in place of the sources' counts. */
    List<FilmTorrent> rerank(List<FilmTorrent> ranked) {
        Map<String, Integer> now = seeders(ranked);
        if (now.isEmpty()) {
            return ranked;
        }
        return ranked.stream().sorted(Comparator.comparingDouble((FilmTorrent t) -> score(t,
                t.getInfoHash() != null && now.containsKey(t.getInfoHash().toLowerCase())
                        ? now.get(t.getInfoHash().toLowerCase()) : t.getSeeds())).reversed()).toList();
    }

    /** Best first: healthy (seeds), then a quality this server streams well, then size as a tie-break. */
    static List<FilmTorrent> rank(List<FilmTorrent> torrents) {
        return torrents.stream().sorted(Comparator.comparingDouble((FilmTorrent t) -> score(t)).reversed()).toList();
    }

    static double score(FilmTorrent t) {
        return score(t, t.getSeeds());
    }

    static double score(FilmTorrent t, int seedCount) {
        int seeds = seedCount < 0 ? 2 : seedCount;   // unknown (Archive): a few, web seeds aside
        double health = seeds == 0 ? -10 : Math.log1p(seeds) / Math.log(2);
        String q = t.getQuality() == null ? "" : t.getQuality().toLowerCase(Locale.ROOT);
        double quality = q.contains("1080") ? 2 : q.contains("720") ? 1.5 : q.contains("2160") || q.contains("4k") ? 0
                : q.contains("3d") ? -1 : 0.5;
        return health + quality;
    }
}
