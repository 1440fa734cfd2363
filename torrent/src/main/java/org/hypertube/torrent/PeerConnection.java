package org.hypertube.torrent;

import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.LinkedBlockingDeque;
import org.hypertube.torrent.peer.Handshake;
import org.hypertube.torrent.peer.MessageCodec;
import org.hypertube.torrent.peer.PeerMessage;
import org.hypertube.torrent.pieces.Block;

/**
 * One peer after a successful handshake. The reader thread blocks on the socket and hands each
 * message to the session; the writer thread drains {@link #queue}. Fields marked "session" are
 * guarded by the session's lock.
 */
final class PeerConnection extends Peer implements ExtensionPeer {
    /** More queued outgoing items than this means the peer is not reading: drop it. */
    static final int MAX_QUEUED = 20_000;

    final TorrentSession session;
    final PeerTransport transport;
    final InetSocketAddress address;
    final boolean outgoing;
    final byte[] peerId;
    final boolean fast;
    final boolean extensions;
    /** The peer set BEP 5's DHT bit, so it takes a {@code PORT} message. */
    final boolean dht;
    private final DataInputStream in;
    /** The buffer under {@link #in}; DataInputStream itself buffers nothing, so reads on either stay in step. */
    private final PeerInput raw;
    private final BufferedOutputStream out;
    private final LinkedBlockingDeque<Object> queue = new LinkedBlockingDeque<>();
    private volatile boolean closed;
    /** Set when the session closed the connection for idleness. */
    private volatile String idleReason;

    // session state (see Peer for the requesting and availability state)
    boolean amChoking = true;
    boolean peerInterested;
    /** BEP 6: our canonical Allowed Fast set for this peer (null until the metadata is known) and what we sent of it. */
    java.util.List<Integer> fastSet;
    final Set<Integer> fastGranted = new HashSet<>();
    /** The peer's ids for the BEP 10 extensions it supports, by name. */
    final java.util.Map<String, Integer> theirExtensions = new java.util.HashMap<>();
    String client = "";
    /** The port an incoming peer listens on, from its extension handshake ({@code p}); 0 if unknown. */
    int listenPort;
    final RateMeter up = new RateMeter();
    long lastSentAt;
    long unchokedAt;
    long chokedAt;
    boolean droppedAsSeed;
    int uploadsQueued;

    /** An upload to do on the writer thread: read from storage and send. */
    record Upload(int piece, int begin, int length) {}

    PeerConnection(TorrentSession session, PeerTransport transport, DataInputStream in, PeerInput rawInput, Handshake theirs,
            boolean outgoing, long now) throws IOException {
        super(banKey(transport.remote(), theirs.peerId()));
        this.session = session;
        this.transport = transport;
        this.address = transport.remote();
        this.outgoing = outgoing;
        this.peerId = theirs.peerId();
        this.fast = theirs.supportsFast() && (Handshake.ourReserved()[7] & 0x04) != 0;
        this.extensions = theirs.supportsExtensions();
        this.dht = theirs.supportsDht();
        this.in = in;
        this.raw = rawInput;
        this.out = new BufferedOutputStream(transport.output(), 256 * 1024);
        this.lastSentAt = now;
        this.chokedAt = now;
    }

    /** Many peers may share one IP (loopback, NAT): a ban is for the address and the peer id together. */
    static String banKey(InetSocketAddress address, byte[] peerId) {
        return address.getAddress().getHostAddress() + "/" + HexFormat.of().formatHex(peerId);
    }

    @Override
    public int extensionId(String name) {
        return theirExtensions.getOrDefault(name, 0);
    }

    @Override
    public void sendExtended(int theirId, byte[] payload) {
        send(new PeerMessage.Extended(theirId, payload));
    }

    @Override
    public boolean outgoing() {
        return outgoing;
    }

