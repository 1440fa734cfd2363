package org.hypertube.playback;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.stereotype.Component;

/**
 * Download leases in the database ({@code download_leases}), under the rules of {@link LeaseTerms}:
 * only the instance holding a download's lease runs its torrent. Taking a lease is one conditional
 * statement, so of two instances reaching for the same expired lease exactly one gets it. On one
 * instance (H2 or PostgreSQL) that instance always wins its leases.
 */
@Component
class Leases implements SchedulingConfigurer {

    private static final Logger log = LoggerFactory.getLogger(Leases.class);

    /** The outcome of {@link #acquire}: held by this instance now, and the lease as it was before. */
    record Acquired(boolean held, Lease before) {}

    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final LeaseTerms terms;
    private final String me;
    private final Supplier<String> address;
    private final Set<String> mine = ConcurrentHashMap.newKeySet();
    private volatile Consumer<String> onLost = hash -> { };

    @Autowired
    Leases(JdbcTemplate jdbc, Clock clock, LeaseTerms terms, @Value("${hypertube.instance}") String me,
           ClusterListener listener) {
        this(jdbc, clock, terms, me, listener::address);
    }

    Leases(JdbcTemplate jdbc, Clock clock, LeaseTerms terms, String me, Supplier<String> address) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.terms = terms;
        this.me = me.length() > 200 ? me.substring(0, 200) : me;
        this.address = address;
    }

    String me() {
        return me;
    }

    LeaseTerms terms() {
        return terms;
    }

    /** Called with the info-hash of a lease another instance took from this one (it must stop the torrent). */
    void onLost(Consumer<String> listener) {
        this.onLost = listener;
    }

    Optional<Lease> find(String infoHash) {
        return jdbc.query("select * from download_leases where info_hash = ?", Leases::lease, infoHash).stream().findFirst();
    }

    /** The lease of another instance that is alive now, if there is one. */
    Optional<Lease> heldElsewhere(String infoHash) {
        Instant now = clock.instant();
        return find(infoHash).filter(l -> !l.owner().equals(me) && l.liveAt(now));
    }

    boolean holds(String infoHash) {
        return mine.contains(infoHash);
    }

    /** Takes the download's lease if it is free, expired or already this instance's. */
    Acquired acquire(String infoHash) {
        Instant now = clock.instant();
        Lease before = find(infoHash).orElse(null);
        if (!terms.mayTake(before, me, now)) {
            return new Acquired(false, before);
        }
        boolean held;
        if (before == null) {
            try {
                held = jdbc.update("insert into download_leases (info_hash, owner, address, expires_at) values (?, ?, ?, ?)",
                        infoHash, me, address.get(), at(terms.expiry(now))) == 1;
            } catch (DataIntegrityViolationException e) {
                held = false;   // another instance inserted it first
            }
        } else {
            held = jdbc.update("update download_leases set owner = ?, address = ?, expires_at = ? "
                            + "where info_hash = ? and (owner = ? or expires_at <= ?)",
                    me, address.get(), at(terms.expiry(now)), infoHash, me, at(now)) == 1;
        }
        if (held) {
            mine.add(infoHash);
            if (before != null && !before.owner().equals(me)) {
                log.info("{} lease taken over from {} (expired at {})", infoHash, before.owner(), before.expiresAt());
            }
        }
        return new Acquired(held, held ? before : find(infoHash).orElse(before));
    }

    @Override
    public void configureTasks(ScheduledTaskRegistrar registrar) {
        registrar.addFixedDelayTask(this::renewQuietly, terms.renewEvery());
    }

    private void renewQuietly() {
        try {
            renew();
        } catch (RuntimeException e) {
            log.warn("leases not renewed this time: {}", e.toString());
        }
    }

    /** Every third of a lease: this instance's leases go on; one another instance has taken is reported lost. */
    void renew() {
        Instant now = clock.instant();
        for (String hash : List.copyOf(mine)) {
            int n = jdbc.update("update download_leases set expires_at = ?, address = ? where info_hash = ? and owner = ?",
                    at(terms.expiry(now)), address.get(), hash, me);
            if (n == 0 && mine.remove(hash)) {
                log.warn("{} lease lost: another instance took it or the download was removed", hash);
                onLost.accept(hash);
            }
        }
    }

    /** Gives a lease up (the torrent stopped here): another instance may take it at once. */
    void release(String infoHash) {
        mine.remove(infoHash);
        jdbc.update("delete from download_leases where info_hash = ? and owner = ?", infoHash, me);
    }

    /** On a clean shutdown: every lease is given up, so the others take the downloads over at once. */
    void releaseAll() {
        int n = 0;
        for (String hash : List.copyOf(mine)) {
            mine.remove(hash);
            n += jdbc.update("delete from download_leases where info_hash = ? and owner = ?", hash, me);
        }
        if (n > 0) {
            log.info("released {} download lease(s) for the other instances", n);
        }
    }

    /** Asks the live owner of a download to delete it on its next upkeep. */
    void requestRemoval(String infoHash, String why) {
        String reason = why.length() > 200 ? why.substring(0, 200) : why;
        jdbc.update("update download_leases set remove_reason = ? where info_hash = ?", reason, infoHash);
    }

    /** The downloads another instance asked this one to delete: info-hash to reason. */
    Map<String, String> removalRequests() {
        return jdbc.query("select * from download_leases where owner = ? and remove_reason is not null", Leases::lease, me)
                .stream().collect(Collectors.toMap(Lease::infoHash, Lease::removeReason));
    }

    private static OffsetDateTime at(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    private static Lease lease(ResultSet rs, int row) throws SQLException {
        return new Lease(rs.getString("info_hash"), rs.getString("owner"), rs.getString("address"),
                rs.getObject("expires_at", OffsetDateTime.class).toInstant(), rs.getString("remove_reason"));
    }
}
