package org.hypertube.playback;

import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.hypertube.catalog.WatchMarks;
import org.springframework.data.domain.PageRequest;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Watch progress: saved by the player every few seconds, read for Play (resume), thumbnails and the home page. */
@Service
class WatchHistory implements WatchMarks {

    private final WatchProgressRepository repository;
    private final DownloadRepository downloads;
    private final Clock clock;

    WatchHistory(WatchProgressRepository repository, DownloadRepository downloads, Clock clock) {
        this.repository = repository;
        this.downloads = downloads;
        this.clock = clock;
    }

    /** Records where the member is; marks the film watched near the end and the download as recently used. */
    @Transactional
    void record(long memberId, long filmId, String infoHash, double position, double duration) {
        if (!Double.isFinite(position) || !Double.isFinite(duration) || position < 0 || duration <= 0
                || duration > 100 * 3600) {
            throw new IllegalArgumentException("position and duration must be seconds within the film");
        }
        Instant now = clock.instant();
        WatchProgress progress = repository.findById(new WatchProgress.Key(memberId, filmId))
                .orElseGet(() -> new WatchProgress(memberId, filmId));
        progress.update((int) Math.round(Math.min(position, duration)), (int) Math.round(duration), now);
        repository.save(progress);
        if (infoHash != null) {
            downloads.touch(infoHash, now);
        }
    }

    int resumeAt(long memberId, long filmId) {
        return repository.findById(new WatchProgress.Key(memberId, filmId)).map(WatchProgress::resumeAt).orElse(0);
    }

    /** The member behind a request's principal, if it is one of ours. */
    static java.util.OptionalLong memberId(java.security.Principal principal) {
        if (principal instanceof org.springframework.security.core.Authentication auth
                && auth.getPrincipal() instanceof org.hypertube.account.MemberPrincipal member) {
            return java.util.OptionalLong.of(member.id());
        }
        return java.util.OptionalLong.empty();
    }

    @Override
    public Map<Long, Mark> marks(java.security.Principal member, Collection<Long> filmIds) {
        java.util.OptionalLong id = memberId(member);
        return id.isPresent() ? marks(id.getAsLong(), filmIds) : Map.of();
    }

    @Override
    public List<Long> continueWatching(java.security.Principal member, int max) {
        java.util.OptionalLong id = memberId(member);
        return id.isPresent() ? continueWatching(id.getAsLong(), max) : List.of();
    }

    Map<Long, Mark> marks(long memberId, Collection<Long> filmIds) {
        Map<Long, Mark> marks = new HashMap<>();
        if (filmIds.isEmpty()) {
            return marks;
        }
        for (WatchProgress p : repository.forFilms(memberId, filmIds)) {
            marks.put(p.getFilmId(), new Mark(p.isWatched(), p.percent()));
        }
        return marks;
    }

    List<Long> continueWatching(long memberId, int max) {
        return repository.started(memberId, PageRequest.of(0, max)).stream().map(WatchProgress::getFilmId).toList();
    }
}
