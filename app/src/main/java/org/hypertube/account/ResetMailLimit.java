package org.hypertube.account;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * How many password-reset mails may go out: at most {@value #PER_ACCOUNT} an hour to one account
 * (whether it was named by e-mail or username) and {@value #PER_ADDRESS} requests an hour from one
 * client address (a setting), so nobody can flood a mailbox or our SMTP server. A refused request still gets the
 * same neutral answer. Kept in memory (bounded), so it resets on restart, like {@link LoginThrottle}.
 */
@Component
class ResetMailLimit {

    static final int PER_ACCOUNT = 3;
    static final int PER_ADDRESS = 20;
    static final Duration WINDOW = Duration.ofHours(1);

    private final Clock clock;
    private final int perAddress;
    /** The times of the allowed requests of each key within the last {@link #WINDOW}. */
    private final Cache<String, List<Instant>> recent = Caffeine.newBuilder()
            .maximumSize(100_000)
            .expireAfterWrite(WINDOW)
            .build();

    ResetMailLimit(Clock clock) {
        this(clock, PER_ADDRESS);
    }

    /**
     * {@code perAddress}: {@code hypertube.account.reset-mails-per-address}, for a server whose members
     * share one address (a school behind NAT), and for the test suite, whose many resets all come from 127.0.0.1.
     */
    @Autowired
    ResetMailLimit(Clock clock, @Value("${hypertube.account.reset-mails-per-address:" + PER_ADDRESS + "}") int perAddress) {
        if (perAddress < 1) {
            throw new IllegalArgumentException("hypertube.account.reset-mails-per-address must be at least 1, was " + perAddress);
        }
        this.clock = clock;
        this.perAddress = perAddress;
    }

    /** Counts a request from this client address; false when the address has asked too often. */
    boolean fromAddress(String address) {
        return address == null || take("addr:" + address, perAddress);
    }

    /** Counts a mail to this member; false when they were sent enough already. */
    boolean toMember(long memberId) {
        return take("member:" + memberId, PER_ACCOUNT);
    }

    private boolean take(String key, int limit) {
        Instant now = clock.instant();
        Instant since = now.minus(WINDOW);
        boolean[] allowed = {false};
        recent.asMap().compute(key, (k, times) -> {
            List<Instant> kept = new ArrayList<>();
            if (times != null) {
                times.stream().filter(t -> t.isAfter(since)).forEach(kept::add);
            }
            if (kept.size() < limit) {
                kept.add(now);
                allowed[0] = true;
            }
            return List.copyOf(kept);
        });
        return allowed[0];
    }
}
