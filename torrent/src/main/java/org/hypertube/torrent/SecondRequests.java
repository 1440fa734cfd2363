package org.hypertube.torrent;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;
import org.hypertube.torrent.pieces.Block;
import org.hypertube.torrent.pieces.PiecePicker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When a block one peer was asked for is asked of a second peer too (the first copy wins, the other is
 * cancelled): a blocked reader's block another peer would deliver sooner (endgame for that piece only),
 * a critical block held by a stalled peer, and a deadline block that is late. Every rule compares when
 * each peer would deliver: a duplicate costs the second peer's room and, when the cancel comes too late,
 * the bytes. Guarded by the session's lock, like the {@link Requester} that calls it.
 */
final class SecondRequests {
    private static final Logger log = LoggerFactory.getLogger(SecondRequests.class);
    /** A request for a deadline block is re-sent to another peer this long after it was due at the latest. */
    static final long LATE_REQUEST_MS = 3_000;
    /** ... or this long past the peer's expected delivery time, whichever is later. */
    static final long LATE_GRACE_MS = 2_000;
    static final int MAX_REREQUESTS_PER_TICK = 64;
    /**
     * A blocked reader's block is late after this, or {@link #NOW_GRACE_MS} past its expected delivery, whichever is
     * later: after a seek, a peer asked for it may still send a send buffer of cancelled blocks first.
     */
    static final long NOW_LATE_MS = 250;
    static final long NOW_GRACE_MS = 150;
    /** A second peer is asked for a block only when it would deliver it at least this much sooner. */
    static final long NOW_DUPLICATE_GAIN_MS = 50;
    /**
     * A peer with requests outstanding is stalled after this much silence beyond its round trip, and
     * never sooner than three blocks' time at its own rate ({@link #stallAfter}): a rate-limited
     * libtorrent seeder sends its quota in a burst at its limiter's tick (every 0.5 s) and then nothing
     * until the next, whatever we asked; a slow or distant peer is merely slow.
     */
    static final long STALLED_MS = 40;

    private final PiecePicker picker;
    private final InfoHash torrent;
    /** Whether a stalled holder's block is expected no sooner than its silence so far (off: by its place in the queue only, as before). */
    private final boolean stallAware;

    SecondRequests(PiecePicker picker, InfoHash torrent, boolean stallAware) {
        this.picker = picker;
        this.torrent = torrent;
        this.stallAware = stallAware;
    }

    /** The round trip measured for {@code p} (its minimum), 0 before the first sample. */
    static long rtt(Peer p) {
        return Math.max(0, p.rttMs);
    }

    /**
     * Silence after which {@code q} counts as stalled:
     * {@code max(STALLED_MS, rtt(q) + STALLED_MS, 3 × Block.SIZE / rate(q))}. A peer asked while idle cannot
     * answer before its round trip; a slow one has gaps of a block's time between blocks.
     */
    static long stallAfter(Peer q, long now) {
        long rate = q.down.rate(now);
        long threeBlocks = rate <= 0 ? Long.MAX_VALUE / 4 : 3L * Block.SIZE * 1000 / rate;
        return Math.max(STALLED_MS, Math.max(rtt(q) + STALLED_MS, threeBlocks));
    }

    /** Requests outstanding, and nothing sent (nor asked of it while idle) for {@link #stallAfter}. */
    static boolean stalled(Peer q, long now) {
        return !q.outstanding.isEmpty() && !q.isClosed() && silence(q, now) > stallAfter(q, now);
    }

    private static long silence(Peer q, long now) {
        return now - Math.max(q.lastBlockAt, q.lastRequestAt);
    }

    /** When {@code p} would deliver a block asked of it now: behind its queue at its rate, plus its round trip. */
    static long etaIfAsked(Peer p, long now) {
        long rate = p.down.rate(now);
        if (rate <= 0) {
            return Long.MAX_VALUE / 4;
        }
        return (p.outstanding.size() + 1L) * Block.SIZE * 1000 / rate + rtt(p);
    }

