package org.hypertube.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/** Expired authorizations are purged, live ones kept; on our migrations (H2, as the single-JAR default), at a set time. */
class AuthorizationPurgeTest {

    private static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");

    private final JdbcTemplate jdbc = migratedDatabase();
    private final AuthorizationPurge purge = new AuthorizationPurge(jdbc, Clock.fixed(NOW, ZoneOffset.UTC));

    private static JdbcTemplate migratedDatabase() {
        var source = new DriverManagerDataSource("jdbc:h2:mem:purge" + System.nanoTime()
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1", "sa", "");
        Flyway.configure().dataSource(source).locations("classpath:db/migration").load().migrate();
        JdbcTemplate jdbc = new JdbcTemplate(source);
        jdbc.update("""
                insert into oauth2_registered_client (id, client_id, client_name, client_authentication_methods,
                    authorization_grant_types, scopes, client_settings, token_settings)
                values ('client', 'client', 'A program', 'client_secret_basic', 'client_credentials', 'read', '{}', '{}')""");
        return jdbc;
    }

    /** A row as the store writes it: {@code access}/{@code refresh} are expiry times (null: no such token). */
    private void row(String id, Duration savedAgo, Duration accessExpiresIn, Duration refreshExpiresIn) {
        jdbc.update("""
                insert into oauth2_authorization (id, registered_client_id, principal_name, authorization_grant_type,
                    access_token_value, access_token_expires_at, refresh_token_value, refresh_token_expires_at, saved_at)
                values (?, 'client', 'someone', 'client_credentials', ?, ?, ?, ?, ?)""",
                id, accessExpiresIn == null ? null : "a-" + id, at(accessExpiresIn),
                refreshExpiresIn == null ? null : "r-" + id, at(refreshExpiresIn), Timestamp.from(NOW.minus(savedAgo)));
    }

    private static Timestamp at(Duration fromNow) {
        return fromNow == null ? null : Timestamp.from(NOW.plus(fromNow));
    }

    @Test
    void onlyAuthorizationsNoInstanceCanUseAnyMoreArePurgedAndASecondRunFindsNothing() {
        row("expired-access", Duration.ofHours(2), Duration.ofHours(-1), null);
        row("live-access", Duration.ofMinutes(10), Duration.ofMinutes(50), null);
        row("just-expired", Duration.ofHours(1), Duration.ofMinutes(-2), null); // within the clock grace
        row("expired-access-live-refresh", Duration.ofDays(3), Duration.ofDays(-3), Duration.ofDays(20));
        row("all-expired", Duration.ofDays(40), Duration.ofDays(-40), Duration.ofDays(-10));
        row("consent-under-way", Duration.ofMinutes(5), null, null);
        row("consent-left", Duration.ofDays(2), null, null);

        assertThat(purge.purge(NOW)).isEqualTo(3);

        assertThat(jdbc.queryForList("select id from oauth2_authorization order by id", String.class))
                .isEqualTo(List.of("consent-under-way", "expired-access-live-refresh", "just-expired", "live-access"));
        assertThat(purge.purge(NOW)).isZero(); // another instance's run right after: nothing left to do
        assertThat(purge.purge(NOW.plus(Duration.ofHours(1)))).isEqualTo(2); // live-access and just-expired in their turn
    }

    @Test
    void aRowWrittenWithoutSavedAtGetsTheTimeItWasWritten() {
        jdbc.update("insert into oauth2_authorization (id, registered_client_id, principal_name, authorization_grant_type) "
                + "values ('x', 'client', 'someone', 'authorization_code')");
        assertThat(jdbc.queryForObject("select saved_at from oauth2_authorization", Timestamp.class)).isNotNull();
    }
}
