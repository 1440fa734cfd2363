package org.hypertube.torrent.tracker;

import java.util.Map;
import java.util.List;
import org.hypertube.torrent.InfoHash;
import org.hypertube.torrent.OutsideAddressPolicy;

/** One tracker URL. Implementations keep per-tracker state (tracker id, UDP connection id). */
public sealed interface Tracker permits HttpTracker, UdpTracker {
    String url();

    AnnounceResponse announce(AnnounceRequest request) throws TrackerException, InterruptedException;

    Map<InfoHash, ScrapeResult> scrape(List<InfoHash> hashes) throws TrackerException, InterruptedException;

    /** A tracker whose host, and every redirect's, is contacted only at addresses {@code policy} allows. */
    static Tracker forUrl(String url, java.time.Duration timeout, java.time.Clock clock, OutsideAddressPolicy policy)
            throws TrackerException {
        if (url.startsWith("http://") || url.startsWith("https://")) {
            return new HttpTracker(url, timeout, policy);
        }
        if (url.startsWith("udp://")) {
            return new UdpTracker(url, timeout, clock, UdpTracker.SPEC_TRIES, policy);
        }
        throw new TrackerException("unsupported tracker scheme: " + url);
    }
}
