package org.hypertube.playback;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.hypertube.AppTestBase;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * On PostgreSQL, with the application's own beans: the variants handed to a member for a film go once an
 * administrator removed the film's download and the sweep ran; those of a film still downloaded stay.
 */
class HandedVariantsSweepWebTest extends AppTestBase {

    @Autowired
    HandedVariants handed;
    @Autowired
    Downloads downloads;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    Clock clock;

    @Test
    void aRemovedFilmsHandedVariantsAreGoneAfterTheSweep() {
        Instant now = clock.instant();
        String name = uniqueName("h");
        jdbc.update("insert into members (email, email_key, username, username_key, first_name, last_name, created_at)"
                + " values (?, ?, ?, ?, 'H', 'V', ?)", name + "@example.org", name + "@example.org", name, name, Timestamp.from(now));
        long member = jdbc.queryForObject("select id from members where username = ?", Long.class, name);
        long removed = film("Removed " + name, now);
        long kept = film("Kept " + name, now);
        long removedDownload = download(removed, now);
        download(kept, now);
        handed.hand(member, removed, Set.of("a0-720", "a0-480"));
        handed.hand(member, kept, Set.of("a0-720"));

        assertThat(downloads.remove(downloads.find(removedDownload).orElseThrow(), "removed by a test")).isTrue();
        handed.sweep(now.plus(HandedVariants.GRACE).plusSeconds(1));

        assertThat(rows(member, removed)).isZero();
        assertThat(rows(member, kept)).isOne();
        assertThat(handed.handed(member, removed, "a0-720")).isFalse();
        assertThat(handed.handed(member, kept, "a0-720")).isTrue();
    }

    private long film(String title, Instant now) {
        jdbc.update("insert into films (title, title_key, created_at, updated_at) values (?, ?, ?, ?)",
                title, title.toLowerCase(), Timestamp.from(now), Timestamp.from(now));
        return jdbc.queryForObject("select id from films where title = ?", Long.class, title);
    }

    private long download(long film, Instant now) {
        byte[] hash = new byte[20];
        ThreadLocalRandom.current().nextBytes(hash);
        String infoHash = HexFormat.of().formatHex(hash);
        jdbc.update("insert into downloads (info_hash, film_id, state, added_at) values (?, ?, 'COMPLETE', ?)",
                infoHash, film, Timestamp.from(now));
        return jdbc.queryForObject("select id from downloads where info_hash = ?", Long.class, infoHash);
    }

    private int rows(long member, long film) {
        return jdbc.queryForObject("select count(*) from handed_variants where member_id = ? and film_id = ?",
                Integer.class, member, film);
    }
}
