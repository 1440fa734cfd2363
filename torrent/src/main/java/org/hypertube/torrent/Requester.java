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
 * Which blocks each source is asked for (libtorrent's {@code request_blocks}, anacrolix's
 * {@code requesting.go}): pipeline depth from the measured rate, batching, strict endgame, the most
 * urgent streaming pieces to the fastest sources, background requests given up for starving
 * readers; blocks asked of a second source are {@link SecondRequests}'s. Works on {@link Peer}s, so wire peers
 * and web seeds are asked alike. Guarded by the session's lock; the caller decides whether the
 * torrent is downloading at all.
 */
final class Requester {
    private static final Logger log = LoggerFactory.getLogger(Requester.class);
    /** Unverified piece data held in memory at most (anacrolix uses 64 MiB). */
    static final long UNVERIFIED_BUDGET = 128L << 20;
    static final int REQUEST_QUEUE_SECONDS = 3;
    static final int MIN_PIPELINE = 32;
    static final int ENDGAME_REQUESTS = 4;
    static final int MAX_PIPELINE = 500;
    /** Streaming: deadlines up to this (ms of media from a reader's position; head and tail are 0) go to the fastest peers. */
    static final long CRITICAL_DEADLINE = 2_000;
    /**
     * While readers have wishes a peer's queue holds this much of its rate: a block asked for now
     * waits behind at most that much (plus what the peer already put in its send buffer), not 3 s.
     * Whatever is queued when the reader seeks still comes first (a Cancel reaches the peer after it
     * has put the blocks in its send buffer, which holds about all of a streaming queue): at 2 MB/s
     * seeders a seek's pieces waited 0.4-0.5 s behind 1 s or 0.3 s queues, again and again. 0.1 s is
     * still more than a round trip deep (50 ms of round trip at 2 MB/s is 7 blocks; at least 8).
     */
    static final int STREAM_QUEUE_MS = 100;
    /**
     * ... and this much while a reader is blocked. 0.5 s (one tick of a rate-limited libtorrent seeder,
     * the seek's first ~4 MB asked of the four benchmark seeders at once) was measured worse: each
     * seeder then held a whole MB of the reading order, and the reader waited for the seeder whose
     * tick came last (seek median 1.63 s against main's 1.28 s in the same run, docs/BENCHMARKS.md).
     */
    static final int WAITING_QUEUE_MS = 100;
    /** Streaming queues never go below this many blocks (a peer not measured yet, a slow one). */
    static final int MIN_STREAM_PIPELINE = 8;
    /** Blocks of a blocked reader's piece asked of one peer at once: this much of its rate, spreading the piece over peers. */
    static final int NOW_QUEUE_MS = 200;
    static final int MIN_NOW_BLOCKS = 2;

    /**
     * For this long after the torrent is checked, queues are as shallow as while streaming even with no
     * reader: a Play starts the download and its reader (the film's header reader) opens a moment after
     * the check; 3 s of background queued by then would come first, from the peers' send buffers.
     */
    static final long START_MS = 1_000;

    private final PiecePicker picker;
    private final int pieceLength;
    private final InfoHash torrent;
    private final long startedAt;
    private final SecondRequests second;
    /**
     * Off unless the JVM runs with {@code -Dhypertube.torrent.stall-copies=true}: on the playback benchmark
     * the seek was 1.04x and 0.93x main's and 8.5-9.5 % of all bytes came twice (main 0.3-0.5 %): the
     * browser's given-up request keeps a reader blocked, so the condition below rarely closes
     * (docs/BENCHMARKS.md, branch seek22).
     */
    static final String STALL_COPIES_PROPERTY = "hypertube.torrent.stall-copies";
    private final boolean stallCopies;

    /** @param startedAt when the torrent was checked (ms, the session's clock) */
    Requester(PiecePicker picker, int pieceLength, InfoHash torrent, long startedAt) {
        this(picker, pieceLength, torrent, startedAt, Boolean.getBoolean(STALL_COPIES_PROPERTY));
    }

    /** @param stallCopies whether a stalled peer's critical blocks are asked of a peer sending now ({@link SecondRequests#fromStalled}) */
    Requester(PiecePicker picker, int pieceLength, InfoHash torrent, long startedAt, boolean stallCopies) {
        this.picker = picker;
        this.pieceLength = pieceLength;
        this.torrent = torrent;
        this.startedAt = startedAt;
        this.second = new SecondRequests(picker, torrent, stallCopies);
        this.stallCopies = stallCopies;
    }

