package org.hypertube.playback;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Whether a film is in use: read by a viewer on any instance within {@link #IN_USE}. Each read is noted here
 * at once and in the database ({@code film_use}, the database's time) at most every {@link #WRITE_EVERY}
 * per film, so retention, the disk quota and the owner of a download asked to remove it spare a film that
 * another instance is streaming from the shared folder.
 */
@Component
class FilmUse {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(FilmUse.class);

    static final Duration IN_USE = Duration.ofMinutes(10);
    static final Duration WRITE_EVERY = Duration.ofMinutes(1);

    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final Supplier<Instant> databaseTime;
    private final Map<String, Instant> here = new ConcurrentHashMap<>();
    private final Map<String, Instant> written = new ConcurrentHashMap<>();

    @Autowired
    FilmUse(JdbcTemplate jdbc, Clock clock) {
        this(jdbc, clock, Leases.databaseClock(jdbc));
    }

    FilmUse(JdbcTemplate jdbc, Clock clock, Supplier<Instant> databaseTime) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.databaseTime = databaseTime;
    }

    /** A viewer read the film now. */
    void used(String infoHash) {
        Instant now = clock.instant();
        here.put(infoHash, now);
        Instant last = written.get(infoHash);
        if (last != null && Duration.between(last, now).compareTo(WRITE_EVERY) < 0) {
            return;
        }
        written.put(infoHash, now);
        try {
            OffsetDateTime at = OffsetDateTime.ofInstant(databaseTime.get(), java.time.ZoneOffset.UTC);
            if (jdbc.update("update film_use set used_at = ? where info_hash = ?", at, infoHash) == 0) {
                try {
                    jdbc.update("insert into film_use (info_hash, used_at) values (?, ?)", infoHash, at);
                } catch (DuplicateKeyException e) {
                    jdbc.update("update film_use set used_at = ? where info_hash = ?", at, infoHash);
                }
            }
        } catch (org.springframework.dao.DataAccessException e) {
            written.remove(infoHash);   // tried again on the next read; the viewer is not failed for it
            log.warn("{} use not noted in the database: {}", infoHash, e.toString());
        }
    }

    /** Whether anyone read the film in the last {@link #IN_USE}, on this instance or another. */
    boolean inUse(String infoHash) {
        Instant last = here.get(infoHash);
        if (last != null && Duration.between(last, clock.instant()).compareTo(IN_USE) < 0) {
            return true;
        }
        Instant now = databaseTime.get();
        return jdbc.queryForList("select used_at from film_use where info_hash = ?", OffsetDateTime.class, infoHash).stream()
                .anyMatch(at -> Duration.between(at.toInstant(), now).compareTo(IN_USE) < 0);
    }

    /** The film was deleted: its use goes with it. */
    void forget(String infoHash) {
        here.remove(infoHash);
        written.remove(infoHash);
        jdbc.update("delete from film_use where info_hash = ?", infoHash);
    }
}
