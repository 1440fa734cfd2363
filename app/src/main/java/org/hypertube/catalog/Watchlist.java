package org.hypertube.catalog;

import java.time.Clock;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Slice;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Each member's watchlist. Every call names the member whose list it reads or changes, taken from the
 * signed-in principal by the caller: nobody can address another member's list.
 */
@Service
public class Watchlist {

    private static final Logger log = LoggerFactory.getLogger(Watchlist.class);
    /** A list is bounded like everything a member can grow. */
    static final int MAX_FILMS = 1_000;

    /** A page of the list; {@code hasMore} when another page follows. */
    public record Shelf(List<Film> films, boolean hasMore) {
    }

    private final WatchlistRepository entries;
    private final Catalog catalog;
    private final TransactionTemplate transaction;
    private final Clock clock;
    private final org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate jdbc;

    Watchlist(WatchlistRepository entries, Catalog catalog, TransactionTemplate transaction, Clock clock,
              org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
        this.entries = entries;
        this.catalog = catalog;
        this.transaction = transaction;
        this.clock = clock;
    }

    /** Puts the film on the member's list (already there: nothing changes); false when the list is full. */
    public boolean add(long memberId, long filmId) {
        if (entries.existsById(new WatchlistEntry.Key(memberId, filmId))) {
            return true;
        }
        if (entries.countByMemberId(memberId) >= MAX_FILMS) {
            log.info("member {}: watchlist full, film {} not added", memberId, filmId);
            return false;
        }
        try {
            transaction.executeWithoutResult(s -> entries.saveAndFlush(new WatchlistEntry(memberId, filmId, clock.instant())));
        } catch (DataIntegrityViolationException twice) {
            // the same add twice at once (a double click): the first one stands
        }
        return true;
    }

    public void remove(long memberId, long filmId) {
        transaction.executeWithoutResult(s -> entries.remove(memberId, filmId));
    }

    /** Page {@code page} (0-based) of the member's list, newest first, titles in the reader's language. */
    public Shelf films(long memberId, int page, int size) {
        Slice<Film> slice = entries.films(memberId, PageRequest.of(page, size));
        List<Film> films = slice.getContent();
        catalog.localize(films);
        return new Shelf(films, slice.hasNext());
    }

    /** Which of these films are on the member's list (one statement). */
    public Set<Long> among(long memberId, Collection<Long> filmIds) {
        if (filmIds.isEmpty()) {
            return Set.of();
        }
        // Plain SQL: Hibernate translates a JPQL query with a list parameter anew on every call, after
        // throwing and catching a CoercionException (8 % of a grid's time under bench/catalog).
        return new HashSet<>(jdbc.queryForList("select film_id from watchlist where member_id = :member and film_id in (:films)",
                java.util.Map.of("member", memberId, "films", filmIds), Long.class));
    }
}
