package org.hypertube.catalog;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;

interface FilmRepository extends JpaRepository<Film, Long> {

    List<Film> findByImdbIdIn(Collection<String> imdbIds);

    Optional<Film> findFirstByImdbIdIsNullAndTitleKeyAndYear(String titleKey, Integer year);
}
