package org.hypertube.playback;

import java.util.List;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

interface WatchProgressRepository extends JpaRepository<WatchProgress, WatchProgress.Key> {

    @Query("select w from WatchProgress w where w.memberId = :member and w.watched = false and w.positionSeconds > 0"
            + " order by w.updatedAt desc")
    List<WatchProgress> started(@Param("member") long memberId, Pageable page);
}
