package org.hypertube.playback;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.hypertube.AppTestBase;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Two instances reaching for the same lease at the same moment, on PostgreSQL with the database's clock:
 * exactly one gets it, every time, whether the lease is new or has just expired.
 */
class LeasesRaceWebTest extends AppTestBase {

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void ofTwoInstancesReachingForOneLeaseAtOnceExactlyOneGetsIt() throws Exception {
        LeaseTerms terms = new LeaseTerms(Duration.ofSeconds(15));
        Leases a = new Leases(jdbc, Clock.systemUTC(), Leases.databaseClock(jdbc), terms, "race-a", () -> "http://a:1");
        Leases b = new Leases(jdbc, Clock.systemUTC(), Leases.databaseClock(jdbc), terms, "race-b", () -> "http://b:1");
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 30; round++) {
                byte[] h = new byte[20];
                new Random().nextBytes(h);
                String hash = HexFormat.of().formatHex(h);
                if (round % 2 == 1) {   // an expired lease of a third instance instead of none
                    jdbc.update("insert into download_leases (info_hash, owner, address, expires_at) values "
                            + "(?, 'race-dead', null, current_timestamp - interval '1' minute)", hash);
                }
                CyclicBarrier together = new CyclicBarrier(2);
                Future<Boolean> byA = threads.submit(() -> {
                    together.await();
                    return a.acquire(hash).held();
                });
                Future<Boolean> byB = threads.submit(() -> {
                    together.await();
                    return b.acquire(hash).held();
                });
                assertThat(byA.get() ^ byB.get()).as("round %d: a %s, b %s", round, byA.get(), byB.get()).isTrue();
                String owner = jdbc.queryForObject("select owner from download_leases where info_hash = ?", String.class, hash);
                assertThat(owner).isEqualTo(byA.get() ? "race-a" : "race-b");
                jdbc.update("delete from download_leases where info_hash = ?", hash);
            }
        } finally {
            threads.shutdownNow();
        }
    }
}