    /**
     * How many requests {@code p} may have outstanding: 3 s of its measured rate (at least 32) for
     * bulk downloading; while readers have wishes 0.1 s (at least 8), blocked or not,
     * so that a reader's block never queues behind seconds of readahead or background; 0.1 s too in the
     * first {@link #START_MS} after the check, when a reader is about to open.
     */
    int pipelineTarget(Peer p, long now) {
        if (p.snubbed) {
            return 1;
        }
        long rate = p.down.rate(now);
        long target;
        if (picker.hasDeadlines() || now - startedAt < START_MS) {
            int ms = picker.piecesWithDeadlineBelow(0).isEmpty() ? STREAM_QUEUE_MS : WAITING_QUEUE_MS;
            target = Math.max(MIN_STREAM_PIPELINE, rate * ms / 1000 / Block.SIZE);
        } else {
            target = Math.max(MIN_PIPELINE, rate * REQUEST_QUEUE_SECONDS / Block.SIZE);
        }
        // The peer's reqq caps everything (BEP 10: requests beyond it may be dropped), the minimum included.
        return (int) Math.min(target, Math.min(p.peerRequestQueue, MAX_PIPELINE));
    }

    private int maxPartials(int peerCount) {
        int byBudget = (int) Math.max(4, UNVERIFIED_BUDGET / pieceLength);
        return Math.max(byBudget, peerCount + 2);
    }

    /** Tops up {@code p}'s requests; {@code urgently}: skip the batching, for a reader that waits. */
    void fill(Peer p, boolean urgently, List<? extends Peer> all, long nowMs) {
        if (p.isClosed() || !p.amInterested) {
            return;
        }
        boolean choked = p.peerChoking;
        if (choked && p.allowedFast.isEmpty()) {
            return;
        }
        Predicate<Integer> canAsk = choked ? p.allowedFast::contains : i -> true;
        if (picker.hasDeadlines()) {
            // The most urgent pieces go to the fastest peers: a much slower peer leaves them to a faster one that has them.
            List<Peer> faster = new ArrayList<>();
            long mine = p.down.rate(nowMs);
            for (Peer q : all) {
                if (q != p && !q.isClosed() && !q.peerChoking && !q.snubbed && q.amInterested
                        && q.down.rate(nowMs) > 2 * mine + 16 * 1024) {
                    faster.add(q);
                }
            }
            if (!faster.isEmpty()) {
                Predicate<Integer> base = canAsk;
                canAsk = i -> base.test(i) && (picker.deadline(i) > CRITICAL_DEADLINE
                        || faster.stream().noneMatch(q -> q.seed || q.has.get(i)));
            }
            if (serveBlockedReader(p, canAsk, all, nowMs)) {
                return;
            }
            if (stallCopies && !picker.piecesWithDeadlineBelow(0).isEmpty()) {
                // Only while a reader waits: in steady playback every seeder of the benchmark is "stalled" between its
                // limiter's ticks, and copies asked then were 5-10 % of all bytes received, for nothing.
                send(p, second.fromStalled(p, canAsk, pipelineTarget(p, nowMs) - p.outstanding.size(), CRITICAL_DEADLINE, all,
                        nowMs), nowMs);
            }
        }
        int target = pipelineTarget(p, nowMs);
        int need = target - p.outstanding.size();
        // Ask in batches so the picker is not consulted for every single block.
        if (need <= 0 || (!urgently && need < Math.max(1, target / 8) && !p.outstanding.isEmpty())) {
            return;
        }
        if (picker.inEndgame()) {
            // Endgame duplicates cost bandwidth: only an idle peer asks, and only for a few blocks.
            if (!p.outstanding.isEmpty()) {
                return;
            }
            need = Math.min(need, ENDGAME_REQUESTS);
        }
        List<Block> blocks = picker.pick(p.has, p.seed, need, maxPartials(all.size()), canAsk, p.outstanding::contains);
        send(p, blocks, nowMs);
    }

    private void send(Peer p, List<Block> blocks, long nowMs) {
        if (blocks.isEmpty()) {
            return;
        }
        if (p.outstanding.isEmpty()) {
            p.askedIdle(nowMs);
        }
        for (Block b : blocks) {
            if (picker.hasDeadline(b.piece())) {
                p.urgentDue.put(b, second.dueAt(p, b, nowMs));
            }
            p.outstanding.add(b);
        }
        if (log.isTraceEnabled()) {
            log.trace("{} asked {} blocks of {}, first {}, now {} outstanding", torrent, blocks.size(), p, blocks.getFirst(),
                    p.outstanding.size());
        }
        p.sendRequests(blocks);
    }

