package org.hypertube.playback;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;
import org.springframework.transaction.annotation.Transactional;

interface DownloadRepository extends JpaRepository<Download, Long> {

    Optional<Download> findByInfoHash(String infoHash);

    List<Download> findByFilmIdOrderByAddedAtDesc(Long filmId);

    List<Download> findAllByOrderByAddedAtDesc();

    /** Films with a complete download, the most recently completed first. */
    default List<Long> readyFilms(org.springframework.data.domain.Pageable page) {
        return filmsIn(Download.State.COMPLETE, page);
    }

    @Query("select d.filmId from Download d where d.state = :state and d.filmId is not null"
            + " group by d.filmId order by max(d.completedAt) desc, d.filmId desc")
    List<Long> filmsIn(@Param("state") Download.State state, org.springframework.data.domain.Pageable page);

    @Modifying
    @Transactional
    @Query("update Download d set d.lastWatchedAt = :when where d.infoHash = :hash")
    void touch(@Param("hash") String infoHash, @Param("when") Instant when);
}