    /** Where the peer accepts connections: the address we dialled, or an incoming peer's IP with the port it told us (null if it did not). */
    InetSocketAddress listenAddress() {
        if (outgoing) {
            return address;
        }
        return listenPort == 0 ? null : new InetSocketAddress(address.getAddress(), listenPort);
    }

    @Override
    public InetSocketAddress address() {
        return address;
    }

    void start() {
        Thread.ofVirtual().name("peer-read-" + address).start(this::readLoop);
        Thread.ofVirtual().name("peer-write-" + address).start(this::writeLoop);
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    /** How long the reader has waited in a read that brought nothing; the session closes a connection idle too long (channel reads have no timeout). */
    long idleNanos() {
        return raw.idleNanos();
    }

    /** Closes a connection on which nothing came for {@code timeout}; the reader reports why. */
    void closeIdle(java.time.Duration timeout) {
        idleReason = "idle for " + (timeout.toSeconds() > 0 ? timeout.toSeconds() + " s" : timeout.toMillis() + " ms");
        close();
    }

    /** Queues a message; never blocks, so the session can call it under its lock. */
    void send(PeerMessage m) {
        enqueue(MessageCodec.encode(m));
    }

    /** Queues a batch of requests as one item: one wake-up of the writer and one write for all of them. */
    @Override
    void sendRequests(java.util.List<Block> blocks) {
        enqueue(encodeRequests(blocks));
    }

    /** BEP 3 request messages (length 13, id 6, piece, begin, length), back to back. */
    static byte[] encodeRequests(java.util.List<Block> blocks) {
        byte[] out = new byte[17 * blocks.size()];
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(out);
        for (Block k : blocks) {
            b.putInt(13).put((byte) 6).putInt(k.piece()).putInt(k.begin()).putInt(k.length());
        }
        return out;
    }

    void sendUpload(Upload u) {
        uploadsQueued++;
        enqueue(u);
    }

    /** Drops a queued upload the peer cancelled; true if it was still queued. */
    boolean cancelUpload(Upload u) {
        boolean removed = queue.removeFirstOccurrence(u);
        if (removed) {
            uploadsQueued--;
        }
        return removed;
    }

    private void enqueue(Object item) {
        if (closed) {
            return;
        }
        if (queue.size() >= MAX_QUEUED) {
            session.dropped(this, "peer does not read what we send");
            close();
            return;
        }
        queue.add(item);
    }

    @Override
    void sendCancel(Block b) {
        send(new PeerMessage.Cancel(b.piece(), b.begin(), b.length()));
    }

    @Override
    void interestChanged() {
        send(amInterested ? new PeerMessage.Interested() : new PeerMessage.NotInterested());
    }

    private void readLoop() {
        String reason = "closed";
        try {
            int max = session.maxMessageLength();
            while (!closed) {
                readMessage(max);
            }
        } catch (EOFException e) {
            reason = "peer closed the connection";
        } catch (java.nio.channels.ClosedChannelException e) {
            reason = "closed"; // or idle: see below
        } catch (SocketException e) {
            reason = closed ? "closed" : "connection reset: " + TorrentClient.reason(e);
        } catch (IOException e) {
            reason = TorrentClient.reason(e);
        } catch (InterruptedException e) {
            reason = "interrupted";
        } catch (RuntimeException e) {
            reason = "internal error: " + e;
            session.logUnexpected(this, e);
        } finally {
            if (idleReason != null) {
                reason = idleReason;
            }
            close();
            session.disconnected(this, reason);
        }
    }

    /**
     * One message. Its own method, not the body of {@link #readLoop}: that loop runs for the whole
     * connection, so without on-stack replacement (the CLI runs without) it would stay interpreted.
     */
    private void readMessage(int max) throws IOException, InterruptedException {
        int length = in.readInt();
        if (length == 0) {
            session.onMessage(this, new PeerMessage.KeepAlive());
            return;
        }
        MessageCodec.checkLength(length, max);
        int id = in.readUnsignedByte();
        if (id == 7 && length >= 9) {
            int piece = in.readInt();
            int begin = in.readInt();
            int n = length - 9;
            session.limiter().acquire(n);
            // The block is handed to the session straight from the socket buffer: one copy, into its piece.
            int at = raw.require(n);
            readBufferedBlocks(piece, begin, at, n, max);
        } else {
            session.onMessage(this, MessageCodec.readBody(in, length, id, max));
        }
    }

    /** Most block messages handled under one acquisition of the session lock. */
    static final int MAX_BATCH = 32;

    /**
     * Hands the block at {@code at} to the session, together with the block messages after it that
     * are already complete in the socket buffer (one read often brings a dozen): one acquisition of
     * the session lock for all of them instead of one per block.
     */
    private void readBufferedBlocks(int piece, int begin, int at, int n, int max) throws IOException, InterruptedException {
        java.nio.ByteBuffer b = raw.buffer();
        int limit = raw.limit();
        int more = 0;
        long moreBytes = 0;
        int scan = at + n;
        while (more < MAX_BATCH - 1 && scan + 13 <= limit) {
            int len = b.getInt(scan);
            if (len < 9 || len > max || b.get(scan + 4) != 7 || scan + 4 + len > limit) {
                break;
            }
            moreBytes += len - 9;
            scan += 4 + len;
            more++;
        }
        if (moreBytes > 0) {
            session.limiter().acquire((int) moreBytes);
        }
        // Pieces whose arrived prefix grew, hashed once the lock is released (usually one or two).
        PieceBuffer[] grew = new PieceBuffer[more + 1];
        int count = 0;
        synchronized (session) {
            count = remember(grew, count, session.onBlockHeld(this, piece, begin, b, at, n));
            raw.skip(n);
            for (int k = 0; k < more; k++) {
                int len = in.readInt();
                in.readUnsignedByte();
                int p = in.readInt();
                int bg = in.readInt();
                int m = len - 9;
                int pos = raw.require(m); // already buffered: no read
                count = remember(grew, count, session.onBlockHeld(this, p, bg, b, pos, m));
                raw.skip(m);
            }
        }
        for (int k = 0; k < count; k++) {
            grew[k].hashReady();
        }
    }

    private static int remember(PieceBuffer[] grew, int count, PieceBuffer pb) {
        if (pb == null) {
            return count;
        }
        for (int k = 0; k < count; k++) {
            if (grew[k] == pb) {
                return count;
            }
        }
        grew[count] = pb;
        return count + 1;
    }

    private void writeLoop() {
        byte[] block = new byte[MessageCodec.MAX_BLOCK];
        try {
            while (!closed) {
                writeQueued(block);
            }
        } catch (IOException | InterruptedException e) {
            // the reader sees the closed socket and reports it
        } finally {
            close();
        }
    }

    /** Everything queued, then one flush (its own method for the same reason as {@link #readMessage}). */
    private void writeQueued(byte[] block) throws IOException, InterruptedException {
        Object item = queue.take();
        do {
            write(item, block);
        } while ((item = queue.poll()) != null);
        out.flush();
    }

    private void write(Object item, byte[] block) throws IOException, InterruptedException {
        switch (item) {
            case byte[] bytes -> out.write(bytes);
            case Upload u -> {
                if (!session.approveUpload(this, u)) {
                    return;
                }
                session.uploadLimiter().acquire(u.length());
                session.storageRead(u.piece(), u.begin(), block, u.length());
                MessageCodec.writePiece(out, u.piece(), u.begin(), block, 0, u.length());
                session.uploaded(this, u.length());
            }
            default -> throw new IllegalStateException("unknown queue item " + item);
        }
    }

    @Override
    synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        session.connectionClosed();
        queue.clear();
        queue.add(new byte[0]);
        try {
            transport.close();
        } catch (IOException e) {
            // already closed
        }
    }

    @Override
    public String toString() {
        return address.getAddress().getHostAddress() + ":" + address.getPort();
    }
}
