package org.hypertube.playback;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import net.javacrumbs.shedlock.core.LockConfiguration;
import net.javacrumbs.shedlock.core.LockProvider;
import net.javacrumbs.shedlock.core.SimpleLock;
import org.hypertube.torrent.Torrent;
import org.hypertube.torrent.TorrentState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Deletes films nobody watched for the retention period (30 days unless the operator says otherwise):
 * files, resume data and the download's row; the film is fetched again when someone presses Play.
 * Never a film being watched (a converted stream open, or progress saved within the period) or one
 * still downloading.
 */
@Component
class Retention {

    private static final Logger log = LoggerFactory.getLogger(Retention.class);

    private final Downloads downloads;
    private final Playback playback;
    private final PlaybackProperties properties;
    private final Clock clock;
    private final LockProvider locks;
    /** The disk-quota job's lock: a Play making room takes it too, so two instances never shrink at once. */
    static final String QUOTA_LOCK = "disk-quota";
    private static final Duration ROOM_WAIT = Duration.ofSeconds(5);

    Retention(Downloads downloads, Playback playback, PlaybackProperties properties, Clock clock, LockProvider locks) {
        this.locks = locks;
        this.downloads = downloads;
        this.playback = playback;
        this.properties = properties;
        this.clock = clock;
    }

    /**
     * Once a day on one instance of several: the lock is held at least {@code retention-lock} (5 minutes), so
     * an instance whose clock is a little behind does not run the same day's job again after the first.
     */
    @Scheduled(cron = "${hypertube.playback.retention-cron:0 17 4 * * *}")
    @SchedulerLock(name = "retention", lockAtLeastFor = "${hypertube.playback.retention-lock:PT5M}", lockAtMostFor = "PT2H")
    void daily() {
        List<String> deleted = run(clock.instant());
        log.info("retention ran on this instance: {} film(s) deleted", deleted.size());
    }

    /** Deletes what is due at {@code now}; returns the info-hashes deleted. */
    List<String> run(Instant now) {
        Instant cutoff = now.minus(properties.retention());
        List<String> deleted = new ArrayList<>();
        for (Download d : downloads.all()) {
            if (!d.lastUse().isBefore(cutoff) || downloading(d) || playback.inUse(d.getInfoHash())) {
                continue;
            }
            delete(d, "unwatched since " + d.lastUse(), deleted);
        }
        if (!deleted.isEmpty()) {
            log.info("retention deleted {} film(s) unwatched for {} days", deleted.size(), properties.retention().toDays());
        }
        return deleted;
    }

    /**
     * Keeps the media folder under the operator's quota: finished films are deleted least recently
     * watched first, never one in use. Downloads in progress are not counted out: they finish.
     */
    /** Every 10 minutes, on one instance of several. */
    @Scheduled(fixedDelayString = "PT10M", initialDelayString = "PT1M")
    @SchedulerLock(name = QUOTA_LOCK, lockAtLeastFor = "PT0S", lockAtMostFor = "PT30M")
    void quotaCheck() {
        enforceQuota();
    }

    List<String> enforceQuota() {
        List<String> deleted = new ArrayList<>();
        DiskQuota quota = properties.quota();
        if (!quota.none()) {
            shrink(quota, false, deleted);
        }
        return deleted;
    }

    /** Before a Play adds a download: room under the quota, made by deleting finished films if need be. */
    boolean makeRoom() {
        return makeRoom(properties.quota());
    }

    /** Whether the media folder is (or was made) under {@code quota} with room to spare for one more film. */
    boolean makeRoom(DiskQuota quota) {
        if (quota.none()) {
            return true;
        }
        List<String> deleted = new ArrayList<>();
        Optional<SimpleLock> lock = quotaLock();
        boolean room;
        try {
            // Without the lock (another instance shrinks right now) nothing is deleted here: only counted.
            room = shrink(quota, true, lock.isPresent() ? deleted : null);
        } finally {
            lock.ifPresent(SimpleLock::unlock);
        }
        if (!deleted.isEmpty()) {
            log.info("disk quota: deleted {} finished film(s) to make room for a new download", deleted.size());
        }
        if (!room) {
            log.warn("disk quota: no finished film can be deleted to make room; a new download is refused");
        }
        return room;
    }

    /**
     * Deletes finished films least recently watched first (never one in use) until what the downloads
     * take is within the quota, or below it when {@code strictly}; returns whether it got there.
     */
    private synchronized boolean shrink(DiskQuota quota, boolean strictly, List<String> deleted) {
        boolean mayDelete = deleted != null;
        List<Download> all = downloads.all();
        long used = all.stream().mapToLong(this::size).sum() + playback.strayBytes(all);
        long free = freeSpace();
        if (free < 0 && quota.bytes() == 0) {
            return true;   // a share of an unknown space: nothing is deleted on a guess
        }
        long limit = quota.limit(used, Math.max(0, free));
        List<Download> finished = all.stream().filter(d -> d.getState() == Download.State.COMPLETE)
                .sorted(java.util.Comparator.comparing(Download::lastUse)).toList();
        for (Download d : finished) {
            if (strictly ? used < limit : used <= limit) {
                break;
            }
            if (!mayDelete || playback.inUse(d.getInfoHash())) {
                continue;
            }
            long size = size(d);
            delete(d, "disk quota", deleted);
            used -= size;
        }
        return strictly ? used < limit : used <= limit;
    }

    /** What a download takes in the media folder: its film, and the converted segments and thumbnails kept for it. */
    private long size(Download d) {
        return (d.getFileLength() == null ? 0 : d.getFileLength()) + playback.keptBytes(d.getInfoHash());
    }

    /** The disk-quota lock, waited for a few seconds (another instance's check or Play holds it), or none. */
    private Optional<SimpleLock> quotaLock() {
        long until = System.nanoTime() + ROOM_WAIT.toNanos();
        while (true) {
            Optional<SimpleLock> lock = locks.lock(new LockConfiguration(clock.instant(), QUOTA_LOCK, Duration.ofMinutes(5),
                    Duration.ZERO));
            if (lock.isPresent() || System.nanoTime() > until) {
                if (lock.isEmpty()) {
                    log.info("disk quota: another instance is making room; no film deleted for this Play");
                }
                return lock;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }
    }

    private long freeSpace() {
        try {
            java.nio.file.Path dir = downloads.mediaDir();
            java.nio.file.Files.createDirectories(dir);
            return java.nio.file.Files.getFileStore(dir).getUsableSpace();
        } catch (java.io.IOException e) {
            log.warn("disk quota: free space of the media folder unknown: {}", e.toString());
            return -1;
        }
    }

    /**
     * Deletes here, or asks the instance that runs the torrent to (then it is not counted as deleted yet, and
     * what is kept of the film stays: the owner forgets it when it removes the download, {@link Downloads#onRemoved}).
     */
    private void delete(Download d, String why, List<String> deleted) {
        if (downloads.removeIfUnused(d, why)) {
            deleted.add(d.getInfoHash());
        }
    }

    private boolean downloading(Download d) {
        if (d.getState() != Download.State.ACTIVE) {
            return false;
        }
        if (downloads.runElsewhere(d)) {
            return true;   // another instance runs it: its engine is the one that knows, and it is downloading
        }
        return downloads.torrent(d).map(Torrent::state)
                .map(s -> s == TorrentState.DOWNLOADING || s == TorrentState.FETCHING_METADATA || s == TorrentState.CHECKING)
                .orElse(false);
    }
}
