package org.hypertube.playback;

import java.util.List;
import java.util.Locale;
import org.hypertube.catalog.ServerCopies;
import org.springframework.data.domain.PageRequest;
import org.springframework.stereotype.Service;

/** What the catalog's pages show of the server's downloads: which films are ready, and each film's copies. */
@Service
class FilmCopies implements ServerCopies {

    private final DownloadRepository downloads;

    FilmCopies(DownloadRepository downloads) {
        this.downloads = downloads;
    }

    @Override
    public List<Long> readyFilms(int max) {
        return downloads.readyFilms(PageRequest.of(0, Math.max(1, max)));
    }

    @Override
    public List<Copy> copies(long filmId) {
        return downloads.findByFilmIdOrderByAddedAtDesc(filmId).stream()
                .map(d -> new Copy(d.getInfoHash().toLowerCase(Locale.ROOT), d.getName(), state(d.getState())))
                .toList();
    }

    private static State state(Download.State state) {
        return switch (state) {
            case COMPLETE -> State.READY;
            case ACTIVE -> State.DOWNLOADING;
            case PAUSED -> State.PAUSED;
            case FAILED -> State.FAILED;
        };
    }
}
