package org.hypertube.playback;

import static org.assertj.core.api.Assertions.assertThat;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * The subtitle appearance on the embedded default database (H2 in PostgreSQL mode, the README's run command):
 * the web tests run on PostgreSQL only, and H2 refused the PostgreSQL-only upsert this once used (a 500 on
 * every change of the appearance).
 */
class PlayerSettingsH2Test {

    @Test
    void aMembersAppearanceIsKeptAndChangedOnTheDefaultDatabase() {
        var source = new DriverManagerDataSource("jdbc:h2:mem:settings-" + System.nanoTime()
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1");
        Flyway.configure().dataSource(source).load().migrate();
        var jdbc = new JdbcTemplate(source);
        long alice = member(jdbc, "alice");
        long bob = member(jdbc, "bob");
        var settings = new PlayerSettings(jdbc);
        var large = new PlayerSettings.Subtitles(PlayerSettings.Size.L, PlayerSettings.Background.SOLID);
        var small = new PlayerSettings.Subtitles(PlayerSettings.Size.S, PlayerSettings.Background.NONE);

        assertThat(settings.of(alice)).isEqualTo(PlayerSettings.Subtitles.DEFAULT);
        settings.save(alice, large);
        assertThat(settings.of(alice)).isEqualTo(large);
        settings.save(alice, small);
        assertThat(settings.of(alice)).isEqualTo(small);
        assertThat(settings.of(bob)).isEqualTo(PlayerSettings.Subtitles.DEFAULT);
    }

    private static long member(JdbcTemplate jdbc, String name) {
        jdbc.update("insert into members (email, email_key, username, username_key, first_name, last_name, created_at)"
                + " values (?, ?, ?, ?, 'A', 'B', current_timestamp)", name + "@example.org", name + "@example.org", name, name);
        return jdbc.queryForObject("select id from members where username_key = ?", Long.class, name);
    }
}
