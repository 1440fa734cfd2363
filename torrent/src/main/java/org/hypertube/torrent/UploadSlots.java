package org.hypertube.torrent;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.IntPredicate;
import org.hypertube.torrent.peer.AllowedFastSet;
import org.hypertube.torrent.peer.PeerMessage;

/**
 * Who we upload to (libtorrent's {@code choker}): an interested peer is unchoked at once while a
 * slot is free, the {@link Choker} decides every 10 s, and choked fast peers get their BEP 6
 * Allowed Fast pieces. Guarded by the session's lock.
 */
final class UploadSlots {
    static final int CHOKE_INTERVAL_MS = 10_000;

    private final InfoHash infoHash;
    private final Choker choker;
    private final int slots;
    private long lastChoke;

    UploadSlots(InfoHash infoHash, Random random, int slots) {
        this.infoHash = infoHash;
        this.choker = new Choker(random);
        this.slots = slots;
    }

    void onInterested(PeerConnection p, boolean interested, List<PeerConnection> peers, long now, Pieces pieces) {
        p.peerInterested = interested;
        if (interested && p.amChoking && unchokedCount(peers) < slots) {
            unchoke(p, now);
        } else if (!interested && !p.amChoking) {
            choke(p, now, pieces);
        }
    }

    /** Every {@link #CHOKE_INTERVAL_MS}: the choker's decision applied. */
    void rechokeIfDue(List<PeerConnection> peers, boolean seeding, long now, Pieces pieces) {
        if (now - lastChoke < CHOKE_INTERVAL_MS) {
            return;
        }
        lastChoke = now;
        List<Choker.View> views = new ArrayList<>();
        for (PeerConnection p : peers) {
            if (!p.isClosed()) {
                views.add(new Choker.View(p, p.peerInterested, p.amChoking, p.down.rate(now), p.unchokedAt, p.chokedAt));
            }
        }
        Set<Object> keep = choker.decide(views, seeding, slots, now);
        for (PeerConnection p : peers) {
            if (keep.contains(p) && p.amChoking) {
                unchoke(p, now);
            } else if (!keep.contains(p) && !p.amChoking) {
                choke(p, now, pieces);
            }
        }
    }

    private static int unchokedCount(List<PeerConnection> peers) {
        int n = 0;
        for (PeerConnection p : peers) {
            if (!p.amChoking) {
                n++;
            }
        }
        return n;
    }

    private static void unchoke(PeerConnection p, long now) {
        p.amChoking = false;
        p.unchokedAt = now;
        p.send(new PeerMessage.Unchoke());
    }

    private void choke(PeerConnection p, long now, Pieces pieces) {
        p.amChoking = true;
        p.chokedAt = now;
        p.send(new PeerMessage.Choke());
        grantAllowedFast(p, pieces);
    }

    /** What the slots need of the torrent's pieces; null-free only once the torrent is checked. */
    record Pieces(int count, IntPredicate have) {}

    /**
     * BEP 6: tells a choked fast peer which pieces of its canonical Allowed Fast set (k = 10) we have,
     * so it may request them while choked. Each piece is granted once per connection, when we have it.
     * {@code pieces} is null before the torrent is checked.
     */
    void grantAllowedFast(PeerConnection p, Pieces pieces) {
        if (pieces == null || !p.fast || p.seed || !p.amChoking || p.isClosed()) {
            return;
        }
        if (p.fastSet == null) {
            p.fastSet = AllowedFastSet.generate(p.address.getAddress(), infoHash, pieces.count(), AllowedFastSet.DEFAULT_SIZE);
        }
        for (int piece : p.fastSet) {
            if (pieces.have().test(piece) && !p.has.get(piece) && p.fastGranted.add(piece)) {
                p.send(new PeerMessage.AllowedFast(piece));
            }
        }
    }
}
