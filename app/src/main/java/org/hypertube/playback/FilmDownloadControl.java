package org.hypertube.playback;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Service;

/** {@link FilmDownloads} over the downloads, the playback state and the watch history. */
@Service
class FilmDownloadControl implements FilmDownloads {

    private final Downloads downloads;
    private final WatchProgressRepository progress;
    private final PlayAdmission admission;

    FilmDownloadControl(Downloads downloads, WatchProgressRepository progress, PlayAdmission admission) {
        this.downloads = downloads;
        this.progress = progress;
        this.admission = admission;
    }

    @Override
    public String addMagnet(String magnet, long filmId, long memberId) throws Refused {
        try {
            admission.administrator().reserve(); // the disk quota, as for an administrator's Play or a source's film
            return downloads.add(magnet, null, filmId, memberId).getInfoHash();
        } catch (PlayRefused e) {
            throw new Refused(e.messageKey, e.getMessage());
        } catch (Downloads.Refused e) {
            throw new Refused(e.messageKey, e.getMessage());
        } catch (IOException e) {
            throw new Refused("downloads.badTorrent", e.getMessage());
        }
    }

    @Override
    public boolean start(long filmId) throws Refused {
        try {
            return downloads.forFilm(filmId, admission.administrator(), true).isPresent(); // an administrator: resumes a pause
        } catch (PlayRefused e) {
            throw new Refused(e.messageKey, e.getMessage());
        }
    }

    @Override
    public int stop(long filmId, String why) {
        // What is kept of each film goes when it is actually removed (Downloads.onRemoved), not when only asked.
        return downloads.removeFilm(filmId, why).size();
    }

    @Override
    public Optional<WatchState> watchState(long memberId, long filmId) {
        return progress.findById(new WatchProgress.Key(memberId, filmId))
                .map(p -> new WatchState(p.getPositionSeconds(), p.isWatched()));
    }
}
