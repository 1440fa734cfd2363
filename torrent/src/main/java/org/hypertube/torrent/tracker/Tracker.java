package org.hypertube.torrent.tracker;

import java.util.Map;
import java.util.List;
import org.hypertube.torrent.InfoHash;

/** One tracker URL. Implementations keep per-tracker state (tracker id, UDP connection id). */
public sealed interface Tracker permits HttpTracker, UdpTracker {
    String url();

    AnnounceResponse announce(AnnounceRequest request) throws TrackerException, InterruptedException;

    Map<InfoHash, ScrapeResult> scrape(List<InfoHash> hashes) throws TrackerException, InterruptedException;

    static Tracker forUrl(String url, java.time.Duration timeout, java.time.Clock clock) throws TrackerException {
        if (url.startsWith("http://") || url.startsWith("https://")) {
            return new HttpTracker(url, timeout);
        }
        if (url.startsWith("udp://")) {
            return new UdpTracker(url, timeout, clock);
        }
        throw new TrackerException("unsupported tracker scheme: " + url);
    }
}
