package org.hypertube.torrent;

import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.hypertube.torrent.pieces.Block;

/**
 * What the requester and the piece assembly see of a source of blocks: a wire peer
 * ({@link PeerConnection}) or a web seed ({@link WebSeedPeer}). Its fields are the session's
 * bookkeeping of that source and are guarded by the session's lock; the {@link Requester} writes the
 * request state, the session the availability.
 */
abstract class Peer {
    static final int MAX_RECENTLY_ABORTED = 2_000;

    /** Identity for bans: a wire peer's address plus peer id, a web seed's URL. */
    final String key;

    // availability
    boolean seed;
    boolean registered;
    BitSet has = new BitSet();

    // requesting
    boolean amInterested;
    boolean peerChoking = true;
    final Set<Integer> allowedFast = new HashSet<>();
    final LinkedHashSet<Block> outstanding = new LinkedHashSet<>();
    /**
     * Requests given up on (cancelled, or dropped by a choke) whose answer may still come, with how many
     * times each: a block cancelled, asked again and cancelled again may arrive twice, and both copies
     * were asked for. At most {@link #MAX_RECENTLY_ABORTED} blocks, the oldest forgotten first.
     */
    final LinkedHashMap<Block, Integer> recentlyAborted = new LinkedHashMap<>();
    /** Requests for blocks of deadline pieces and when each is late (then it is asked of another peer too). */
    final HashMap<Block, Long> urgentDue = new HashMap<>();
    /** The most requests the source takes at once (a wire peer's {@code reqq}). */
    int peerRequestQueue = 250;
    final RateMeter down = new RateMeter();
    long lastBlockAt;
    long lastRequestAt;
    /** When a request went to this source while nothing was outstanding, until its first block answers (-1: none pending). */
    long askedIdleAt = -1;
    /** The shortest time from such a request to its first block: the source's round trip (-1: not measured). */
    long rttMs = -1;
    boolean snubbed;
    int unrequestedBlocks;

    Peer(String key) {
        this.key = key;
    }

    abstract boolean isClosed();

    abstract void close();

    /** Asks for {@code blocks}; never blocks (the session calls it under its lock). */
    abstract void sendRequests(List<Block> blocks);

    /** Tells the source a request is no longer wanted. */
    abstract void sendCancel(Block b);

    /** Our interest changed ({@link #amInterested} already set). */
    abstract void interestChanged();

    /** A request goes to this source while nothing is outstanding: a round trip is being measured. */
    void askedIdle(long now) {
        lastRequestAt = now;
        askedIdleAt = now;
    }

    /** A block came: the first after a request while idle gives a round-trip sample. */
    void answered(long now) {
        if (askedIdleAt >= 0) {
            long sample = now - askedIdleAt;
            rttMs = rttMs < 0 ? sample : Math.min(rttMs, sample);
            askedIdleAt = -1;
        }
        lastBlockAt = now;
    }

    void rememberAborted(Block b) {
        recentlyAborted.merge(b, 1, Integer::sum);
        if (recentlyAborted.size() > MAX_RECENTLY_ABORTED) {
            recentlyAborted.pollFirstEntry();
        }
    }

    /** Whether {@code b}, which arrived unasked, answers a request given up on (then one such answer is used up). */
    boolean takeAborted(Block b) {
        Integer times = recentlyAborted.get(b);
        if (times == null) {
            return false;
        }
        if (times == 1) {
            recentlyAborted.remove(b);
        } else {
            recentlyAborted.put(b, times - 1);
        }
        return true;
    }
}
