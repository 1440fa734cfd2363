package org.hypertube.catalog;

import org.springframework.data.domain.Pageable;
import org.springframework.data.domain.Slice;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

interface WatchlistRepository extends JpaRepository<WatchlistEntry, WatchlistEntry.Key> {

    /** The member's films, newest addition first: one statement (a slice reads one row more, no count). */
    @Query("select f from WatchlistEntry w join Film f on f.id = w.filmId where w.memberId = :member order by w.addedAt desc, f.id desc")
    Slice<Film> films(@Param("member") long memberId, Pageable page);

    long countByMemberId(long memberId);

    @Modifying
    @Query("delete from WatchlistEntry w where w.memberId = :member and w.filmId = :film")
    int remove(@Param("member") long memberId, @Param("film") long filmId);
}
