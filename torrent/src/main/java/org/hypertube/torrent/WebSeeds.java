package org.hypertube.torrent;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import org.hypertube.torrent.webseed.FileSlice;
import org.hypertube.torrent.webseed.WebSeedException;
import org.hypertube.torrent.webseed.WebSeedHealth;
import org.hypertube.torrent.webseed.WebSeedUrls;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A torrent's web seeds (BEP 19; libtorrent's {@code web_peer_connection} bookkeeping): which URLs
 * become {@link WebSeedPeer}s, and what each fetch and each hash result means for a seed — rest it
 * (its back-off), stop asking it for the files outdated or missing on its server, or drop it. The
 * session carries the decisions out through {@link Host}. Guarded by the session's lock.
 */
final class WebSeeds {
    private static final Logger log = LoggerFactory.getLogger(WebSeeds.class);

    /** What the session does for a web seed. */
    interface Host {
        /** A new source: registered with the picker, asked for blocks. */
        void joined(Peer p);

        /** No more requests until further notice: what it was asked goes back to the picker. */
        void rest(Peer p);

        /** Gone for good (after {@link #rest}). */
        void left(Peer p);

        /** It has only {@code has} now; requests for other pieces go back to the picker. */
        void availabilityChanged(Peer p, BitSet has);
    }

    private final InfoHash infoHash;
    private final List<String> urls = new ArrayList<>();
    private final List<WebSeedPeer> seeds = new ArrayList<>();

    WebSeeds(InfoHash infoHash) {
        this.infoHash = infoHash;
    }

    /** A URL from the torrent's {@code url-list} or the magnet's {@code ws=}; duplicates ignored. */
    void add(String url) {
        if (!urls.contains(url)) {
            urls.add(url);
        }
    }

    /** Once the files are checked: every URL as a {@link WebSeedPeer}. */
    void start(TorrentSession session, TorrentInfo info, Clock clock, OutsideAddressPolicy policy, Host host) {
        for (String url : urls) {
            WebSeedUrls u;
            try {
                u = WebSeedUrls.of(info, url);
            } catch (WebSeedException e) {
                log.warn("{} web seed {} ignored: {}", infoHash, url, e.getMessage());
                continue;
            }
            WebSeedPeer w = new WebSeedPeer(session, info, u, new WebSeedHealth(info, clock), policy);
            w.seed = true;
            seeds.add(w);
            host.joined(w);
            w.start();
        }
        if (!seeds.isEmpty()) {
            log.info("{} {} web seeds: {}", infoHash, seeds.size(), seeds.stream().map(w -> w.key).toList());
        }
    }

    List<WebSeedPeer> all() {
        return seeds;
    }

    boolean isEmpty() {
        return seeds.isEmpty();
    }

    /** The web seed whose ban key is {@code key}, or null (a wire peer). */
    WebSeedPeer find(String key) {
        for (WebSeedPeer w : seeds) {
            if (w.key.equals(key)) {
                return w;
            }
        }
        return null;
    }

    /** A fetch brought its bytes at the seed's measured {@code rate}. */
    void fetched(WebSeedPeer w, long rate) {
        w.health.fetched();
        w.measured(rate);
    }

    /** A fetch failed: the seed rests, loses a file, or is dropped. */
    void failed(WebSeedPeer w, WebSeedException e, TorrentInfo info, Host host) {
        boolean wasUsable = !w.peerChoking;
        int unavailable = w.health.unavailableFiles().size();
        w.health.failed(e);
        if (w.health.dropped().isPresent()) {
            drop(w, w.health.dropped().get(), host);
            return;
        }
        host.rest(w);
        if (wasUsable) {
            log.info("{} web seed {} failed ({}); next try at {}", infoHash, w.key, e.getMessage(), w.health.nextTry());
        }
        if (w.health.unavailableFiles().size() != unavailable) {
            filesChanged(w, info, host);
        }
    }

    /** The seed sent what the torrent's rules refuse (data never asked for...). */
    void drop(WebSeedPeer w, String reason, Host host) {
        log.warn("{} web seed {} dropped: {}", infoHash, w.key, reason);
        host.rest(w);
        w.close();
        seeds.remove(w);
        host.left(w);
    }

    /** {@code piece} passed: the seeds among its senders served good data for its files. */
    void piecePassed(int piece, String[] who, TorrentInfo info) {
        for (WebSeedPeer w : seeds) {
            if (Arrays.asList(who).contains(w.key)) {
                w.health.hashPassed(slices(info, piece));
            }
        }
    }

    /** Data from {@code w} for {@code piece} was wrong: its files there may be outdated on the server. */
    void sentBadData(WebSeedPeer w, int piece, TorrentInfo info, Host host) {
        int unavailable = w.health.unavailableFiles().size();
        w.health.hashFailed(slices(info, piece));
        if (w.health.dropped().isPresent()) {
            drop(w, w.health.dropped().get(), host);
        } else if (w.health.unavailableFiles().size() != unavailable) {
            filesChanged(w, info, host);
        }
    }

    /** On the tick: seeds whose back-off is over may be asked again (not while the torrent is paused). */
    void wake(boolean paused) {
        for (WebSeedPeer w : seeds) {
            if (w.peerChoking && !paused && w.health.usableNow()) {
                w.peerChoking = false;
            }
        }
    }

    void closeAll() {
        seeds.forEach(WebSeedPeer::close);
    }

    /** Pieces of files the seed cannot serve (missing, outdated on the server) are not asked of it. */
    private void filesChanged(WebSeedPeer w, TorrentInfo info, Host host) {
        BitSet has = new BitSet(info.pieceCount());
        has.set(0, info.pieceCount());
        for (int f : w.health.unavailableFiles().keySet()) {
            TorrentFile tf = info.files().get(f);
            if (tf.length() > 0) {
                has.clear((int) (tf.offset() / info.pieceLength()), (int) ((tf.offset() + tf.length() - 1) / info.pieceLength()) + 1);
            }
        }
        host.availabilityChanged(w, has);
        log.info("{} web seed {}: files it cannot serve: {}", infoHash, w.key, w.health.unavailableFiles());
    }

    private static List<FileSlice> slices(TorrentInfo info, int piece) {
        return FileSlice.plan(info, (long) piece * info.pieceLength(), info.pieceSize(piece));
    }
}
