package org.hypertube.torrent.pieces;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;

/**
 * Block selection for one torrent. Not thread-safe: the owning session serialises calls.
 *
 * <p>Pieces move from wanted → partial (some blocks requested) → all blocks received (the session
 * verifies it) → have, or back to free blocks when the hash fails. Priority 0 means "do not
 * download"; 1..7 rank the rest (4 is normal). A deadline (a number the caller chooses, smaller is
 * sooner) outranks priority; pieces without one use {@link Long#MAX_VALUE}.
 */
public final class PiecePicker {
    public static final int DEFAULT_PRIORITY = 4;
    public static final int MAX_PRIORITY = 7;
    /** In endgame a block is asked of at most this many peers at once. */
    static final int MAX_ENDGAME_REQUESTS = 2;

    private final int pieceCount;
    private final int pieceLength;
    private final long totalLength;
    private final RandomGenerator random;
    private final int[] availability;
    private final byte[] priority;
    private final long[] deadline;
    /** Pieces with a deadline, so streaming work is proportional to the wishes, not the torrent. */
    private final BitSet deadlined = new BitSet();
    private final BitSet have = new BitSet();
    /** Pieces in progress, to iterate over; {@link #partialOf} finds one without boxing or hashing. */
    private final Map<Integer, Partial> partials = new HashMap<>();
    private final Partial[] partialOf;
    /** Number of peers that have every piece; kept apart so have-all does not cost O(pieces). */
    private int seeds;

    /** Block states of a piece in progress. */
    private static final class Partial {
        final byte[] requests;
        final boolean[] received;
        int receivedCount;
        int unrequested;

        Partial(int blocks) {
            requests = new byte[blocks];
            received = new boolean[blocks];
            unrequested = blocks;
        }
    }

    public PiecePicker(int pieceCount, int pieceLength, long totalLength, RandomGenerator random) {
        this.pieceCount = pieceCount;
        this.pieceLength = pieceLength;
        this.totalLength = totalLength;
        this.random = random;
        this.availability = new int[pieceCount];
        this.priority = new byte[pieceCount];
        java.util.Arrays.fill(priority, (byte) DEFAULT_PRIORITY);
        this.deadline = new long[pieceCount];
        java.util.Arrays.fill(deadline, Long.MAX_VALUE);
        this.partialOf = new Partial[pieceCount];
    }

    public int pieceCount() {
        return pieceCount;
    }

    public int pieceSize(int piece) {
        return piece == pieceCount - 1 ? (int) (totalLength - (long) piece * pieceLength) : pieceLength;
    }

    public int blockCount(int piece) {
        return (pieceSize(piece) + Block.SIZE - 1) / Block.SIZE;
    }

    public Block block(int piece, int index) {
        int begin = index * Block.SIZE;
        return new Block(piece, begin, Math.min(Block.SIZE, pieceSize(piece) - begin));
    }

    // ---- availability ----

    public void peerHas(int piece) {
        availability[piece]++;
    }

    public void peerBitfield(BitSet pieces) {
        for (int i = pieces.nextSetBit(0); i >= 0 && i < pieceCount; i = pieces.nextSetBit(i + 1)) {
            availability[i]++;
        }
    }

    public void peerLost(BitSet pieces) {
        for (int i = pieces.nextSetBit(0); i >= 0 && i < pieceCount; i = pieces.nextSetBit(i + 1)) {
            availability[i]--;
        }
    }

    public void seedJoined() {
        seeds++;
    }

    public void seedLeft() {
        seeds--;
    }

    public int availability(int piece) {
        return availability[piece] + seeds;
    }

    // ---- wishes ----

    public void setPriority(int piece, int value) {
        if (value < 0 || value > MAX_PRIORITY) {
            throw new IllegalArgumentException("priority " + value + " outside 0.." + MAX_PRIORITY);
        }
        priority[piece] = (byte) value;
    }

    public int priority(int piece) {
        return priority[piece];
    }

