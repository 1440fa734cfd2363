package org.hypertube.playback;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Timestamp;
import java.time.Duration;
import java.util.Set;
import org.hypertube.torrent.testing.ManualClock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/** When the variants handed to a member are forgotten (one database, the application's migrations, a manual clock). */
class HandedVariantsTest {

    private final ManualClock clock = new ManualClock();
    private JdbcTemplate jdbc;
    private HandedVariants handed;
    private long member;
    private long kept;
    private long removed;

    @BeforeEach
    void database() {
        jdbc = MigratedH2.open();
        handed = new HandedVariants(jdbc, clock);
        Timestamp now = Timestamp.from(clock.instant());
        jdbc.update("insert into members (email, email_key, username, username_key, first_name, last_name, created_at)"
                + " values ('a@example.org', 'a@example.org', 'ada', 'ada', 'Ada', 'L', ?)", now);
        member = jdbc.queryForObject("select id from members", Long.class);
        kept = film("Kept", now);
        removed = film("Removed", now);
        jdbc.update("insert into downloads (info_hash, film_id, state, added_at) values (?, ?, 'COMPLETE', ?)",
                "0123456789abcdef0123456789abcdef01234567", kept, now);
    }

    @Test
    void aFilmsRowsGoWithItsDownloadAfterAShortGrace() {
        handed.hand(member, kept, Set.of("a0-720"));
        handed.hand(member, removed, Set.of("a0-720"));
        clock.advance(HandedVariants.GRACE.minusSeconds(1));
        assertThat(handed.sweep(clock.instant())).isZero(); // a Play may hand before its download's row exists
        clock.advance(Duration.ofSeconds(2));
        assertThat(handed.sweep(clock.instant())).isEqualTo(1);
        assertThat(handed.handed(member, removed, "a0-720")).isFalse();
        assertThat(handed.handed(member, kept, "a0-720")).isTrue();
    }

    @Test
    void aRowHandedAgainStaysAndOneNotHandedForAWeekGoesEvenWithItsDownload() {
        handed.hand(member, kept, Set.of("a0-720"));
        for (int hour = 0; hour < 24 * 8; hour++) { // a page polling its status for eight days
            clock.advance(Duration.ofHours(1));
            handed.hand(member, kept, Set.of("a0-720"));
            handed.sweep(clock.instant());
        }
        assertThat(handed.handed(member, kept, "a0-720")).isTrue();
        clock.advance(HandedVariants.KEEP.minusMinutes(1));
        assertThat(handed.sweep(clock.instant())).isZero();
        clock.advance(Duration.ofMinutes(2));
        assertThat(handed.sweep(clock.instant())).isEqualTo(1);
        assertThat(handed.handed(member, kept, "a0-720")).isFalse();
    }

    private long film(String title, Timestamp now) {
        jdbc.update("insert into films (title, title_key, created_at, updated_at) values (?, ?, ?, ?)",
                title, title.toLowerCase(), now, now);
        return jdbc.queryForObject("select id from films where title = ?", Long.class, title);
    }
}
