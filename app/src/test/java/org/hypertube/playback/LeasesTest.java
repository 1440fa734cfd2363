package org.hypertube.playback;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
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
    private final List<String> lostByA = new java.util.concurrent.CopyOnWriteArrayList<>();

    @BeforeEach
    void database() {
        jdbc = MigratedH2.open();
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
    void theOldOwnerLearnsOnItsNextRenewalThatItLostTheLease() throws Exception {
        a.acquire(HASH);
        clock.advance(LEASE.plusSeconds(1));   // a stalled past its lease
        b.acquire(HASH);
        a.renew();
        awaitLost();
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
        b.requestRemoval(HASH, "unwatched", true);
        assertThat(b.removalRequests()).isEmpty();
        assertThat(a.removalRequests()).containsEntry(HASH, "unwatched");
        assertThat(a.removalIfUnused(HASH)).isTrue();   // retention's: waits while anyone reads the film
        b.requestRemoval(HASH, "removed by an operator", false);
        assertThat(a.removalIfUnused(HASH)).isFalse();   // an administrator's: at once
        a.removed(HASH);   // done: the request goes with the row
        assertThat(jdbc.queryForObject("select count(*) from download_leases", Integer.class)).isZero();
    }

    @Test
    void anOwnerThatCouldNotRenewStopsTheTorrentBeforeAnotherMayTakeIt() throws Exception {
        a.acquire(HASH);
        jdbc.execute("alter table download_leases rename to download_leases_gone");   // the database is unreachable
        Duration fence = new LeaseTerms(LEASE).fenceAfter();
        clock.advance(fence.minusMillis(1));
        a.renewQuietly();
        assertThat(a.holds(HASH)).isTrue();
        clock.advance(Duration.ofMillis(1));
        a.renewQuietly();
        assertThat(a.holds(HASH)).isFalse();
        awaitLost();
        assertThat(lostByA).containsExactly(HASH);
        jdbc.execute("alter table download_leases_gone rename to download_leases");
        // Stopped while the lease was still alive in the database: nobody could have taken it yet.
        assertThat(b.acquire(HASH).held()).isFalse();
        clock.advance(LEASE.minus(fence));
        assertThat(b.acquire(HASH).held()).isTrue();
    }

    @Test
    void aStalledOwnerStopsOnItsOwnWithoutARenewalRound() throws Exception {
        a.acquire(HASH);
        clock.advance(new LeaseTerms(LEASE).fenceAfter());
        a.fence();
        awaitLost();
        assertThat(lostByA).containsExactly(HASH);
    }

    @Test
    void leaseTimesAreTheDatabasesSoAnInstanceWithItsClockAheadStealsNothing() {
        java.time.Clock ahead = java.time.Clock.offset(java.time.Clock.systemUTC(), Duration.ofHours(1));
        Leases onTime = new Leases(jdbc, java.time.Clock.systemUTC(), Leases.databaseClock(jdbc), new LeaseTerms(LEASE), "a",
                () -> "http://a:9000");
        Leases skewed = new Leases(jdbc, ahead, Leases.databaseClock(jdbc), new LeaseTerms(LEASE), "b", () -> "http://b:9000");
        assertThat(onTime.acquire(HASH).held()).isTrue();
        assertThat(skewed.acquire(HASH).held()).isFalse();
        assertThat(skewed.heldElsewhere(HASH)).isPresent();
    }

    @Test
    void fencingComesBeforeTheExpiry() {
        LeaseTerms terms = new LeaseTerms(LEASE);
        java.time.Instant renewed = clock.instant();
        assertThat(terms.fenceAfter()).isLessThan(LEASE);
        assertThat(terms.mustStop(renewed, renewed.plus(terms.renewEvery().multipliedBy(2)))).isFalse();   // two missed renewals
        assertThat(terms.mustStop(renewed, renewed.plus(terms.fenceAfter()))).isTrue();
        assertThat(new LeaseTerms(Duration.ofSeconds(3)).fenceAfter()).isEqualTo(Duration.ofSeconds(2));
    }

    private void awaitLost() throws InterruptedException {
        for (int i = 0; i < 500 && lostByA.isEmpty(); i++) {
            Thread.sleep(10);   // told on a thread of its own
        }
    }

    @Test
    void aLeaseReleasedBetweenTheReadAndTheWriteIsTakenOnTheRetry() {
        b.acquire(HASH);
        clock.advance(LEASE);   // b's lease expired; b releases it just as a writes
        java.util.concurrent.atomic.AtomicBoolean first = new java.util.concurrent.atomic.AtomicBoolean(true);
        Leases racing = new Leases(jdbc, clock, new LeaseTerms(LEASE), "a", () -> {
            if (first.getAndSet(false)) {
                jdbc.update("delete from download_leases where info_hash = ?", HASH);
            }
            return "http://a:9000";
        });
        assertThat(racing.acquire(HASH).held()).isTrue();
        assertThat(b.heldElsewhere(HASH)).hasValueSatisfying(l -> assertThat(l.owner()).isEqualTo("a"));
    }

    @Test
    void anAddressTooLongForTheLeaseRowIsRefusedAtStart() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new LeaseProperties(LEASE, "127.0.0.1:0",
                        "http://h/" + "x".repeat(LeaseProperties.MAX_URL), "s".repeat(40)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("HYPERTUBE_CLUSTER_URL");
    }

    @Test
    void aRemovalRequestOutlivesTheOwnerGivingTheLeaseUp() {
        a.acquire(HASH);
        b.requestRemoval(HASH, "unwatched", true);
        a.release(HASH);   // a stops seeding, or shuts down, before its next upkeep
        assertThat(b.acquire(HASH).held()).isTrue();   // given up: free at once
        assertThat(b.removalRequests()).containsEntry(HASH, "unwatched");

        b.releaseAll();
        assertThat(a.acquire(HASH).held()).isTrue();
        assertThat(a.removalRequests()).containsEntry(HASH, "unwatched");
    }

    @Test
    void aRemovalRequestWithNoLeaseRowSaysSo() {
        assertThat(b.requestRemoval(HASH, "unwatched", true)).isFalse();
        a.acquire(HASH);
        assertThat(b.requestRemoval(HASH, "unwatched", true)).isTrue();
    }

    @Test
    void theSecretIsNeverPrinted() {
        String secret = "a-cluster-secret-of-enough-length-" + UUID.randomUUID();
        LeaseProperties properties = new LeaseProperties(LEASE, "127.0.0.1:0", "", secret);
        assertThat(properties.toString()).doesNotContain(secret).contains("127.0.0.1:0");
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
