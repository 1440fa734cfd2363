package org.hypertube.catalog;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;

/** A film a member put on their watchlist, and when. */
@Entity
@Table(name = "watchlist")
@IdClass(WatchlistEntry.Key.class)
class WatchlistEntry {

    record Key(Long memberId, Long filmId) implements Serializable {
        Key() {
            this(null, null);
        }
    }

    @Id
    private Long memberId;
    @Id
    private Long filmId;
    private Instant addedAt;

    protected WatchlistEntry() {
    }

    WatchlistEntry(long memberId, long filmId, Instant addedAt) {
        this.memberId = memberId;
        this.filmId = filmId;
        this.addedAt = addedAt;
    }
}
