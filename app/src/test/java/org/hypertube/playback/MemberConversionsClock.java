package org.hypertube.playback;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

/**
 * The clock of the shared test application's {@link MemberConversions}: the real time, plus whatever a test moved
 * it forward by, so a web test can let a film go idle for {@link MemberConversions#IDLE} without waiting for it. Only
 * the per-member count of converted films sees it (the app's one {@code Clock} also drives leases, which a jump would
 * fence), and a jump only ages entries, of members each test makes for itself.
 */
@TestConfiguration(proxyBeanMethods = false)
public class MemberConversionsClock {

    private volatile Duration ahead = Duration.ZERO;

    /** Moves the count's time forward by {@code d}. */
    public void advance(Duration d) {
        ahead = ahead.plus(d);
    }

    @Bean
    @Primary
    MemberConversions movedMemberConversions() {
        return new MemberConversions(new Clock() {
            @Override
            public Instant instant() {
                return Instant.now().plus(ahead);
            }

            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return this;
            }
        });
    }
}
