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

    @Modifying
    @Transactional
    @Query("update Download d set d.lastWatchedAt = :when where d.infoHash = :hash")
    void touch(@Param("hash") String infoHash, @Param("when") Instant when);
}