    /**
     * A reader is blocked on a piece ({@link ReaderWishes#BLOCKED}): that comes before any readahead,
     * whatever its deadline. While the piece has blocks nobody was asked for that {@code p} may
     * serve, {@code p} gives up its requests for other pieces (Cancel sent, newest first; what it
     * already put in its send buffer still comes and is welcome) and asks for the piece's blocks
     * only, at most {@link #NOW_QUEUE_MS} of its rate so that the piece is spread over the fastest
     * peers. Once every block is asked for, a peer with room in that share that would deliver a
     * missing one sooner than the peer holding it asks for it too (endgame for that piece only). True when {@code p} was handled
     * here and must not be asked for anything else now.
     */
    private boolean serveBlockedReader(Peer p, Predicate<Integer> canAsk, List<? extends Peer> all, long nowMs) {
        List<Integer> now = picker.piecesWithDeadlineBelow(0);
        if (now.isEmpty()) {
            return false;
        }
        boolean open = false;
        for (int piece : now) {
            if (picker.unrequestedBlocks(piece) > 0 && (p.seed || p.has.get(piece)) && canAsk.test(piece)) {
                open = true;
                break;
            }
        }
        long rate = p.down.rate(nowMs);
        int mine = 0;
        for (Block b : p.outstanding) {
            if (picker.deadline(b.piece()) < 0) {
                mine++;
            }
        }
        int quota = (int) Math.max(MIN_NOW_BLOCKS, rate * NOW_QUEUE_MS / 1000 / Block.SIZE) - mine;
        if (open) {
            if (mine == 0) {
                cancelAllBut(p, b -> picker.deadline(b.piece()) < 0, "a blocked reader");
            }
            if (quota > 0) {
                Predicate<Integer> blocked = i -> picker.deadline(i) < 0 && canAsk.test(i);
                send(p, picker.pick(p.has, p.seed, quota, maxPartials(all.size()), blocked, p.outstanding::contains), nowMs);
            }
            return true;
        }
        // Endgame for the blocked piece: ask again what another peer would deliver later than p.
        send(p, second.forBlockedReader(p, now, canAsk, quota, all, nowMs), nowMs);
        return false;
    }

    /** Cancels {@code p}'s requests that {@code keep} rejects (Cancel sent, blocks back to the picker, a late answer welcome). */
    private void cancelAllBut(Peer p, Predicate<Block> keep, String why) {
        List<Block> victims = new ArrayList<>();
        for (Block b : p.outstanding.reversed()) {
            if (!keep.test(b)) {
                victims.add(b);
            }
        }
        cancel(p, victims);
        if (!victims.isEmpty()) {
            log.debug("{} cancelled {} requests to {} for {}", torrent, victims.size(), p, why);
        }
    }

    private void cancel(Peer p, List<Block> victims) {
        for (Block b : victims) {
            p.outstanding.remove(b);
            p.urgentDue.remove(b);
            picker.abort(b);
            p.rememberAborted(b);
            p.sendCancel(b);
        }
    }

    /**
     * Serves readers now: fastest peers first, each gives up its newest requests for pieces without
     * a deadline while deadline blocks it could fetch are not asked of anyone, then asks for more.
     */
    void rebalance(List<? extends Peer> all, long now) {
        List<Peer> byRate = new ArrayList<>(all);
        byRate.sort(Comparator.comparingLong((Peer p) -> p.down.rate(now)).reversed());
        for (Peer p : byRate) {
            cancelForDeadlines(p, now);
            fill(p, true, all, now);
        }
    }

    /**
     * A peer that could serve deadline blocks nobody was asked for gives up its newest requests for
     * pieces without a deadline (a seek's old readahead, background): as many as those blocks, and
     * more when its queue is deeper than the streaming queue allows, so they do not wait behind it.
     */
    private void cancelForDeadlines(Peer p, long now) {
        if (!picker.hasDeadlines() || p.isClosed() || !p.amInterested || p.peerChoking || p.outstanding.isEmpty()) {
            return;
        }
        int plain = 0;
        for (Block b : p.outstanding) {
            if (!picker.hasDeadline(b.piece())) {
                plain++;
            }
        }
        if (plain == 0) {
            return;
        }
        int starving = picker.unrequestedDeadlineBlocks(p.has, p.seed, Long.MAX_VALUE, plain);
        if (starving == 0) {
            return;
        }
        int target = pipelineTarget(p, now);
        int excess = p.outstanding.size() + Math.min(starving, target) - target;
        int count = Math.min(plain, Math.max(starving, excess));
        List<Block> victims = new ArrayList<>(count);
        for (Block b : p.outstanding.reversed()) {
            if (victims.size() >= count) {
                break;
            }
            if (!picker.hasDeadline(b.piece())) {
                victims.add(b);
            }
        }
        cancel(p, victims);
        log.debug("{} cancelled {} background requests to {} for streaming", torrent, victims.size(), p);
    }

    /** Deadline blocks not delivered in time are asked of another peer too ({@link SecondRequests#reRequestLate}). */
    void reRequestLate(List<? extends Peer> all, long now) {
        second.reRequestLate(all, now);
    }

    /** Snubbed: requests outstanding and nothing received for {@code timeoutMs}. Its blocks go to others. */
    boolean snubIfSilent(Peer p, long now, long timeoutMs) {
        if (p.outstanding.isEmpty() || now - Math.max(p.lastBlockAt, p.lastRequestAt) <= timeoutMs) {
            return false;
        }
        boolean first = !p.snubbed;
        p.snubbed = true;
        giveBack(p);
        p.lastRequestAt = now;
        return first;
    }

    /** Every request of {@code p} back to the picker; a late answer is still welcome. */
    void giveBack(Peer p) {
        for (Block b : p.outstanding) {
            picker.abort(b);
            p.rememberAborted(b);
        }
        p.outstanding.clear();
    }
}
