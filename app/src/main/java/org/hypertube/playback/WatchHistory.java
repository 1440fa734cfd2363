package org.hypertube.playback;

import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hypertube.catalog.WatchMarks;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.data.domain.PageRequest;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/** Watch progress: saved by the player every few seconds, read for Play (resume), thumbnails and the home page. */
@Service
class WatchHistory implements WatchMarks {

    private final WatchProgressRepository repository;
    private final NamedParameterJdbcTemplate jdbc;
    private final DownloadRepository downloads;
    private final TransactionTemplate transaction;
    private final Clock clock;

    WatchHistory(WatchProgressRepository repository, NamedParameterJdbcTemplate jdbc, DownloadRepository downloads,
                 TransactionTemplate transaction, Clock clock) {
        this.repository = repository;
        this.jdbc = jdbc;
        this.downloads = downloads;
        this.transaction = transaction;
        this.clock = clock;
    }

    /**
     * Records where the member is; marks the film watched near the end and the download as recently used.
     * Two first saves at once (the player's pause and page-hide as a page closes) both find no row and
     * both insert it: the primary key lets one through and refuses the other once the first has committed
     * (PostgreSQL and H2 alike). That one's transaction is over then, so it reads the row afresh in a new
     * one and updates it, as any later save does.
     */
    void record(long memberId, long filmId, String infoHash, double position, double duration) {
        if (!Double.isFinite(position) || !Double.isFinite(duration) || position < 0 || duration <= 0
                || duration > 100 * 3600) {
            throw new IllegalArgumentException("position and duration must be seconds within the film");
        }
        Instant now = clock.instant();
        int seconds = (int) Math.round(Math.min(position, duration));
        int length = (int) Math.round(duration);
        try {
            transaction.executeWithoutResult(status -> save(memberId, filmId, infoHash, seconds, length, now, true));
        } catch (DataIntegrityViolationException race) {
            if (!Boolean.TRUE.equals(transaction.execute(status -> save(memberId, filmId, infoHash, seconds, length, now, false)))) {
                throw race;  // not the key after all (the member or the film went meanwhile)
            }
        }
    }

    /** Finds the row and updates it, or creates it when {@code create}; false if there was none to update. */
    private boolean save(long memberId, long filmId, String infoHash, int position, int duration, Instant now,
                         boolean create) {
        Optional<WatchProgress> found = repository.findById(new WatchProgress.Key(memberId, filmId));
        if (found.isEmpty() && !create) {
            return false;
        }
        WatchProgress progress = found.orElseGet(() -> new WatchProgress(memberId, filmId));
        progress.update(position, duration, now);
        repository.saveAndFlush(progress);
        if (infoHash != null) {
            downloads.touch(infoHash, now);
        }
        return true;
    }

    int resumeAt(long memberId, long filmId) {
        return repository.findById(new WatchProgress.Key(memberId, filmId)).map(WatchProgress::resumeAt).orElse(0);
    }

    /** The member behind a request's principal, if it is one of ours. */
    static java.util.OptionalLong memberId(java.security.Principal principal) {
        if (principal instanceof org.springframework.security.core.Authentication auth
                && auth.getPrincipal() instanceof org.hypertube.account.MemberPrincipal member) {
            return java.util.OptionalLong.of(member.id());
        }
        return java.util.OptionalLong.empty();
    }

    @Override
    public Map<Long, Mark> marks(java.security.Principal member, Collection<Long> filmIds) {
        java.util.OptionalLong id = memberId(member);
        return id.isPresent() ? marks(id.getAsLong(), filmIds) : Map.of();
    }

    @Override
    public List<Long> continueWatching(java.security.Principal member, int max) {
        java.util.OptionalLong id = memberId(member);
        return id.isPresent() ? continueWatching(id.getAsLong(), max) : List.of();
    }

    Map<Long, Mark> marks(long memberId, Collection<Long> filmIds) {
        Map<Long, Mark> marks = new HashMap<>();
        if (filmIds.isEmpty()) {
            return marks;
        }
        // Plain SQL: Hibernate translates a query with a list parameter anew on every call (after throwing
        // and catching an exception), a tenth of a discover page's time in bench/catalog.
        jdbc.query("select film_id, watched, position_seconds, duration_seconds from watch_progress"
                        + " where member_id = :member and film_id in (:films)",
                Map.of("member", memberId, "films", filmIds),
                row -> {
                    marks.put(row.getLong(1), new Mark(row.getBoolean(2), WatchProgress.percent(row.getInt(3), row.getInt(4))));
                });
        return marks;
    }

    List<Long> continueWatching(long memberId, int max) {
        return repository.started(memberId, PageRequest.of(0, max)).stream().map(WatchProgress::getFilmId).toList();
    }
}
