package org.hypertube.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;
import org.hypertube.catalog.Catalog;
import org.hypertube.catalog.Film;
import org.hypertube.catalog.FilmAdditions;
import org.hypertube.playback.FilmDownloads;
import org.hypertube.torrent.Magnet;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ResponseStatusException;

/** An administrator's POST /movies: a film by magnet link or by a source's id, its download started. */
@Component
class MovieAdditions {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(MovieAdditions.class);

    /** See {@link MoviesApi#add}: a magnet (with movieId, or title and year), or source and sourceId. */
    record NewMovie(@Size(max = Magnet.MAX_LENGTH) String magnet, Long movieId, @Size(min = 1, max = 300) String title,
                    @Min(1870) @Max(2200) Integer year, @Size(max = 40) String source, @Size(max = 100) String sourceId) {
    }

    /** The film and, for a magnet, the info-hash of the download that started. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Added(long id, String name, String infoHash, boolean downloading) {
    }

    private final Catalog catalog;
    private final FilmAdditions films;
    private final FilmDownloads downloads;

    MovieAdditions(Catalog catalog, FilmAdditions films, FilmDownloads downloads) {
        this.catalog = catalog;
        this.films = films;
        this.downloads = downloads;
    }

    Added add(NewMovie body, long memberId) {
        if (body.magnet() != null) {
            return byMagnet(body, memberId);
        }
        if (body.source() != null && body.sourceId() != null) {
            if (!films.sourceNames().contains(body.source())) {
                throw refused("source must be one of " + films.sourceNames() + ".");
            }
            Film film = films.bySourceId(body.source(), body.sourceId())
                    .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "No source knows this film."));
            return new Added(film.getId(), film.getTitle(), null, start(film.getId()));
        }
        throw refused("Give magnet (with movieId, or title), or source and sourceId.");
    }

    private Added byMagnet(NewMovie body, long memberId) {
        Magnet magnet;
        try {
            magnet = Magnet.parse(body.magnet().strip());
        } catch (RuntimeException e) {
            throw refused("magnet is not a usable magnet link.");
        }
        Film film;
        if (body.movieId() != null) {
            film = catalog.find(body.movieId())
                    .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "No such film."));
        } else {
            String title = body.title() != null && !body.title().isBlank() ? body.title().strip()
                    : magnet.displayName().orElseThrow(() -> refused("Give movieId or title with a magnet that has no name."));
            film = films.byTitle(title, body.year());
        }
        try {
            String hash = downloads.addMagnet(body.magnet().strip(), film.getId(), memberId);
            return new Added(film.getId(), film.getTitle(), hash, true);
        } catch (FilmDownloads.Refused e) {
            throw refused("The download was refused (" + e.code() + ").");
        }
    }

    /** The film is in the catalog either way; its download may have to wait (disk quota), as a Play would. */
    private boolean start(long filmId) {
        try {
            return downloads.start(filmId);
        } catch (FilmDownloads.Refused e) {
            log.info("film {}: added, its download not started: {}", filmId, e.getMessage());
            return false;
        }
    }

    private static ResponseStatusException refused(String detail) {
        return new ResponseStatusException(HttpStatus.UNPROCESSABLE_CONTENT, detail);
    }
}
