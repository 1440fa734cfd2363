package org.hypertube.torrent.tracker;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.hypertube.torrent.OutsideAddressPolicy;

/**
 * BEP 12 tiers: trackers in a tier are shuffled once, tried in order; the first to answer moves to
 * the front of its tier, and the next tier is tried only when a whole tier failed.
 */
public final class TrackerTiers {
    private final List<List<Tracker>> tiers = new ArrayList<>();

    /** A session's UDP trackers stop after this many tries of BEP 15's schedule per announce (15 + 30 + 60 s). */
    public static final int SESSION_UDP_TRIES = 3;

    /** Tiers whose UDP trackers give up after {@link #SESSION_UDP_TRIES} tries, as a session's announcer wants. */
    public TrackerTiers(List<List<String>> urls, Duration timeout, Clock clock, Random random, OutsideAddressPolicy policy) {
        this(urls, timeout, clock, random, SESSION_UDP_TRIES, policy);
    }

    /** {@code udpTries}: tries of BEP 15's retry schedule per UDP exchange, 1..9 (9 = the whole schedule). */
    public TrackerTiers(List<List<String>> urls, Duration timeout, Clock clock, Random random, int udpTries,
            OutsideAddressPolicy policy) {
        for (List<String> tier : urls) {
            List<Tracker> t = new ArrayList<>();
            for (String u : tier) {
                try {
                    t.add(u.startsWith("udp://") ? new UdpTracker(u, timeout, clock, udpTries, policy)
                            : Tracker.forUrl(u, timeout, clock, policy));
                } catch (TrackerException e) {
                    // an unusable URL is skipped; the others may still work
                }
            }
            Collections.shuffle(t, random);
            if (!t.isEmpty()) {
                tiers.add(t);
            }
        }
    }

    public boolean isEmpty() {
        return tiers.isEmpty();
    }

    /**
     * The answer of the first tracker that answers, which one it was, and the trackers tried before it
     * that failed or were refused (an inside address), so the announcer can say so although the announce worked.
     */
    public record Answer(Tracker tracker, AnnounceResponse response, List<Failure> failedBefore) {}

    /** A tracker that did not answer, and why. */
    public record Failure(String url, String reason) {}

    public synchronized Answer announce(AnnounceRequest request) throws TrackerException, InterruptedException {
        List<Failure> failures = new ArrayList<>();
        for (List<Tracker> tier : tiers) {
            for (int i = 0; i < tier.size(); i++) {
                Tracker t = tier.get(i);
                try {
                    AnnounceResponse r = t.announce(request);
                    tier.remove(i);
                    tier.addFirst(t);
                    return new Answer(t, r, List.copyOf(failures));
                } catch (TrackerException e) {
                    failures.add(new Failure(t.url(), e.getMessage()));
                }
            }
        }
        throw new TrackerException(failures.isEmpty() ? "no trackers"
                : String.join("; ", failures.stream().map(Failure::reason).toList()));
    }

    public synchronized List<String> urls() {
        return tiers.stream().flatMap(List::stream).map(Tracker::url).toList();
    }
}