    /**
     * When the peer (other than {@code asker}) that has {@code b} outstanding should deliver it: its place in
     * that peer's queue at its rate. A stalled peer is expected to stay silent about as long again as it
     * has been, at the least (nothing tells when a limiter lets it send again).
     */
    long etaElsewhere(Block b, Peer asker, List<? extends Peer> all, long now) {
        for (Peer q : all) {
            if (q == asker || !q.outstanding.contains(b)) {
                continue;
            }
            long rate = q.down.rate(now);
            if (rate <= 0 || q.isClosed() || q.snubbed) {
                return Long.MAX_VALUE / 4;
            }
            long place = 0;
            for (Block o : q.outstanding) {
                place++;
                if (o.equals(b)) {
                    break;
                }
            }
            long queued = place * Block.SIZE * 1000 / rate;
            return stallAware && stalled(q, now) ? Math.max(queued, silence(q, now)) : queued;
        }
        return Long.MAX_VALUE / 4;
    }

    /** Whether {@code p} would deliver {@code b} sooner, by {@link #NOW_DUPLICATE_GAIN_MS}, than the peer holding it. */
    private boolean sooner(Peer p, Block b, List<? extends Peer> all, long now) {
        return etaIfAsked(p, now) + NOW_DUPLICATE_GAIN_MS < etaElsewhere(b, p, all, now);
    }

    /**
     * Endgame for a blocked reader's pieces: the blocks asked of exactly one other peer that {@code p}
     * would deliver sooner, at most {@code quota}; counted as asked again in the picker. The caller sends them.
     */
    List<Block> forBlockedReader(Peer p, List<Integer> now, Predicate<Integer> canAsk, int quota, List<? extends Peer> all,
            long nowMs) {
        List<Block> again = new ArrayList<>();
        if (quota <= 0 || p.down.rate(nowMs) <= 0) {
            return again;
        }
        for (int piece : now) {
            if (!(p.seed || p.has.get(piece)) || !canAsk.test(piece)) {
                continue;
            }
            for (int i = 0; i < picker.blockCount(piece) && again.size() < quota; i++) {
                Block b = picker.block(piece, i);
                if (picker.isReceived(b) || picker.requestCount(b) != 1 || p.outstanding.contains(b)) {
                    continue;
                }
                if (sooner(p, b, all, nowMs) && picker.requestAgain(b)) {
                    again.add(b);
                }
            }
        }
        if (!again.isEmpty()) {
            log.debug("{} blocks {} of a blocked reader asked of {} too", torrent, again, p);
        }
        return again;
    }

    /**
     * While a reader is blocked (the caller checks), {@code p} is sending (a block within its own {@link #stallAfter}): the blocks of critical pieces (deadline up to
     * {@code critical}, a blocked reader's included) that only a stalled peer holds and that {@code p}
     * would deliver sooner, the most urgent first, at most {@code room}; counted as asked again in the
     * picker. The caller sends them.
     */
    List<Block> fromStalled(Peer p, Predicate<Integer> canAsk, int room, long critical, List<? extends Peer> all, long now) {
        List<Block> again = new ArrayList<>();
        if (room <= 0 || now - p.lastBlockAt > stallAfter(p, now)) { // not sending lately: no better a bet
            return again;
        }
        List<Block> stuck = new ArrayList<>();
        for (Peer q : all) {
            if (q == p || !stalled(q, now)) {
                continue;
            }
            for (Block b : q.outstanding) {
                int piece = b.piece();
                if (picker.deadline(piece) <= critical && (p.seed || p.has.get(piece)) && canAsk.test(piece)
                        && picker.requestCount(b) == 1 && !picker.isReceived(b) && !p.outstanding.contains(b)) {
                    stuck.add(b);
                }
            }
        }
        if (stuck.isEmpty()) {
            return again;
        }
        stuck.sort(Comparator.comparingLong((Block b) -> picker.deadline(b.piece())).thenComparingInt(Block::piece)
                .thenComparingInt(Block::index));
        for (Block b : stuck) {
            if (again.size() >= room) {
                break;
            }
            // p's queue grows with each copy asked: its eta is taken as if they were already queued.
            long mine = etaIfAsked(p, now) + again.size() * Block.SIZE * 1000L / Math.max(1, p.down.rate(now));
            if (mine + NOW_DUPLICATE_GAIN_MS < etaElsewhere(b, p, all, now) && picker.requestAgain(b)) {
                again.add(b);
            }
        }
        if (!again.isEmpty()) {
            log.debug("{} {} critical blocks of stalled peers asked of {} too, first {}", torrent, again.size(), p, again.getFirst());
        }
        return again;
    }

