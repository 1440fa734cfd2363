package org.hypertube.torrent;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.hypertube.torrent.storage.Storage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pieces being assembled in memory and their hand-off to hashing (libtorrent's disk job queue, in
 * small): a page-aligned buffer per piece in progress, pooled for reuse; on the hash pool the piece
 * is checked and, if good, written; the result is queued for the session, whose lock the hashing
 * threads never wait for. {@link #bufferFor} and {@link #clear} run under the session's lock; the
 * pool and the result queue have their own.
 */
final class PieceAssembly {
    private static final Logger log = LoggerFactory.getLogger(PieceAssembly.class);

    /** One hash result; {@code data} is null for a good piece whose buffer already went back to the pool. */
    record Checked(int piece, boolean ok, ByteBuffer data, String[] who) {}

    /** Where results and failures go. */
    interface Host {
        /** A result was queued: make sure someone drains it soon. */
        void resultQueued();

        /** Writing a verified piece failed with {@code message}. */
        void writeFailed(String message);
    }

    private final InfoHash infoHash;
    private final TorrentInfo info;
    private final Storage storage;
    private final Host host;
    /** Session lock: pieces being assembled, by index. */
    private final PieceBuffer[] buffers;
    /** Buffers back from verification, reused (a piece-sized buffer is costly to allocate and zero); guarded by itself. */
    private final ArrayDeque<ByteBuffer> spare = new ArrayDeque<>();
    private final int maxSpare;
    private final ConcurrentLinkedQueue<Checked> results = new ConcurrentLinkedQueue<>();
    /** Pieces with a failed attempt on record: their good data is kept until the smart ban has compared it. */
    private final Set<Integer> keepGood = ConcurrentHashMap.newKeySet();
    private int allocated;

    PieceAssembly(InfoHash infoHash, TorrentInfo info, Storage storage, Host host) {
        this.infoHash = infoHash;
        this.info = info;
        this.storage = storage;
        this.host = host;
        this.buffers = new PieceBuffer[info.pieceCount()];
        this.maxSpare = (int) Math.max(4, Requester.UNVERIFIED_BUDGET / info.pieceLength()) + 16;
    }

    /**
     * The buffer of {@code piece}, started if need be; null when there is no direct memory for it
     * even after every torrent's idle buffers were let go ({@code dropAllSpare}).
     */
    PieceBuffer bufferFor(int piece, Runnable dropAllSpare) {
        PieceBuffer pb = buffers[piece];
        if (pb != null) {
            return pb;
        }
        int size = info.pieceSize(piece);
        ByteBuffer buf;
        synchronized (spare) {
            buf = spare.pollFirst();
        }
        if (buf != null && size < info.pieceLength()) {
            buf = buf.slice(0, size); // the short last piece (not pooled again)
        }
        if (buf == null) {
            buf = allocate(size, dropAllSpare);
            if (buf == null) {
                return null;
            }
        }
        pb = new PieceBuffer(buf);
        buffers[piece] = pb;
        return pb;
    }

    /** {@code allocateDirect} has collected and retried already when it gives up; one more try after every pool was let go. */
    private ByteBuffer allocate(int size, Runnable dropAllSpare) {
        for (int attempt = 0; ; attempt++) {
            try {
                ByteBuffer buf = Storage.pieceBuffer(size);
                allocated++;
                return buf;
            } catch (OutOfMemoryError e) {
                if (attempt > 0) {
                    log.warn("{} no direct memory for a {}-byte piece buffer: {}", infoHash, size, e.getMessage());
                    return null;
                }
                dropAllSpare.run();
            }
        }
    }

    /** The piece is complete (it goes to hashing) or abandoned. */
    void clear(int piece) {
        buffers[piece] = null;
    }

    void clearAll() {
        Arrays.fill(buffers, null);
    }

    int allocated() {
        return allocated;
    }

    /** A failed attempt of {@code piece} is on record: keep its good data for the smart ban. */
    void keepGoodData(int piece) {
        keepGood.add(piece);
    }

    void goodDataCompared(int piece) {
        keepGood.remove(piece);
    }

    /** Lets the pooled buffers (direct memory) be collected. */
    void dropSpare() {
        synchronized (spare) {
            spare.clear();
        }
    }

    /** Keeps every full-size buffer up to the budget: after warm-up no piece buffer is allocated (and zeroed) again. */
    void giveBack(ByteBuffer data) {
        if (data.capacity() != info.pieceLength()) {
            return;
        }
        synchronized (spare) {
            if (spare.size() < maxSpare) {
                spare.push(data);
            }
        }
    }

    /**
     * Runs on the hash pool: SHA-1, then write if good. The result is queued for the session rather
     * than applied under its lock here: the peers' reader threads take that lock for every block, and
     * a hashing thread waiting for it (tens of ms on a busy machine) held its piece buffer and the
     * next piece's hash back.
     */
    void verifyAndWrite(int piece, PieceBuffer pb, String[] who) {
        ByteBuffer data = pb.data;
        boolean ok = info.pieceHashMatches(piece, pb.digest());
        if (ok) {
            try {
                storage.writePiece(piece, data);
            } catch (IOException e) {
                host.writeFailed(e.getMessage());
                return;
            }
        }
        ByteBuffer keep = data;
        if (ok && !keepGood.contains(piece)) {
            giveBack(data);
            keep = null;
        }
        results.add(new Checked(piece, ok, keep, who));
        host.resultQueued();
    }

    boolean hasResults() {
        return !results.isEmpty();
    }

    Checked nextResult() {
        return results.poll();
    }
}
