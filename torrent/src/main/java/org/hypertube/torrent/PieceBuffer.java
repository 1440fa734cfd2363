package org.hypertube.torrent;

import java.nio.ByteBuffer;
import org.hypertube.torrent.metainfo.Sha1;
import org.hypertube.torrent.pieces.Block;
import org.hypertube.torrent.storage.Storage;

/**
 * A piece being assembled in memory, and the SHA-1 of its leading blocks, hashed as they arrive
 * (as libtorrent does) rather than all at once when the last block comes: the reader that copied a
 * block hashes it while it is still in the CPU's cache, outside the session lock, and a completed
 * piece needs only its last blocks hashed. Blocks of a piece mostly come in order from one peer, so
 * the hashed prefix follows the arrivals closely.
 *
 * <p>{@link #arrived} is called under the session lock after the block's bytes were copied into
 * {@link #data}; it publishes the length of the arrived prefix through a volatile field, so a
 * thread hashing without the session lock sees those bytes. Hashing is guarded by this object's
 * monitor, never taken while holding the session lock.
 */
final class PieceBuffer {
    /** The piece's bytes (direct, page-aligned: see {@link Storage#pieceBuffer}); absolute indexes only. */
    final ByteBuffer data;
    private final boolean[] arrived;
    /** Session lock: number of leading blocks arrived. */
    private int contiguous;
    /** {@link #contiguous} as published to hashing threads. */
    private volatile int ready;
    /** Guarded by this: leading blocks hashed. */
    private int hashed;
    private final Sha1 sha1;
    /** Session lock: the key of the peer each block came from, for smart banning when the piece fails. */
    final String[] senders;

    PieceBuffer(ByteBuffer data) {
        this.data = data;
        this.arrived = new boolean[(data.capacity() + Block.SIZE - 1) / Block.SIZE];
        this.senders = new String[arrived.length];
        this.sha1 = Sha1.create();
    }

    /** Session lock: block {@code index} is in {@link #data}; true when the hashable prefix grew. */
    boolean arrived(int index) {
        arrived[index] = true;
        if (index != contiguous) {
            return false;
        }
        int c = contiguous;
        while (c < arrived.length && arrived[c]) {
            c++;
        }
        contiguous = c;
        ready = c;
        return true;
    }

    /** Any thread without the session lock: hashes the arrived prefix not hashed yet. */
    synchronized void hashReady() {
        int r = ready;
        if (hashed < r) {
            int from = hashed * Block.SIZE;
            int to = Math.min(data.capacity(), r * Block.SIZE);
            sha1.update(data.slice(from, to - from));
            hashed = r;
        }
    }

    /** Once every block arrived: the piece's SHA-1 (hashing what is left). */
    synchronized byte[] digest() {
        hashReady();
        if (hashed != arrived.length) {
            throw new IllegalStateException("piece digest asked before all blocks arrived");
        }
        return sha1.digest();
    }
}