    /**
     * A deadline block asked of a peer that has not delivered it in time is asked of the fastest
     * other peer that has the piece (at most two peers per block); the loser is cancelled on arrival.
     */
    void reRequestLate(List<? extends Peer> all, long now) {
        int budget = MAX_REREQUESTS_PER_TICK;
        for (Peer p : new ArrayList<>(all)) {
            if (!picker.hasDeadlines()) {
                p.urgentDue.clear();
                continue;
            }
            for (var it = p.urgentDue.entrySet().iterator(); it.hasNext() && budget > 0;) {
                var e = it.next();
                Block b = e.getKey();
                if (!p.outstanding.contains(b) || picker.isReceived(b) || !picker.hasDeadline(b.piece())) {
                    it.remove();
                    continue;
                }
                if (now < e.getValue()) {
                    continue;
                }
                Peer q = fastestOtherFor(p, b, all, now);
                if (q == null) {
                    continue; // nobody else has it now: look again next tick
                }
                it.remove();
                if (!picker.requestAgain(b)) {
                    continue;
                }
                budget--;
                log.debug("{} block {} late from {}: asking {} too", torrent, b, p, q);
                if (q.outstanding.isEmpty()) {
                    q.askedIdle(now);
                }
                q.urgentDue.put(b, dueAt(q, b, now));
                q.outstanding.add(b);
                q.sendRequests(List.of(b));
            }
        }
    }

    private static Peer fastestOtherFor(Peer late, Block b, List<? extends Peer> all, long now) {
        Peer best = null;
        long bestRate = -1;
        for (Peer q : all) {
            if (q == late || q.isClosed() || q.snubbed || !q.amInterested || !(q.seed || q.has.get(b.piece()))
                    || (q.peerChoking && !q.allowedFast.contains(b.piece())) || q.outstanding.contains(b)) {
                continue;
            }
            long r = q.down.rate(now);
            if (r > bestRate) {
                best = q;
                bestRate = r;
            }
        }
        return best;
    }

    /**
     * When a deadline block asked of {@code p} now is late: after 3 s, or 2 s past its expected
     * delivery behind the requests already queued at that peer's measured rate, whichever is later;
     * a blocked reader's block after 0.25 s, or 0.15 s past its expected delivery.
     */
    long dueAt(Peer p, Block b, long now) {
        long rate = p.down.rate(now);
        long expected = rate <= 0 ? 0 : (p.outstanding.size() + 1L) * Block.SIZE * 1000 / rate;
        if (picker.deadline(b.piece()) < 0) {
            return now + Math.max(NOW_LATE_MS, expected + NOW_GRACE_MS);
        }
        return now + Math.max(LATE_REQUEST_MS, expected + LATE_GRACE_MS);
    }

    /** Endgame or a second request: others were asked for the block {@code p} just sent; they need not send it. */
    static void cancelElsewhere(Peer p, Block b, List<? extends Peer> all) {
        for (Peer other : all) {
            if (other != p && other.outstanding.remove(b)) {
                other.sendCancel(b);
                other.rememberAborted(b);
            }
        }
    }
}
