package org.hypertube.catalog;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.hypertube.catalog.FilmMerge.Merged;
import org.hypertube.catalog.source.FilmSource;
import org.hypertube.catalog.source.SourceFilm;
import org.hypertube.catalog.source.SourceUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/** Films an administrator adds by hand: by one source's id (or the IMDb id), or by a title for a torrent of their own. */
@Service
public class FilmAdditions {

    /** The pseudo-source naming an IMDb id, which every source is asked about. */
    public static final String IMDB = "imdb";
    private static final Logger log = LoggerFactory.getLogger(FilmAdditions.class);

    private final List<FilmSource> sources;
    private final Catalog catalog;
    private final FilmRepository films;
    private final TransactionTemplate transaction;
    private final Clock clock;

    FilmAdditions(List<FilmSource> sources, Catalog catalog, FilmRepository films, TransactionTemplate transaction,
                  Clock clock) {
        this.sources = List.copyOf(sources);
        this.catalog = catalog;
        this.films = films;
        this.transaction = transaction;
        this.clock = clock;
    }

    /** The names of the sources this server asks, and {@link #IMDB}. */
    public List<String> sourceNames() {
        List<String> names = new ArrayList<>(sources.stream().map(FilmSource::name).toList());
        names.add(IMDB);
        return names;
    }

    /**
     * The film a source knows by its id (every source, for an IMDb id), stored with its torrents; empty when
     * no source knows it (or the source is unknown or does not answer).
     */
    public Optional<Film> bySourceId(String source, String id) {
        String imdb = IMDB.equals(source) ? FilmIdentity.imdbId(id) : null;
        List<FilmSource> asked = IMDB.equals(source) ? sources
                : sources.stream().filter(s -> s.name().equals(source)).toList();
        if (asked.isEmpty() || IMDB.equals(source) && imdb == null || id == null || id.isBlank() || id.length() > 100) {
            return Optional.empty();
        }
        List<SourceFilm> answers = new ArrayList<>();
        for (FilmSource s : asked) {
            try {
                s.details(imdb, imdb == null ? id.strip() : null).ifPresent(answers::add);
            } catch (SourceUnavailableException | RuntimeException e) {
                log.warn("adding {}:{}: source {} gave nothing: {}", source, id, s.name(), e.getMessage());
            }
        }
        if (answers.isEmpty()) {
            return Optional.empty();
        }
        Film film = catalog.keep(Merged.of(answers));
        catalog.refresh(film); // its torrents, as a film page would store them
        log.info("film {} ({}) added by {} id {}", film.getId(), film.getImdbId(), source, id);
        return films.findById(film.getId());
    }

    /** A film known only by its title (and year), for a torrent an administrator brings; the same one if it exists. */
    public Film byTitle(String title, Integer year) {
        Film film = transaction.execute(status -> films.findFirstByImdbIdIsNullAndTitleKeyAndYear(
                FilmIdentity.titleKey(title), year).orElseGet(() -> films.saveAndFlush(new Film(title, year, clock.instant()))));
        log.info("film {} \"{}\" ({}) added by title", film.getId(), film.getTitle(), year);
        return film;
    }
}
