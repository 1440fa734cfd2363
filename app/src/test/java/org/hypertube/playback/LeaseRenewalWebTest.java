package org.hypertube.playback;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledFuture;
import org.hypertube.AppTestBase;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.scheduling.TaskScheduler;

/**
 * A download's lease is renewed while the application's other scheduled jobs are stuck (a long upkeep under
 * the Downloads lock, the disk quota deleting files): those share one scheduler thread for fixed-delay
 * jobs, and a lease queued behind them expired while its owner still ran the torrent.
 */
class LeaseRenewalWebTest extends AppTestBase {

    @Autowired
    Leases leases;
    @Autowired
    TaskScheduler scheduler;

    @Test
    void leasesAreRenewedWhileAnotherScheduledJobIsStuck() throws Exception {
        byte[] h = new byte[20];
        new Random().nextBytes(h);
        String hash = HexFormat.of().formatHex(h);
        assertThat(leases.acquire(hash).held()).isTrue();
        Instant first = leases.find(hash).orElseThrow().expiresAt();
        CountDownLatch stuck = new CountDownLatch(1);
        CountDownLatch running = new CountDownLatch(1);
        ScheduledFuture<?> job = scheduler.scheduleWithFixedDelay(() -> {
            running.countDown();
            try {
                stuck.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, Duration.ofHours(1));
        try {
            assertThat(running.await(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            // Two renewal periods and a margin: bounds for "renewed at all", not a timing.
            long until = System.nanoTime() + leases.terms().renewEvery().multipliedBy(3).toNanos();
            Instant now = first;
            while (!now.isAfter(first) && System.nanoTime() < until) {
                Thread.sleep(200);
                now = leases.find(hash).orElseThrow().expiresAt();
            }
            assertThat(now).as("the lease's expiry after renewals").isAfter(first);
            assertThat(leases.holds(hash)).isTrue();
        } finally {
            stuck.countDown();
            job.cancel(true);
            leases.release(hash);
        }
    }
}
