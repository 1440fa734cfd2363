package org.hypertube.torrent.webseed;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hypertube.torrent.TorrentFile;
import org.hypertube.torrent.TorrentInfo;

/**
 * How one web seed of a torrent is doing, and so whether to use it: a pure policy on an injected
 * clock, fed with the outcome of each fetch and of each hash check of its data. Failures back off
 * exponentially (5 s doubling to 5 min; a {@code Retry-After} is honoured, up to an hour) and ten in
 * a row drop the seed. A seed that ignores {@code Range}, or points at a refused address, is dropped
 * at once. Data failing its hash marks the files it came from as outdated on the server (the Internet
 * Archive rewrites some files after the torrent is made), not the whole seed; the seed itself is
 * dropped only when three pieces from it failed and none passed. A 404, 410 or 416 marks that file
 * missing. A seed with no file left is dropped. Not thread-safe: guard it with the session's lock.
 */
public final class WebSeedHealth {
    static final Duration FIRST_DELAY = Duration.ofSeconds(5);
    static final Duration MAX_DELAY = Duration.ofMinutes(5);
    static final Duration MAX_RETRY_AFTER = Duration.ofHours(1);
    static final int MAX_FAILURES_IN_A_ROW = 10;
    static final int FILE_STRIKES = 2;
    static final int SEED_STRIKES = 3;

    private final Clock clock;
    private final TorrentInfo info;
    private final int realFiles;
    private final Map<Integer, Integer> fileStrikes = new HashMap<>();
    private final Map<Integer, Integer> fileVerified = new HashMap<>();
    private final Map<Integer, String> unavailable = new HashMap<>();
    private Instant nextTry;
    private int failuresInARow;
    private int failedPieces;
    private int verifiedPieces;
    private String dropReason;

    public WebSeedHealth(TorrentInfo info, Clock clock) {
        this.info = info;
        this.clock = clock;
        this.realFiles = (int) info.files().stream().filter(f -> !f.pad() && f.length() > 0).count();
        this.nextTry = clock.instant();
    }

    /** Whether a request may go to this seed now. */
    public boolean usableNow() {
        return dropReason == null && !clock.instant().isBefore(nextTry);
    }

    /** When the seed may be asked again (now or past when it may be asked at once); meaningless once dropped. */
    public Instant nextTry() {
        return nextTry;
    }

    /** Why the seed is no longer used, or empty while it is. */
    public Optional<String> dropped() {
        return Optional.ofNullable(dropReason);
    }

    /** Whether file {@code index} may be asked of this seed ("outdated" or "missing" files may not). */
    public boolean fileAvailable(int index) {
        return !unavailable.containsKey(index);
    }

    /** The files this seed cannot serve, with the reason shown to the operator. */
    public Map<Integer, String> unavailableFiles() {
        return Map.copyOf(unavailable);
    }

    /** Whether every file of these slices (a piece's, say) may be asked of this seed; pad files need no seed. */
    public boolean canServe(List<FileSlice> slices) {
        return slices.stream().allMatch(s -> s.pad() || fileAvailable(s.fileIndex()));
    }

    /** A fetch brought its data (not yet verified). */
    public void fetched() {
        failuresInARow = 0;
        nextTry = clock.instant();
    }

    /** A fetch failed: back off, or mark the file, or drop the seed, depending on what went wrong. */
    public void failed(WebSeedException e) {
        switch (e.kind()) {
            case IGNORES_RANGE -> drop("the server ignores Range requests (" + e.getMessage() + ")");
            case NOT_ALLOWED_ADDRESS -> drop("it points at an address that is not allowed (" + e.getMessage() + ")");
            case HTTP_STATUS -> {
                int s = e.status();
                if ((s == 404 || s == 410 || s == 416) && e.fileIndex() >= 0) {
                    markUnavailable(e.fileIndex(), s == 416 ? "shorter on the server (HTTP 416)" : "missing on the server (HTTP " + s + ")");
                } else {
                    backOff(e, null);
                }
            }
            case RETRY_LATER -> backOff(e, clamp(e.retryAfter().orElse(RangeResponse.DEFAULT_RETRY_AFTER)));
            default -> backOff(e, null);
        }
    }

    /** A piece made of these slices, fetched from this seed, passed its hash check. */
    public void hashPassed(List<FileSlice> slices) {
        verifiedPieces++;
        for (FileSlice s : slices) {
            if (!s.pad()) {
                fileVerified.merge(s.fileIndex(), 1, Integer::sum);
            }
        }
    }

    /**
     * A piece made of these slices, fetched from this seed, failed its hash check. A piece inside one
     * file strikes that file; a piece across files strikes those with no verified piece yet (the
     * others evidently match), or all of them when each has one.
     */
    public void hashFailed(List<FileSlice> slices) {
        failedPieces++;
        List<Integer> files = slices.stream().filter(s -> !s.pad()).map(FileSlice::fileIndex).toList();
        List<Integer> suspects = files.stream().filter(f -> !fileVerified.containsKey(f)).toList();
        for (int f : suspects.isEmpty() ? files : suspects) {
            if (fileStrikes.merge(f, 1, Integer::sum) >= FILE_STRIKES) {
                markUnavailable(f, "outdated on the server (" + fileStrikes.get(f) + " pieces failed their hash)");
            }
        }
        if (verifiedPieces == 0 && failedPieces >= SEED_STRIKES) {
            drop(failedPieces + " pieces from it failed their hash and none passed");
        }
    }

    private void backOff(WebSeedException e, Duration asked) {
        failuresInARow++;
        if (failuresInARow >= MAX_FAILURES_IN_A_ROW) {
            drop(failuresInARow + " failures in a row, the last: " + e.getMessage());
            return;
        }
        Duration delay = asked != null ? asked : exponential(failuresInARow);
        nextTry = clock.instant().plus(delay);
    }

    private static Duration exponential(int failures) {
        Duration d = FIRST_DELAY.multipliedBy(1L << Math.min(failures - 1, 20));
        return d.compareTo(MAX_DELAY) > 0 ? MAX_DELAY : d;
    }

    private static Duration clamp(Duration retryAfter) {
        return retryAfter.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : retryAfter;
    }

    private void markUnavailable(int file, String reason) {
        unavailable.putIfAbsent(file, reason);
        if (unavailable.size() >= realFiles) {
            TorrentFile f = info.files().get(file);
            drop("no file is available from it (the last, " + f.displayPath() + ", " + reason + ")");
        }
    }

    private void drop(String reason) {
        if (dropReason == null) {
            dropReason = reason;
        }
    }

    @Override
    public String toString() {
        return "WebSeedHealth[" + (dropReason != null ? "dropped: " + dropReason
                : failuresInARow + " failures in a row, next try " + nextTry + ", " + unavailable.size() + " files unavailable") + "]";
    }
}
