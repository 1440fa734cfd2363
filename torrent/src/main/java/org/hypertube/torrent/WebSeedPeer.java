package org.hypertube.torrent;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingDeque;
import org.hypertube.torrent.pieces.Block;
import org.hypertube.torrent.webseed.WebSeedConnection;
import org.hypertube.torrent.webseed.WebSeedException;
import org.hypertube.torrent.webseed.WebSeedHealth;
import org.hypertube.torrent.webseed.WebSeedUrls;

/**
 * A web seed (BEP 19) as one more {@link Peer} (libtorrent's {@code web_peer_connection}, anacrolix's
 * {@code webseed-peer.go}): the {@link Requester} asks it for blocks like any peer; {@value #WORKERS}
 * threads, each with its own keep-alive connection, take runs of consecutive requested blocks (up to
 * {@value #MAX_SPAN} bytes, one range request per file part) and hand the bytes to the session's
 * block path, where they are verified like a peer's. Its {@link WebSeedHealth} (guarded by the
 * session's lock) backs it off after failures and decides which files it can serve.
 */
final class WebSeedPeer extends Peer {
    static final int WORKERS = 4;
    static final int MAX_SPAN = 4 << 20;
    /** A request's bytes reach the session only when it is complete: on a slow seed, short requests keep a waiting reader's wait short. */
    static final int MIN_SPAN = 64 << 10;

    private final TorrentSession session;
    final WebSeedUrls urls;
    final WebSeedHealth health;
    private final OutsideAddressPolicy policy;
    private final TorrentInfo info;
    /** Requested blocks no worker has taken yet, in the order asked. */
    private final LinkedBlockingDeque<Block> queue = new LinkedBlockingDeque<>();
    private final List<Thread> workers = new ArrayList<>();
    private volatile boolean closed;
    /** Bytes one request may ask for: about half a second of this seed's rate per worker, set by the session. */
    private volatile int spanLimit = MIN_SPAN;

    WebSeedPeer(TorrentSession session, TorrentInfo info, WebSeedUrls urls, WebSeedHealth health, OutsideAddressPolicy policy) {
        super(urls.seedUrl());
        this.session = session;
        this.urls = urls;
        this.health = health;
        this.policy = policy;
        this.info = info;
        this.peerRequestQueue = Requester.MAX_PIPELINE;
        this.peerChoking = false;
    }

    void start() {
        for (int i = 0; i < WORKERS; i++) {
            workers.add(Thread.ofVirtual().name("webseed-" + i + "-" + info.infoHash().shortHex()).start(this::work));
        }
    }

    /** The server's address, for the peer list shown to operators (unresolved). */
    InetSocketAddress address() {
        URI u = URI.create(urls.seedUrl());
        int port = u.getPort() > 0 ? u.getPort() : "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80;
        return InetSocketAddress.createUnresolved(u.getHost() == null ? "?" : u.getHost(), port);
    }

    @Override
    boolean isClosed() {
        return closed;
    }

    @Override
    void close() {
        closed = true;
        queue.clear();
        workers.forEach(Thread::interrupt);
    }

    @Override
    void sendRequests(List<Block> blocks) {
        queue.addAll(blocks);
    }

    @Override
    void sendCancel(Block b) {
        queue.remove(b);
    }

    @Override
    void interestChanged() {
        // nothing to tell an HTTP server
    }

    /** Drops requests no worker has taken yet (the session gives them back to the picker). */
    void clearQueue() {
        queue.clear();
    }

    private void work() {
        try (WebSeedConnection conn = new WebSeedConnection(urls, policy)) {
            while (!closed) {
                List<Block> span = takeSpan();
                long offset = offset(span.getFirst());
                int length = (int) (offset(span.getLast()) + span.getLast().length() - offset);
                ByteBuffer buf = ByteBuffer.allocate(length);
                session.limiter().acquire(length);
                try {
                    conn.fetch(offset, buf);
                } catch (WebSeedException e) {
                    if (!closed) {
                        session.webSeedFailed(this, e);
                    }
                    continue;
                }
                session.webSeedDelivered(this, span, buf);
            }
        } catch (InterruptedException e) {
            // closed
        }
    }

    /** Under the session's lock, after each delivery: requests of about half a second at {@code rate} bytes/s shared by the workers. */
    void measured(long rate) {
        spanLimit = (int) Math.max(MIN_SPAN, Math.min(MAX_SPAN, rate / (2 * WORKERS)));
    }

    /** The next requested block and those right after it in the torrent, up to {@link #spanLimit} bytes. */
    private List<Block> takeSpan() throws InterruptedException {
        List<Block> span = new ArrayList<>();
        Block first = queue.take();
        span.add(first);
        long end = offset(first) + first.length();
        long length = first.length();
        int limit = spanLimit;
        while (length < limit) {
            Block next = queue.peekFirst();
            if (next == null || offset(next) != end || !queue.remove(next)) {
                break;
            }
            span.add(next);
            end += next.length();
            length += next.length();
        }
        return span;
    }

    private long offset(Block b) {
        return (long) b.piece() * info.pieceLength() + b.begin();
    }

    @Override
    public String toString() {
        return "web seed " + urls.seedUrl();
    }
}
