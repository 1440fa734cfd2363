package org.hypertube.playback;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;

/** Where a member is in a film; watched once they reached ~90 % of it. */
@Entity
@Table(name = "watch_progress")
@IdClass(WatchProgress.Key.class)
class WatchProgress {

    /** Watched from here on: the credits need not be seen. */
    static final double WATCHED_FRACTION = 0.9;

    record Key(Long memberId, Long filmId) implements Serializable {
        Key() {
            this(null, null);
        }
    }

    @Id
    private Long memberId;
    @Id
    private Long filmId;
    private int positionSeconds;
    private int durationSeconds;
    private boolean watched;
    private Instant updatedAt;

    protected WatchProgress() {
    }

    WatchProgress(long memberId, long filmId) {
        this.memberId = memberId;
        this.filmId = filmId;
    }

    Long getFilmId() { return filmId; }
    int getPositionSeconds() { return positionSeconds; }
    int getDurationSeconds() { return durationSeconds; }
    boolean isWatched() { return watched; }
    Instant getUpdatedAt() { return updatedAt; }

    /** Records a position; once watched, a film stays watched even if seen again from the start. */
    void update(int position, int duration, Instant now) {
        this.durationSeconds = Math.max(0, duration);
        this.positionSeconds = Math.max(0, Math.min(position, durationSeconds > 0 ? durationSeconds : position));
        if (durationSeconds > 0 && positionSeconds >= WATCHED_FRACTION * durationSeconds) {
            watched = true;
        }
        this.updatedAt = now;
    }

    /** Where Play should start: nowhere near the end (a watched film starts again from the top). */
    int resumeAt() {
        if (durationSeconds <= 0 || positionSeconds >= WATCHED_FRACTION * durationSeconds || positionSeconds < 10) {
            return 0;
        }
        return positionSeconds;
    }

    /** 0..100 for the bar under a thumbnail. */
    static int percent(int positionSeconds, int durationSeconds) {
        return durationSeconds <= 0 ? 0 : (int) Math.min(100, Math.round(100.0 * positionSeconds / durationSeconds));
    }
}
