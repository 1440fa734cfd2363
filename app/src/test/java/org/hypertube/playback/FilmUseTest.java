package org.hypertube.playback;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.OffsetDateTime;
import org.hypertube.torrent.testing.ManualClock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/** A film read on one instance is in use for every instance of the cluster (one database, one manual clock). */
class FilmUseTest {

    private static final String HASH = "0123456789abcdef0123456789abcdef01234567";

    private final ManualClock clock = new ManualClock();
    private JdbcTemplate jdbc;
    private FilmUse a;
    private FilmUse b;

    @BeforeEach
    void database() {
        jdbc = MigratedH2.open();
        a = new FilmUse(jdbc, clock, clock::instant);
        b = new FilmUse(jdbc, clock, clock::instant);
    }

    @Test
    void aFilmReadOnOneInstanceIsInUseOnTheOtherUntilNobodyReadItForAWhile() {
        assertThat(b.inUse(HASH)).isFalse();
        a.used(HASH);
        assertThat(b.inUse(HASH)).isTrue();
        clock.advance(FilmUse.IN_USE.minusSeconds(1));
        assertThat(b.inUse(HASH)).isTrue();
        clock.advance(Duration.ofSeconds(1));
        assertThat(b.inUse(HASH)).isFalse();
        assertThat(a.inUse(HASH)).isFalse();
    }

    @Test
    void readsAreWrittenAtMostOnceAMinutePerFilm() {
        a.used(HASH);
        OffsetDateTime first = usedAt();
        clock.advance(FilmUse.WRITE_EVERY.minusSeconds(1));
        a.used(HASH);
        assertThat(usedAt()).isEqualTo(first);
        clock.advance(Duration.ofSeconds(1));
        a.used(HASH);
        assertThat(usedAt()).isAfter(first);
    }

    @Test
    void aDeletedFilmIsNoLongerInUse() {
        a.used(HASH);
        b.forget(HASH);
        assertThat(b.inUse(HASH)).isFalse();
    }

    private OffsetDateTime usedAt() {
        return jdbc.queryForObject("select used_at from film_use where info_hash = ?", OffsetDateTime.class, HASH);
    }
}
