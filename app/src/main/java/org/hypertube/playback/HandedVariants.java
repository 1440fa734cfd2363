package org.hypertube.playback;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.jdbc.core.JdbcTemplate;
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
 */
@Component
class HandedVariants {

    /** How long what an instance wrote or read is trusted without asking the database again. */
    static final Duration FRESH = Duration.ofSeconds(5);

    /** The column's width. */
    static final int MAX_LENGTH = 200;

    private record Key(long memberId, long filmId) {}

    private record Known(Set<String> variants, Instant at) {}

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
        Set<String> before = stored(key); // what other instances added counts too
        java.util.TreeSet<String> all = new java.util.TreeSet<>(before);
        all.addAll(variants);
        String joined = String.join(" ", all);
        if (joined.length() > MAX_LENGTH) {
            all = new java.util.TreeSet<>(variants);
            joined = String.join(" ", all);
        }
        variants = all;
        if (all.equals(before)) {
            known.put(key, new Known(Set.copyOf(all), now));
            return;
        }
        if (update(key, joined) == 0) {
            try {
                jdbc.update("insert into handed_variants (member_id, film_id, variants) values (?, ?, ?)",
                        memberId, filmId, joined);
            } catch (org.springframework.dao.DuplicateKeyException raced) {
                update(key, joined);
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
        Set<String> stored = stored(key);
        known.put(key, new Known(stored, now));
        return stored.contains(variant);
    }

    private Set<String> stored(Key key) {
        return jdbc.query("select variants from handed_variants where member_id = ? and film_id = ?",
                        (rs, n) -> rs.getString(1), key.memberId(), key.filmId()).stream().findFirst()
                .map(v -> v.isEmpty() ? Set.<String>of() : Set.copyOf(Arrays.asList(v.split(" ")))).orElse(Set.of());
    }

    private int update(Key key, String joined) {
        return jdbc.update("update handed_variants set variants = ? where member_id = ? and film_id = ?",
                joined, key.memberId(), key.filmId());
    }

    private static boolean fresh(Known k, Instant now) {
        return k.at().plus(FRESH).isAfter(now);
    }
}
