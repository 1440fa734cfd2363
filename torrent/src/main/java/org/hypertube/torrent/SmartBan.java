package org.hypertube.torrent;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.zip.CRC32C;

/**
 * Who to blame for corrupt data, as libtorrent's smart ban does: a failed piece's blocks are
 * remembered (sender and checksum); once the piece passes, the senders whose blocks differ from the
 * good data are the culprits. A peer that alone sent two failed pieces is a culprit too. A pure
 * object: no I/O, no threads, no clock; guarded by the session's lock.
 */
final class SmartBan {
    /** Failed pieces a peer sent alone after which it is banned. */
    static final int BAN_STRIKES = 2;

    /** One block of a piece: where it starts and how long it is. */
    record Span(int begin, int length) {}

    private final Map<Integer, Map<Integer, Sent>> failedBlocks = new HashMap<>();
    private final Map<String, Integer> strikes = new HashMap<>();

    private record Sent(String who, Span span, long crc) {}

    /**
     * A piece failed its hash: {@code who[i]} sent block {@code i} (spans in {@code spans}). Returns
     * the senders to ban at once (a peer that sent the whole piece alone, twice).
     */
    Set<String> pieceFailed(int piece, ByteBuffer data, String[] who, Span[] spans) {
        Map<Integer, Sent> record = failedBlocks.computeIfAbsent(piece, k -> new HashMap<>());
        Set<String> senders = new LinkedHashSet<>();
        for (int i = 0; i < who.length; i++) {
            if (who[i] != null) {
                senders.add(who[i]);
                record.put(i, new Sent(who[i], spans[i], crc(data, spans[i])));
            }
        }
        if (senders.size() != 1) {
            return Set.of(); // shared: the comparison once the piece passes tells who was wrong
        }
        // A peer that sent a whole failed piece alone is at fault; a second time, it is banned even
        // if no good copy of either piece ever comes to compare with.
        String sole = senders.iterator().next();
        return strikes.merge(sole, 1, Integer::sum) >= BAN_STRIKES ? Set.of(sole) : Set.of();
    }

    /** True while a failed attempt of {@code piece} waits for the good data to be compared. */
    boolean pending(int piece) {
        return failedBlocks.containsKey(piece);
    }

    /** A piece passed: the senders of the earlier failed attempts whose blocks differ from {@code good}. */
    Set<String> piecePassed(int piece, ByteBuffer good) {
        Map<Integer, Sent> record = failedBlocks.remove(piece);
        if (record == null || good == null) {
            return Set.of();
        }
        Set<String> culprits = new LinkedHashSet<>();
        for (Sent s : record.values()) {
            if (crc(good, s.span()) != s.crc()) {
                culprits.add(s.who());
            }
        }
        return culprits;
    }

    private static long crc(ByteBuffer data, Span span) {
        CRC32C c = new CRC32C();
        c.update(data.slice(span.begin(), span.length()));
        return c.getValue();
    }
}
