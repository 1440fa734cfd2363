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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Download leases in the database ({@code download_leases}), under the rules of {@link LeaseTerms}:
 * only the instance holding a download's lease runs its torrent. Taking a lease is one conditional
 * statement, so of two instances reaching for the same expired lease exactly one gets it. On one
 * instance (H2 or PostgreSQL) that instance always wins its leases.
 *
 * <p>Lease times are the database's ({@code current_timestamp}), so the instances' own clocks may differ.
 * Renewals run on a thread of their own, never behind the Downloads lock or another job; an owner that has
 * not renewed a lease for {@link LeaseTerms#fenceAfter} (its own clock, counting from before the last
 * renewal that worked) stops that torrent itself, before another instance can take the expired lease.
 */
@Component
class Leases implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(Leases.class);

    /** The outcome of {@link #acquire}: held by this instance now, and the lease as it was before. */
    record Acquired(boolean held, Lease before) {}

    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final Supplier<Instant> leaseTime;
    private final LeaseTerms terms;
    private final String me;
    private final Supplier<String> address;
    /** This instance's leases, each with when (this instance's clock) its last renewal that worked was sent. */
    private final Map<String, Instant> mine = new ConcurrentHashMap<>();
    private volatile Consumer<String> onLost = hash -> { };
    private ScheduledExecutorService renewer;

    @Autowired
    Leases(JdbcTemplate jdbc, Clock clock, LeaseTerms terms, @Value("${hypertube.instance}") String me,
           ClusterListener listener) {
        this(jdbc, clock, databaseClock(jdbc), terms, me, listener::address);
    }

    /** Leases whose times come from {@code clock} (a manual one in tests) instead of the database's. */
    Leases(JdbcTemplate jdbc, Clock clock, LeaseTerms terms, String me, Supplier<String> address) {
        this(jdbc, clock, clock::instant, terms, me, address);
    }

    Leases(JdbcTemplate jdbc, Clock clock, Supplier<Instant> leaseTime, LeaseTerms terms, String me, Supplier<String> address) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.leaseTime = leaseTime;
        this.terms = terms;
        this.me = me.length() > 200 ? me.substring(0, 200) : me;
        this.address = address;
    }

    /** The database's clock, the one every instance shares: lease times never come from an instance's own. */
    static Supplier<Instant> databaseClock(JdbcTemplate jdbc) {
        return () -> jdbc.queryForObject("select current_timestamp", OffsetDateTime.class).toInstant();
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
        Instant now = leaseTime.get();
        return find(infoHash).filter(l -> !l.owner().equals(me) && l.liveAt(now));
    }

    boolean holds(String infoHash) {
        return mine.containsKey(infoHash);
    }

    /** Takes the download's lease if it is free, expired or already this instance's. */
    Acquired acquire(String infoHash) {
        Instant sent = clock.instant();
        Instant now = leaseTime.get();
        Lease before = find(infoHash).orElse(null);
        boolean held = tryTake(infoHash, before, now);
        if (!held && terms.mayTake(before, me, now)) {
            // Lost a race, or the row went (released) or came (inserted) between the read and the write: once more.
            before = find(infoHash).orElse(null);
            held = tryTake(infoHash, before, now);
        }
        if (held) {
            mine.put(infoHash, sent);
            if (before != null && !before.owner().equals(me)) {
                log.info("{} lease taken over from {} (expired at {})", infoHash, before.owner(), before.expiresAt());
            }
        }
        return new Acquired(held, held ? before : find(infoHash).orElse(before));
    }

    /** One conditional write: true when this instance holds the lease after it. */
    private boolean tryTake(String infoHash, Lease before, Instant now) {
        if (!terms.mayTake(before, me, now)) {
            return false;
        }
        if (before == null) {
            try {
                return jdbc.update("insert into download_leases (info_hash, owner, address, expires_at) values (?, ?, ?, ?)",
                        infoHash, me, address.get(), at(terms.expiry(now))) == 1;
            } catch (DuplicateKeyException e) {
                return false;   // another instance inserted it first (any other failure is not a lost race: it is thrown)
            }
        }
        return jdbc.update("update download_leases set owner = ?, address = ?, expires_at = ? "
                        + "where info_hash = ? and (owner = ? or expires_at <= ?)",
                me, address.get(), at(terms.expiry(now)), infoHash, me, at(now)) == 1;
    }

    /** Renewals on a thread of their own, every third of a lease: no other job or lock can hold them up. */
    @Override
    public void start() {
        renewer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("lease-renewal").factory());
        long every = terms.renewEvery().toMillis();
        renewer.scheduleWithFixedDelay(this::renewQuietly, every, every, TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() {
        if (renewer != null) {
            renewer.shutdownNow();
            renewer = null;
        }
    }

    @Override
    public boolean isRunning() {
        return renewer != null;
    }

    /** Stopped after the web server and the Downloads (which release their leases), started before them. */
    @Override
    public int getPhase() {
        return Integer.MIN_VALUE + 1000;
    }

    void renewQuietly() {
        try {
            renew();
        } catch (RuntimeException e) {
            log.warn("leases not renewed this time: {}", e.toString());
        } finally {
            fence();
        }
    }

    /** Every third of a lease: this instance's leases go on; one another instance has taken is reported lost. */
    void renew() {
        Instant sent = clock.instant();
        Instant now = leaseTime.get();
        for (String hash : List.copyOf(mine.keySet())) {
            int n = jdbc.update("update download_leases set expires_at = ?, address = ? where info_hash = ? and owner = ?",
                    at(terms.expiry(now)), address.get(), hash, me);
            if (n == 0) {
                if (mine.remove(hash) != null) {
                    log.warn("{} lease lost: another instance took it or the download was removed", hash);
                    lost(hash);
                }
            } else {
                mine.replace(hash, sent);
            }
        }
    }

    /**
     * Self-fencing: a lease this instance could not renew for {@link LeaseTerms#fenceAfter} is given up here
     * (its torrent stops) before it expires in the database, where another instance may take it.
     */
    void fence() {
        Instant now = clock.instant();
        for (var e : List.copyOf(mine.entrySet())) {
            if (terms.mustStop(e.getValue(), now) && mine.remove(e.getKey(), e.getValue())) {
                log.warn("{} stopped here: its lease was not renewed since {} and may pass to another instance",
                        e.getKey(), e.getValue());
                lost(e.getKey());
            }
        }
    }

    /** Told on a thread of its own: stopping a torrent must not hold up the renewal of the others. */
    private void lost(String hash) {
        Consumer<String> listener = onLost;
        Thread.ofVirtual().name("lease-lost-" + hash).start(() -> listener.accept(hash));
    }

    /** Gives a lease up (the torrent stopped here): another instance may take it at once. */
    void release(String infoHash) {
        mine.remove(infoHash);
        giveUp(infoHash);
    }

    /**
     * The row goes, unless another instance asked for the download's removal: then it stays, expired at once, so
     * the request reaches whoever takes the lease next (or is done by whoever removes the download).
     */
    private int giveUp(String infoHash) {
        int n = jdbc.update("delete from download_leases where info_hash = ? and owner = ? and remove_reason is null",
                infoHash, me);
        if (n == 0) {
            n = jdbc.update("update download_leases set expires_at = ? where info_hash = ? and owner = ?",
                    at(leaseTime.get()), infoHash, me);
        }
        return n;
    }

    /** The download was removed here: its lease row goes, with any removal request (done). */
    void removed(String infoHash) {
        mine.remove(infoHash);
        jdbc.update("delete from download_leases where info_hash = ? and owner = ?", infoHash, me);
    }

    /** On a clean shutdown: every lease is given up, so the others take the downloads over at once. */
    void releaseAll() {
        int n = 0;
        for (String hash : List.copyOf(mine.keySet())) {
            mine.remove(hash);
            n += giveUp(hash);
        }
        if (n > 0) {
            log.info("released {} download lease(s) for the other instances", n);
        }
    }

    /** Asks the live owner of a download to delete it on its next upkeep. */
    /** False when there was no lease row to mark (it went in the meantime): the caller may remove it itself. */
    boolean requestRemoval(String infoHash, String why, boolean ifUnused) {
        String reason = why.length() > 200 ? why.substring(0, 200) : why;
        return jdbc.update("update download_leases set remove_reason = ?, remove_if_unused = ? where info_hash = ?",
                reason, ifUnused, infoHash) == 1;
    }

    /** Whether the removal asked of this download waits while anyone reads the film (retention, the disk quota). */
    boolean removalIfUnused(String infoHash) {
        return jdbc.queryForList("select remove_if_unused from download_leases where info_hash = ?", Boolean.class, infoHash)
                .stream().anyMatch(Boolean.TRUE::equals);
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
