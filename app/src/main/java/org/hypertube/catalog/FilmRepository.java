package org.hypertube.catalog;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;

interface FilmRepository extends JpaRepository<Film, Long> {

    List<Film> findByImdbIdIn(Collection<String> imdbIds);

    /** A JPQL query, whose plan Hibernate caches (findAllById builds a criteria query every call). */
    @org.springframework.data.jpa.repository.Query("select f from Film f where f.id in :ids")
    List<Film> findByIds(@org.springframework.data.repository.query.Param("ids") Collection<Long> ids);

    Optional<Film> findFirstByImdbIdIsNullAndTitleKeyAndYear(String titleKey, Integer year);
}