    /**
     * Streaming: pieces with the smallest deadline are picked first, before partial pieces without
     * one, and may be started beyond the partial-piece bound. {@link Long#MAX_VALUE} clears it.
     */
    public void setDeadline(int piece, long value) {
        deadline[piece] = value;
        deadlined.set(piece, value != Long.MAX_VALUE);
    }

    public void clearDeadline(int piece) {
        setDeadline(piece, Long.MAX_VALUE);
    }

    /** The piece's deadline, {@link Long#MAX_VALUE} when it has none. */
    public long deadline(int piece) {
        return deadline[piece];
    }

    public boolean hasDeadline(int piece) {
        return deadlined.get(piece);
    }

    /** Pieces that have a deadline (a copy). */
    public BitSet deadlinePieces() {
        return (BitSet) deadlined.clone();
    }

    public boolean hasDeadlines() {
        return !deadlined.isEmpty();
    }

    /**
     * Blocks of wanted pieces with a deadline at most {@code upTo} that a peer having
     * {@code peerHas} could serve and nobody has been asked for yet (counting stops at {@code cap}).
     */
    public int unrequestedDeadlineBlocks(BitSet peerHas, boolean peerIsSeed, long upTo, int cap) {
        int n = 0;
        for (int i = deadlined.nextSetBit(0); i >= 0 && n < cap; i = deadlined.nextSetBit(i + 1)) {
            if (deadline[i] > upTo || have.get(i) || priority[i] == 0 || !(peerIsSeed || peerHas.get(i))) {
                continue;
            }
            Partial p = partialOf[i];
            n += p == null ? blockCount(i) : p.unrequested;
        }
        return Math.min(n, cap);
    }

    /** Pieces whose deadline is below {@code limit} (streaming: a reader is blocked on them), ascending. */
    public List<Integer> piecesWithDeadlineBelow(long limit) {
        List<Integer> out = new ArrayList<>(2);
        for (int i = deadlined.nextSetBit(0); i >= 0; i = deadlined.nextSetBit(i + 1)) {
            if (deadline[i] < limit && !have.get(i) && priority[i] > 0) {
                out.add(i);
            }
        }
        return out;
    }

    /** Blocks of a wanted piece that are neither requested nor received (all of them before it is started). */
    public int unrequestedBlocks(int piece) {
        if (have.get(piece) || priority[piece] == 0) {
            return 0;
        }
        Partial p = partialOf[piece];
        return p == null ? blockCount(piece) : p.unrequested;
    }

    /**
     * Asks for a block once more (a streaming piece whose request is late): true when the block is
     * still missing, already requested, and asked of fewer than {@link #MAX_ENDGAME_REQUESTS} peers.
     */
    public boolean requestAgain(Block b) {
        Partial p = partialOf[b.piece()];
        if (p == null || p.received[b.index()] || p.requests[b.index()] == 0
                || p.requests[b.index()] >= MAX_ENDGAME_REQUESTS) {
            return false;
        }
        p.requests[b.index()]++;
        return true;
    }

    // ---- progress ----

    public boolean have(int piece) {
        return have.get(piece);
    }

    public BitSet haveSet() {
        return (BitSet) have.clone();
    }

    public int haveCount() {
        return have.cardinality();
    }

    /** Marks a piece verified (also used when resuming from disk). */
    public void pieceVerified(int piece) {
        have.set(piece);
        partials.remove(piece);
        partialOf[piece] = null;
        clearDeadline(piece);
    }

    /** The piece failed its hash: every block becomes free to request again. */
    public void pieceFailed(int piece) {
        partials.remove(piece);
        partialOf[piece] = null;
    }

    /** True when every piece with priority above 0 is verified. */
    public boolean isComplete() {
        for (int i = have.nextClearBit(0); i < pieceCount; i = have.nextClearBit(i + 1)) {
            if (priority[i] > 0) {
                return false;
            }
        }
        return true;
    }

    public boolean wanted(int piece) {
        return !have.get(piece) && priority[piece] > 0;
    }

    /** Bytes of wanted pieces not yet verified. */
    public long bytesLeft() {
        long left = 0;
        for (int i = have.nextClearBit(0); i < pieceCount; i = have.nextClearBit(i + 1)) {
            if (priority[i] > 0) {
                left += pieceSize(i);
            }
        }
        return left;
    }

