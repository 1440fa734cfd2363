package org.hypertube.torrent.client;

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
    /** Strikes after which a peer that sent a failed piece alone is banned. */
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
        Set<String> ban = new LinkedHashSet<>();
        for (String s : senders) {
            // A peer that sent the whole piece alone is certainly at fault; strike harder.
            int n = strikes.merge(s, senders.size() == 1 ? 2 : 1, Integer::sum);
            if (n >= BAN_STRIKES && senders.size() == 1) {
                ban.add(s);
            }
        }
        return ban;
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
