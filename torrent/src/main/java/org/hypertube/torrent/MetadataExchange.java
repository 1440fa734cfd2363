package org.hypertube.torrent;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.LongSupplier;
import org.hypertube.torrent.peer.ExtensionHandshake;
import org.hypertube.torrent.peer.MetadataMessage;
import org.hypertube.torrent.peer.PeerProtocolException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code ut_metadata} (BEP 9): serves our info dictionary to anyone who asks and, for a magnet,
 * fetches it in 16 KiB pieces from the peers that claim the same size, asking again after 5 s (at
 * once when every peer asked goes away), bounded to {@link ExtensionHandshake#MAX_METADATA_SIZE},
 * checked against the info-hash before use. A small dictionary (a film's: a few pieces) is asked of
 * up to {@link #COPIES} peers as they come, the first copy of each piece wins: a rate-limited
 * libtorrent seeder answers only at its limiter's next tick (every 0.5 s), so one peer asked alone
 * made every Play wait up to half a second for its metadata.
 */
final class MetadataExchange implements Extension {
    private static final Logger log = LoggerFactory.getLogger(MetadataExchange.class);
    static final long REASK_MS = 5_000;
    /** Peers asked for each piece of a small dictionary at once. */
    static final int COPIES = 3;
    /** A dictionary of at most this many pieces (256 KiB) is small. */
    static final int SMALL_PIECES = 16;

    /** What the exchange needs of its torrent. */
    interface Torrent {
        InfoHash infoHash();

        /** The info dictionary once known, else null. */
        TorrentInfo knownInfo();

        /** The whole dictionary arrived and matches the info-hash. */
        void metadataReceived(byte[] raw);
    }

    private final Torrent torrent;
    private final Random random;
    private final LongSupplier clock;
    /** Peers that speak ut_metadata and the size they claim. */
    private final Map<ExtensionPeer, Integer> claims = new LinkedHashMap<>();
    private byte[] metadata;
    private BitSet have;
    private long[] requestedAt;
    /** Whom each piece was asked of since it was last (re-)asked. */
    private List<List<ExtensionPeer>> askedOf;
    /** Able peers that were there at a previous request: a peer not among them is new. */
    private final java.util.Set<ExtensionPeer> askedBefore = new java.util.HashSet<>();
    /** Where the round robin over able peers goes on; negative until the first request. */
    private int next = -1;

    MetadataExchange(Torrent torrent, Random random, LongSupplier clock) {
        this.torrent = torrent;
        this.random = random;
        this.clock = clock;
    }

    @Override
    public String name() {
        return ExtensionHandshake.UT_METADATA;
    }

    @Override
    public void onHandshake(ExtensionPeer p, ExtensionHandshake theirs) {
        int size = theirs.metadataSize().orElse(0);
        if (p.extensionId(name()) == 0 || size <= 0) {
            claims.remove(p);
            return;
        }
        claims.put(p, size);
        if (torrent.knownInfo() != null) {
            return;
        }
        if (metadata == null) {
            startBuffer(size);
        }
        request();
    }

    private void startBuffer(int size) {
        metadata = new byte[size];
        int pieces = (size + MetadataMessage.PIECE_SIZE - 1) / MetadataMessage.PIECE_SIZE;
        have = new BitSet(pieces);
        requestedAt = new long[pieces];
        askedOf = new ArrayList<>(pieces);
        for (int i = 0; i < pieces; i++) {
            askedOf.add(new ArrayList<>());
        }
        Arrays.fill(requestedAt, Long.MIN_VALUE / 2); // never asked
    }

    /**
     * The size most live peers claim. A first peer that claimed a wrong size (or has another torrent
     * under this hash) would otherwise stall the magnet: only peers claiming the buffer's size are asked.
     */
    private void followTheMajority() {
        Map<Integer, Integer> votes = new java.util.HashMap<>();
        claims.forEach((p, size) -> {
            if (!p.isClosed()) {
                votes.merge(size, 1, Integer::sum);
            }
        });
        int current = votes.getOrDefault(metadata.length, 0);
        votes.entrySet().stream().filter(e -> e.getValue() > current).max(Map.Entry.comparingByValue()).ifPresent(e -> {
            log.info("{} metadata size {} claimed by {} peers, {} by {}: following the majority", torrent.infoHash(),
                    e.getKey(), e.getValue(), metadata.length, current);
            startBuffer(e.getKey());
        });
    }

    @Override
    public void onClosed(ExtensionPeer p) {
        claims.remove(p);
        askedBefore.remove(p);
        if (metadata == null || torrent.knownInfo() != null) {
            return;
        }
        // Its pieces will not come: ask the others now rather than after REASK_MS.
        boolean lost = false;
        for (int i = 0; i < askedOf.size(); i++) {
            if (forget(i, p)) {
                requestedAt[i] = Long.MIN_VALUE / 2;
                lost = true;
            }
        }
        if (lost) {
            request();
        }
    }

    /** {@code p} will not send piece {@code i}: true when nobody else was asked for it (then it is asked again at once). */
    private boolean forget(int i, ExtensionPeer p) {
        List<ExtensionPeer> asked = askedOf.get(i);
        if (!asked.remove(p) || have.get(i) || !asked.isEmpty()) {
            return false;
        }
        requestedAt[i] = Long.MIN_VALUE / 2;
        return true;
    }

    @Override
    public void tick(long now) {
        request();
    }

    @Override
    public void onMessage(ExtensionPeer p, byte[] payload) throws PeerProtocolException {
        switch (MetadataMessage.decode(payload)) {
            case MetadataMessage.Request(int piece) -> serve(p, piece);
            case MetadataMessage.Data d -> onData(d);
            case MetadataMessage.Reject r -> {
                if (requestedAt != null && r.piece() >= 0 && r.piece() < requestedAt.length) {
                    forget(r.piece(), p);
                }
            }
        }
    }

    private void serve(ExtensionPeer p, int piece) {
        int theirId = p.extensionId(name());
        if (theirId == 0) {
            return;
        }
        TorrentInfo info = torrent.knownInfo();
        if (info == null || (long) piece * MetadataMessage.PIECE_SIZE >= info.rawLength()) {
            p.sendExtended(theirId, MetadataMessage.encode(new MetadataMessage.Reject(piece)));
            return;
        }
        byte[] raw = info.rawBytes();
        int from = piece * MetadataMessage.PIECE_SIZE;
        byte[] slice = Arrays.copyOfRange(raw, from, Math.min(raw.length, from + MetadataMessage.PIECE_SIZE));
        p.sendExtended(theirId, MetadataMessage.encode(new MetadataMessage.Data(piece, raw.length, slice)));
    }

    /**
     * Asks for every piece not asked in the last {@link #REASK_MS}, spread over the able peers; a small
     * dictionary's pieces also of peers that came since, up to {@link #COPIES} peers each.
     */
    private void request() {
        if (metadata == null || torrent.knownInfo() != null) {
            return;
        }
        followTheMajority();
        long now = clock.getAsLong();
        List<ExtensionPeer> able = new ArrayList<>();
        claims.forEach((p, size) -> {
            if (size == metadata.length && !p.isClosed()) {
                able.add(p);
            }
        });
        if (able.isEmpty()) {
            return;
        }
        for (int i = 0; i < requestedAt.length; i++) {
            if (have.get(i)) {
                continue;
            }
            List<ExtensionPeer> asked = askedOf.get(i);
            boolean round = now - requestedAt[i] > REASK_MS;
            if (round) {
                asked.clear();
                requestedAt[i] = now;
            }
            // Round robin from a random start: each peer gets its share, none is asked for everything.
            if (next < 0) {
                next = random.nextInt(able.size());
            }
            // A new round asks one peer (a small dictionary: COPIES); between rounds only a peer that came since is asked too.
            int copies = requestedAt.length <= SMALL_PIECES ? COPIES : 1;
            for (int tried = 0; tried < able.size() && asked.size() < copies; tried++) {
                ExtensionPeer p = round ? able.get(next++ % able.size()) : able.get(able.size() - 1 - tried);
                if (!asked.contains(p) && (round || !askedBefore.contains(p))) {
                    asked.add(p);
                    p.sendExtended(p.extensionId(name()), MetadataMessage.encode(new MetadataMessage.Request(i)));
                }
            }
        }
        askedBefore.addAll(able);
    }

    private void onData(MetadataMessage.Data d) throws PeerProtocolException {
        if (torrent.knownInfo() != null || metadata == null) {
            return;
        }
        if (d.totalSize() != metadata.length || d.piece() >= requestedAt.length) {
            throw new PeerProtocolException("ut_metadata data does not match the announced metadata size");
        }
        int from = d.piece() * MetadataMessage.PIECE_SIZE;
        int expected = Math.min(MetadataMessage.PIECE_SIZE, metadata.length - from);
        if (d.data().length != expected) {
            throw new PeerProtocolException("ut_metadata piece " + d.piece() + " has " + d.data().length + " bytes, expected " + expected);
        }
        if (have.get(d.piece())) {
            return; // the first copy wins: a later one (several peers are asked) must not overwrite a good piece
        }
        System.arraycopy(d.data(), 0, metadata, from, expected);
        have.set(d.piece());
        if (have.cardinality() < requestedAt.length) {
            return;
        }
        if (!InfoHash.ofInfo(metadata).equals(torrent.infoHash())) {
            log.warn("{} metadata from peers does not match the info-hash; asking again", torrent.infoHash());
            have.clear();
            Arrays.fill(requestedAt, Long.MIN_VALUE / 2);
            request();
            return;
        }
        byte[] done = metadata;
        metadata = null;
        torrent.metadataReceived(done);
    }
}