    /** Whether {@code peerHas} holds a piece we still want. */
    public boolean interesting(BitSet peerHas, boolean peerIsSeed) {
        for (int i = have.nextClearBit(0); i < pieceCount; i = have.nextClearBit(i + 1)) {
            if (priority[i] > 0 && (peerIsSeed || peerHas.get(i))) {
                return true;
            }
        }
        return false;
    }

    /** True while the piece has blocks being fetched or awaiting verification. */
    public boolean inProgress(int piece) {
        return partialOf[piece] != null;
    }

    public int partialCount() {
        return partials.size();
    }

    public boolean isRequested(Block b) {
        Partial p = partialOf[b.piece()];
        return p != null && p.requests[b.index()] > 0;
    }

    /** How many peers the block is asked of now (0 when it is not requested or its piece is not in progress). */
    public int requestCount(Block b) {
        Partial p = partialOf[b.piece()];
        return p == null ? 0 : p.requests[b.index()];
    }

    public boolean isReceived(Block b) {
        if (have.get(b.piece())) {
            return true;
        }
        Partial p = partialOf[b.piece()];
        return p != null && p.received[b.index()];
    }

    /**
     * Records a block's arrival. Returns true when this completes the piece (every block received),
     * at which point the caller verifies it and reports {@link #pieceVerified} or {@link #pieceFailed}.
     * A duplicate (endgame) or unknown block returns false and changes nothing.
     */
    public boolean received(Block b) {
        Partial p = partialOf[b.piece()];
        if (p == null || p.received[b.index()]) {
            return false;
        }
        if (p.requests[b.index()] == 0) {
            p.unrequested--;
        }
        p.received[b.index()] = true;
        p.receivedCount++;
        return p.receivedCount == p.received.length;
    }

    /** A request that will not be answered (rejected, cancelled, peer gone, timed out). */
    public void abort(Block b) {
        Partial p = partialOf[b.piece()];
        if (p == null || p.received[b.index()] || p.requests[b.index()] == 0) {
            return;
        }
        if (--p.requests[b.index()] == 0) {
            p.unrequested++;
        }
    }

