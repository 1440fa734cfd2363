package org.hypertube.playback;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.hypertube.torrent.testing.ManualClock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Download leases between two instances, "a" and "b", on one database (H2 in memory, the application's
 * own migrations) and one manual clock: who may run a torrent, and when the other may take it over.
 */
class LeasesTest {

    private static final String HASH = "0123456789abcdef0123456789abcdef01234567";
    private static final Duration LEASE = Duration.ofSeconds(15);

    private final ManualClock clock = new ManualClock();
    private JdbcTemplate jdbc;
    private Leases a;
    private Leases b;
    private final List<String> lostByA = new ArrayList<>();

    @BeforeEach
    void database() {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:" + UUID.randomUUID() + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1");
        ds.setUser("sa");
        Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
        jdbc = new JdbcTemplate(ds);
        a = new Leases(jdbc, clock, new LeaseTerms(LEASE), "a", () -> "http://a:9000");
        b = new Leases(jdbc, clock, new LeaseTerms(LEASE), "b", () -> "http://b:9000");
        a.onLost(lostByA::add);
    }

    @Test
    void aFreeLeaseGoesToTheFirstAndTheOtherSeesItsAddress() {
        assertThat(a.acquire(HASH).held()).isTrue();
        assertThat(b.acquire(HASH).held()).isFalse();
        assertThat(b.heldElsewhere(HASH)).hasValueSatisfying(l -> {
            assertThat(l.owner()).isEqualTo("a");
            assertThat(l.address()).isEqualTo("http://a:9000");
        });
        assertThat(a.heldElsewhere(HASH)).isEmpty();
        assertThat(a.acquire(HASH).held()).isTrue();   // its own, again (a restart under the same name)
    }

    @Test
    void aRenewedLeaseIsNeverStolen() {
        a.acquire(HASH);
        for (int i = 0; i < 10; i++) {
            clock.advance(LEASE.dividedBy(3));
            a.renew();
            assertThat(b.acquire(HASH).held()).isFalse();
        }
        assertThat(lostByA).isEmpty();
    }

    @Test
    void anExpiredLeaseIsTakenOverOnlyAfterItsExpiry() {
        a.acquire(HASH);
        clock.advance(LEASE.minusMillis(1));
        assertThat(b.acquire(HASH).held()).isFalse();
        clock.advance(Duration.ofMillis(1));
        Leases.Acquired taken = b.acquire(HASH);
        assertThat(taken.held()).isTrue();
        assertThat(taken.before().owner()).isEqualTo("a");
        assertThat(a.heldElsewhere(HASH)).hasValueSatisfying(l -> assertThat(l.address()).isEqualTo("http://b:9000"));
    }

    @Test
    void theOldOwnerLearnsOnItsNextRenewalThatItLostTheLease() {
        a.acquire(HASH);
        clock.advance(LEASE.plusSeconds(1));   // a stalled past its lease
        b.acquire(HASH);
        a.renew();
        assertThat(lostByA).containsExactly(HASH);
        assertThat(a.holds(HASH)).isFalse();
        assertThat(b.acquire(HASH).held()).isTrue();
    }

    @Test
    void aCleanShutdownReleasesTheLeaseAtOnce() {
        a.acquire(HASH);
        a.releaseAll();
        assertThat(b.acquire(HASH).held()).isTrue();   // no waiting for the expiry
    }

    @Test
    void aRemovalAskedOfTheOwnerReachesOnlyTheOwner() {
        a.acquire(HASH);
        b.requestRemoval(HASH, "unwatched");
        assertThat(b.removalRequests()).isEmpty();
        assertThat(a.removalRequests()).containsEntry(HASH, "unwatched");
        a.release(HASH);
        assertThat(jdbc.queryForObject("select count(*) from download_leases", Integer.class)).isZero();
    }

    @Test
    void termsRenewAThirdOfTheWay() {
        LeaseTerms terms = new LeaseTerms(LEASE);
        assertThat(terms.renewEvery()).isEqualTo(Duration.ofSeconds(5));
        Lease live = new Lease(HASH, "a", null, clock.instant().plus(LEASE), null);
        assertThat(terms.mayTake(live, "b", clock.instant())).isFalse();
        assertThat(terms.mayTake(live, "a", clock.instant())).isTrue();
        assertThat(terms.mayTake(live, "b", clock.instant().plus(LEASE))).isTrue();
        assertThat(terms.mayTake(null, "b", clock.instant())).isTrue();
    }
}
