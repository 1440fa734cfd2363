package org.hypertube.catalog;

import java.util.Collection;
import java.util.List;
import org.springframework.data.jpa.repository.JpaRepository;

interface FilmTextRepository extends JpaRepository<FilmText, FilmText.Key> {

    List<FilmText> findByFilmIdInAndLanguage(Collection<Long> filmIds, String language);
}
