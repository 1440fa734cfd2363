package org.hypertube.torrent;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import org.hypertube.torrent.tracker.ScrapeResult;
import org.hypertube.torrent.tracker.Tracker;

/** Asks one tracker (HTTP or UDP, BEP 48 / 15) how many seeders a torrent has, without adding it. */
public final class TrackerScrape {
    private TrackerScrape() {
    }

    /**
     * The seeders {@code trackerUrl} reports for {@code hash}, empty when it does not know the torrent.
     *
     * @param budget the time-out of each exchange with the tracker
     * @param policy  the addresses the tracker's host (and its redirects) may resolve to
     * @throws IOException the tracker failed, answered garbage or is not an http(s) or udp URL
     */
    public static OptionalInt seeders(String trackerUrl, InfoHash hash, Duration budget, Clock clock,
            OutsideAddressPolicy policy) throws IOException, InterruptedException {
        ScrapeResult r = Tracker.forUrl(trackerUrl, budget, clock, policy).scrape(List.of(hash)).get(hash);
        return r == null ? OptionalInt.empty() : OptionalInt.of(r.seeders());
    }
}
