package org.hypertube.torrent;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * Who gets an upload slot: a pure function of the peers' state and the time, so it can be tested
 * without sockets. Downloading: tit-for-tat, the peers that give us most keep the regular slots,
 * plus one optimistic unchoke rotated every {@link #OPTIMISTIC_MS}, spare slots filled. Seeding:
 * round robin, a peer keeps its slot for {@link #SEED_SLOT_MS}, then whoever waited longest.
 */
final class Choker {
    static final long OPTIMISTIC_MS = 30_000;
    static final long SEED_SLOT_MS = 30_000;

    /** What the choker needs to know about a peer. */
    record View(Object id, boolean interested, boolean amChoking, long downloadRate, long unchokedAt, long chokedAt) {}

    private final RandomGenerator random;
    private Object optimistic;
    private long optimisticSince = Long.MIN_VALUE;

    Choker(RandomGenerator random) {
        this.random = random;
    }

    Object optimistic() {
        return optimistic;
    }

    /** The ids to unchoke now; everyone else is choked. */
    Set<Object> decide(List<View> peers, boolean seeding, int slots, long now) {
        List<View> interested = new ArrayList<>(peers.stream().filter(View::interested).toList());
        Set<Object> keep = new HashSet<>();
        if (seeding) {
            interested.sort(Comparator
                    .comparing((View p) -> p.amChoking() || now - p.unchokedAt() >= SEED_SLOT_MS)
                    .thenComparingLong(p -> p.amChoking() ? p.chokedAt() : Long.MAX_VALUE));
            interested.subList(0, Math.min(slots, interested.size())).forEach(p -> keep.add(p.id()));
            return keep;
        }
        interested.sort(Comparator.comparingLong((View p) -> -p.downloadRate()));
        int regular = Math.max(1, slots - 1);
        interested.subList(0, Math.min(regular, interested.size())).forEach(p -> keep.add(p.id()));
        boolean optimisticGone = interested.stream().noneMatch(p -> p.id().equals(optimistic));
        if (optimistic == null || optimisticGone || now - optimisticSince >= OPTIMISTIC_MS) {
            List<View> rest = interested.stream().filter(p -> !keep.contains(p.id())).toList();
            optimistic = rest.isEmpty() ? null : rest.get(random.nextInt(rest.size())).id();
            optimisticSince = now;
        }
        if (optimistic != null) {
            keep.add(optimistic);
        }
        // Idle upload capacity helps the swarm: fill what the rules above left free.
        for (View p : interested) {
            if (keep.size() >= slots) {
                break;
            }
            keep.add(p.id());
        }
        return keep;
    }
}
