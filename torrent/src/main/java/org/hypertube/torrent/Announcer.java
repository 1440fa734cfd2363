package org.hypertube.torrent;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.hypertube.torrent.tracker.AnnounceRequest;
import org.hypertube.torrent.tracker.TrackerException;
import org.hypertube.torrent.tracker.TrackerTiers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The trackers as a {@link PeerSource} (anacrolix's {@code client-tracker-announcer.go}): one thread
 * announces {@code started} once the torrent is checked (or at once for a magnet), then at the
 * tracker's interval, {@code completed} when woken by completion, {@code stopped} on pause and on
 * the way out; failures back off up to 5 minutes.
 */
final class Announcer implements PeerSource {
    private static final Logger log = LoggerFactory.getLogger(Announcer.class);

    /** What the announcer needs of its torrent. */
    interface Torrent {
        InfoHash infoHash();

        boolean closed();

        boolean paused();

        /** Checked, or still fetching its metadata: worth announcing. */
        boolean readyOrFetching();

        boolean seeding();

        AnnounceRequest request(AnnounceRequest.Event e);
    }

    private final Torrent torrent;
    private final TrackerTiers trackers;
    private final Duration minInterval;
    /** Wakes the announcer early (completion, closing) without interrupting a tracker exchange. */
    private final Semaphore wake = new Semaphore(0);
    /** Trackers whose failure before a working one was logged, so each is named once, not on every announce. */
    private final java.util.Set<String> skippedTrackers = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** Set once the announcer stopped waiting for the first check (a later check must not wake it early). */
    private volatile boolean announcing;
    private volatile boolean announcedComplete;
    private Sink sink;
    private Thread thread;

    Announcer(Torrent torrent, TrackerTiers trackers, Duration minInterval) {
        this.torrent = torrent;
        this.trackers = trackers;
        this.minInterval = minInterval;
    }

    @Override
    public void start(Sink sink) {
        this.sink = sink;
        thread = Thread.ofVirtual().name("announce-" + torrent.infoHash().shortHex()).start(this::loop);
    }

    @Override
    public void wake() {
        wake.release();
    }

    /** The first check ended: announce now rather than at the next poll. */
    void checked() {
        if (!announcing) {
            wake.release();
        }
    }

    /** A file was selected again after completion: the next completion is announced again. */
    void downloadingAgain() {
        announcedComplete = false;
    }

    /** Waits for the loop to send {@code stopped} and end. */
    @Override
    public void stop() {
        if (thread == null) {
            return;
        }
        wake.release();
        try {
            if (!thread.join(Duration.ofSeconds(2))) {
                thread.interrupt();
                thread.join(Duration.ofSeconds(2));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void loop() {
        if (trackers.isEmpty()) {
            return;
        }
        AnnounceRequest.Event event = AnnounceRequest.Event.STARTED;
        long waitMs = 0;
        boolean lastFailed = false;
        InfoHash infoHash = torrent.infoHash();
        try {
            while (!torrent.closed()) {
                while (!torrent.closed() && !torrent.readyOrFetching()) {
                    wake.tryAcquire(200, TimeUnit.MILLISECONDS);
                }
                // The check's wake-up (and completion's, for a complete torrent) were released under
                // the session lock before ready was seen: drop them, or the first announce would be
                // followed by another at once. Closing, pausing and completion are read again below.
                wake.drainPermits();
                announcing = true;
                if (torrent.closed()) {
                    break;
                }
                if (torrent.paused()) {
                    if (event != AnnounceRequest.Event.STARTED) {
                        // Tell the tracker we left; announce "started" again on resume.
                        try {
                            trackers.announce(torrent.request(AnnounceRequest.Event.STOPPED));
                        } catch (TrackerException e) {
                            log.debug("{} stopped announce failed: {}", infoHash, e.getMessage());
                        } catch (InterruptedException e) {
                            // woken: look at the state again
                        }
                        event = AnnounceRequest.Event.STARTED;
                    }
                    while (torrent.paused() && !torrent.closed()) {
                        wake.tryAcquire(200, TimeUnit.MILLISECONDS);
                    }
                    lastFailed = false;
                    continue;
                }
                boolean completeNow = torrent.seeding() && !announcedComplete;
                if (completeNow && event != AnnounceRequest.Event.STARTED) {
                    event = AnnounceRequest.Event.COMPLETED;
                }
                try {
                    TrackerTiers.Answer a;
                    try {
                        a = trackers.announce(torrent.request(event));
                    } catch (InterruptedException e) {
                        if (torrent.closed()) {
                            break;
                        }
                        continue; // woken for completion: announce again with the new event
                    }
                    if (completeNow || torrent.seeding()) {
                        announcedComplete = true;
                    }
                    sink.offer(a.response().peers(), "tracker");
                    for (TrackerTiers.Failure f : a.failedBefore()) {
                        if (skippedTrackers.add(f.url())) { // once per tracker: it is tried again on every announce
                            log.warn("{} tracker {} skipped, {} answered instead: {}", infoHash, f.url(), a.tracker().url(), f.reason());
                        }
                    }
                    if (lastFailed) {
                        log.info("{} tracker {} answers again", infoHash, a.tracker().url());
                    }
                    lastFailed = false;
                    log.debug("{} announce to {}: {} peers", infoHash, a.tracker().url(), a.response().peers().size());
                    event = AnnounceRequest.Event.NONE;
                    int interval = Math.max(a.response().interval(), a.response().minInterval().orElse(0));
                    waitMs = Math.min(1_800_000L, Math.max(minInterval.toMillis(), interval * 1000L));
                } catch (TrackerException e) {
                    if (!lastFailed) {
                        log.warn("{} announce failed: {}", infoHash, e.getMessage());
                    }
                    lastFailed = true;
                    waitMs = Math.min(300_000L, Math.max(waitMs * 2, minInterval.toMillis() * 5));
                }
                // Woken early by completion (to announce it) or by closing.
                wake.tryAcquire(waitMs, TimeUnit.MILLISECONDS);
                wake.drainPermits();
            }
        } catch (InterruptedException e) {
            // closing
        }
        try {
            trackers.announce(torrent.request(AnnounceRequest.Event.STOPPED));
        } catch (TrackerException | InterruptedException e) {
            // best effort on the way out
        }
    }
}