    /**
     * Up to {@code max} blocks to request from a peer having {@code peerHas} (or everything when
     * {@code peerIsSeed}). {@code canAsk} limits pieces (e.g. allowed-fast while choked);
     * {@code alreadyAsked} tells which blocks this peer already has outstanding, for endgame.
     * New pieces are started only while fewer than {@code maxPartials} are in progress.
     */
    public List<Block> pick(BitSet peerHas, boolean peerIsSeed, int max, int maxPartials, Predicate<Integer> canAsk,
            Predicate<Block> alreadyAsked) {
        List<Block> out = new ArrayList<>();
        if (max <= 0) {
            return out;
        }
        // 0. Pieces with a deadline (streaming), earliest first, partial or new: they outrank the
        // partial pieces below, and may go beyond maxPartials (up to twice), a reader is waiting.
        if (!deadlined.isEmpty()) {
            List<Integer> urgent = new ArrayList<>();
            for (int i = deadlined.nextSetBit(0); i >= 0; i = deadlined.nextSetBit(i + 1)) {
                if (have.get(i) || priority[i] == 0 || !(peerIsSeed || peerHas.get(i)) || !canAsk.test(i)) {
                    continue;
                }
                Partial p = partialOf[i];
                if (p == null || p.unrequested > 0) {
                    urgent.add(i);
                }
            }
            urgent.sort((a, b) -> {
                int c = Long.compare(deadline[a], deadline[b]);
                return c != 0 ? c : Integer.compare(a, b);
            });
            for (int piece : urgent) {
                Partial p = partialOf[piece];
                if (p == null) {
                    if (partials.size() >= 2 * maxPartials) {
                        break;
                    }
                    p = new Partial(blockCount(piece));
                    partials.put(piece, p);
                    partialOf[piece] = p;
                }
                takeFree(piece, p, out, max);
                if (out.size() >= max) {
                    return out;
                }
            }
        }
        // 1. Partial pieces first, most urgent (deadline, priority) then most complete, so they finish and free memory.
        // Most partial pieces are fully requested: filter before sorting, this runs for every batch of requests.
        List<Map.Entry<Integer, Partial>> started = new ArrayList<>();
        for (var e : partials.entrySet()) {
            int piece = e.getKey();
            if (e.getValue().unrequested > 0 && priority[piece] > 0 && (peerIsSeed || peerHas.get(piece)) && canAsk.test(piece)) {
                started.add(e);
            }
        }
        started.sort((a, b) -> {
            int pa = a.getKey(), pb = b.getKey();
            int c = Long.compare(deadline[pa], deadline[pb]);
            if (c != 0) {
                return c;
            }
            c = Integer.compare(priority[pb], priority[pa]);
            if (c != 0) {
                return c;
            }
            c = Integer.compare(b.getValue().receivedCount, a.getValue().receivedCount);
            return c != 0 ? c : Integer.compare(pa, pb);
        });
        for (var e : started) {
            int piece = e.getKey();
            Partial p = e.getValue();
            if (p.unrequested == 0 || priority[piece] == 0 || !(peerIsSeed || peerHas.get(piece)) || !canAsk.test(piece)) {
                continue;
            }
            takeFree(piece, p, out, max);
            if (out.size() >= max) {
                return out;
            }
        }
        // 2. New pieces: earliest deadline, highest priority, rarest; ties broken by a random scan start.
        int start = pieceCount == 0 ? 0 : random.nextInt(pieceCount);
        while (out.size() < max && partials.size() < maxPartials) {
            int best = -1;
            for (int k = 0; k < pieceCount; k++) {
                int i = start + k;
                if (i >= pieceCount) {
                    i -= pieceCount;
                }
                if (have.get(i) || priority[i] == 0 || partialOf[i] != null || !(peerIsSeed || peerHas.get(i))
                        || !canAsk.test(i)) {
                    continue;
                }
                if (best < 0 || better(i, best)) {
                    best = i;
                }
            }
            if (best < 0) {
                break;
            }
            Partial p = new Partial(blockCount(best));
            partials.put(best, p);
            partialOf[best] = p;
            takeFree(best, p, out, max);
        }
        if (!out.isEmpty() || !inEndgame()) {
            return out;
        }
        // 3. Strict endgame: every wanted block is requested or received; ask a second peer for the rest.
        for (var e : partials.entrySet()) {
            int piece = e.getKey();
            Partial p = e.getValue();
            if (priority[piece] == 0 || !(peerIsSeed || peerHas.get(piece)) || !canAsk.test(piece)) {
                continue;
            }
            for (int b = 0; b < p.received.length && out.size() < max; b++) {
                if (!p.received[b] && p.requests[b] < MAX_ENDGAME_REQUESTS) {
                    Block blk = block(piece, b);
                    if (!alreadyAsked.test(blk)) {
                        p.requests[b]++;
                        out.add(blk);
                    }
                }
            }
        }
        return out;
    }

    private boolean better(int a, int b) {
        if (deadline[a] != deadline[b]) {
            return deadline[a] < deadline[b];
        }
        if (priority[a] != priority[b]) {
            return priority[a] > priority[b];
        }
        return availability[a] < availability[b];
    }

    private void takeFree(int piece, Partial p, List<Block> out, int max) {
        for (int b = 0; b < p.requests.length && out.size() < max && p.unrequested > 0; b++) {
            if (!p.received[b] && p.requests[b] == 0) {
                p.requests[b] = 1;
                p.unrequested--;
                out.add(block(piece, b));
            }
        }
    }

    /** True when no wanted piece has a block that is neither requested nor received. */
    public boolean inEndgame() {
        for (int i = have.nextClearBit(0); i < pieceCount; i = have.nextClearBit(i + 1)) {
            if (priority[i] == 0) {
                continue;
            }
            Partial p = partialOf[i];
            if (p == null || p.unrequested > 0) {
                return false;
            }
        }
        return true;
    }
}
