package org.hypertube.catalog;

import java.util.List;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;

interface FilmTorrentRepository extends JpaRepository<FilmTorrent, Long> {

    List<FilmTorrent> findByFilmIdOrderBySeedsDesc(Long filmId);

    @Modifying
    @Query("delete from FilmTorrent t where t.filmId = ?1 and t.source = ?2")
    void deleteByFilmIdAndSource(Long filmId, String source);
}
