package org.hypertube.playback;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The converted variants a member was handed for a film by a Play or status (the one it plays and, for a
 * transcode, the other qualities its quality menu offers): the converted stream's addresses serve only
 * these, so an address alone never starts a conversion. A later status adds to them and takes nothing
 * back: the page before an audio switch, or the member's other tab or device, may still be playing what it
 * was handed (their status streams push what they were handed). The list of a film is short (its audio
 * tracks times the qualities); past {@link #MAX_LENGTH} characters only the latest hand is kept. Kept in the
 * database, since any instance may serve the stream another handed out; each instance remembers what it
 * wrote or read for {@link #FRESH}, so the status the page polls writes at most once in that time unless
 * the variants grow.
 * <p>
 * A row is swept ({@link #sweep}) when its film's download is gone (removed by an administrator, retention or
 * the disk quota: a Play hands again) or when it was not handed for {@link #KEEP}; a hand of the same variants
 * renews its time at most once per {@link #RENEW}.
 */
@Component
class HandedVariants {

    /** How long what an instance wrote or read is trusted without asking the database again. */
    static final Duration FRESH = Duration.ofSeconds(5);

    /** How long a row not handed again is kept. */
    static final Duration KEEP = Duration.ofDays(7);

    /** How often handing the same variants again writes its time. */
    static final Duration RENEW = Duration.ofHours(1);

    /** How long a row outlives its film's download: a Play may hand before its download's row is written. */
    static final Duration GRACE = Duration.ofMinutes(10);

    private static final Logger log = LoggerFactory.getLogger(HandedVariants.class);

    /** The column's width. */
    static final int MAX_LENGTH = 200;

    private record Key(long memberId, long filmId) {}

    private record Known(Set<String> variants, Instant at) {}

    /** A stored row: its variants and when they were last handed (null: no row). */
    private record Stored(Set<String> variants, Instant at) {}

    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final Map<Key, Known> known = new ConcurrentHashMap<>();

    HandedVariants(JdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** The member was handed these variants of the film (none for a direct play), besides those handed before. */
    void hand(long memberId, long filmId, Set<String> variants) {
        Key key = new Key(memberId, filmId);
        Known was = known.get(key);
        Instant now = clock.instant();
        if (was != null && fresh(was, now) && was.variants().containsAll(variants)) {
            return;
        }
        Stored row = stored(key); // what other instances added counts too
        Set<String> before = row.variants();
        java.util.TreeSet<String> all = new java.util.TreeSet<>(before);
        all.addAll(variants);
        String joined = String.join(" ", all);
        if (joined.length() > MAX_LENGTH) {
            all = new java.util.TreeSet<>(variants);
            joined = String.join(" ", all);
        }
        variants = all;
        if (all.equals(before) && row.at() != null && row.at().plus(RENEW).isAfter(now)) {
            known.put(key, new Known(Set.copyOf(all), now));
            return;
        }
        if (update(key, joined, now) == 0) {
            try {
                jdbc.update("insert into handed_variants (member_id, film_id, variants, handed_at) values (?, ?, ?, ?)",
                        memberId, filmId, joined, java.sql.Timestamp.from(now));
            } catch (org.springframework.dao.DuplicateKeyException raced) {
                update(key, joined, now);
            }
        }
        known.put(key, new Known(Set.copyOf(variants), now));
        known.values().removeIf(k -> !fresh(k, now));
    }

    /** Whether the member was handed this variant of the film (by this instance or another). */
    boolean handed(long memberId, long filmId, String variant) {
        Key key = new Key(memberId, filmId);
        Known was = known.get(key);
        Instant now = clock.instant();
        if (was != null && fresh(was, now) && was.variants().contains(variant)) {
            return true;
        }
        Set<String> stored = stored(key).variants();
        known.put(key, new Known(stored, now));
        return stored.contains(variant);
    }

    /** Every hour, on one instance of several: the rows {@link #sweep(Instant)} deletes. */
    @Scheduled(fixedDelayString = "${hypertube.playback.handed-sweep-interval:PT1H}", initialDelayString = "PT5M")
    @SchedulerLock(name = "handed-variants", lockAtLeastFor = "PT0S", lockAtMostFor = "PT10M")
    void sweep() {
        sweep(clock.instant());
    }

    /**
     * Deletes the rows not handed since {@code now} minus {@link #KEEP}, and those of films without a download
     * handed before {@code now} minus {@link #GRACE}; returns how many.
     */
    int sweep(Instant now) {
        int deleted = jdbc.update("delete from handed_variants h where h.handed_at < ? or (h.handed_at < ?"
                        + " and not exists (select 1 from downloads d where d.film_id = h.film_id))",
                java.sql.Timestamp.from(now.minus(KEEP)), java.sql.Timestamp.from(now.minus(GRACE)));
        if (deleted > 0) {
            known.clear();
            log.info("handed variants: {} row(s) of films without a download or not handed for {} days deleted",
                    deleted, KEEP.toDays());
        }
        return deleted;
    }

    private Stored stored(Key key) {
        return jdbc.query("select variants, handed_at from handed_variants where member_id = ? and film_id = ?",
                        (rs, n) -> {
                            String v = rs.getString(1);
                            return new Stored(v.isEmpty() ? Set.<String>of() : Set.copyOf(Arrays.asList(v.split(" "))),
                                    rs.getTimestamp(2).toInstant());
                        }, key.memberId(), key.filmId()).stream().findFirst()
                .orElse(new Stored(Set.of(), null));
    }

    private int update(Key key, String joined, Instant now) {
        return jdbc.update("update handed_variants set variants = ?, handed_at = ? where member_id = ? and film_id = ?",
                joined, java.sql.Timestamp.from(now), key.memberId(), key.filmId());
    }

    private static boolean fresh(Known k, Instant now) {
        return k.at().plus(FRESH).isAfter(now);
    }
}
