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

    /** Films of the library whose genres name this one (as the sources spell it), best rated first. */
    @org.springframework.data.jpa.repository.Query("select f from Film f where lower(f.genres) like :pattern"
            + " order by f.rating desc nulls last, f.id desc")
    List<Film> withGenre(@org.springframework.data.repository.query.Param("pattern") String pattern,
                         org.springframework.data.domain.Pageable page);

    Optional<Film> findFirstByImdbIdIsNullAndTitleKeyAndYear(String titleKey, Integer year);
}
