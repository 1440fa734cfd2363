package org.hypertube.torrent.peer;

import java.util.Arrays;
import org.hypertube.torrent.bencode.BValue;
import org.hypertube.torrent.bencode.Bencode;
import org.hypertube.torrent.bencode.BencodeException;

/** BEP 9 {@code ut_metadata} messages: a bencoded header, and for data the raw metadata piece after it. */
public sealed interface MetadataMessage {
    int PIECE_SIZE = 16 * 1024;

    record Request(int piece) implements MetadataMessage {}

    record Data(int piece, int totalSize, byte[] data) implements MetadataMessage {
        @Override
        public boolean equals(Object o) {
            return o instanceof Data d && piece == d.piece && totalSize == d.totalSize && Arrays.equals(data, d.data);
        }

        @Override
        public int hashCode() {
            return piece;
        }

        @Override
        public String toString() {
            return "Data[" + piece + ", total " + totalSize + ", " + data.length + " bytes]";
        }
    }

    record Reject(int piece) implements MetadataMessage {}

    Bencode.Limits LIMITS = new Bencode.Limits(4, 64, 20);

    static byte[] encode(MetadataMessage m) {
        return switch (m) {
            case Request(int piece) -> Bencode.encode(Bencode.dict("msg_type", 0, "piece", piece));
            case Reject(int piece) -> Bencode.encode(Bencode.dict("msg_type", 2, "piece", piece));
            case Data(int piece, int total, byte[] data) -> {
                byte[] head = Bencode.encode(Bencode.dict("msg_type", 1, "piece", piece, "total_size", total));
                byte[] out = Arrays.copyOf(head, head.length + data.length);
                System.arraycopy(data, 0, out, head.length, data.length);
                yield out;
            }
        };
    }

    static MetadataMessage decode(byte[] payload) throws PeerProtocolException {
        Bencode.Prefix p;
        try {
            p = Bencode.decodePrefix(payload, 0, payload.length, LIMITS);
        } catch (BencodeException e) {
            throw new PeerProtocolException("ut_metadata header is not valid bencoding: " + e.getMessage());
        }
        if (!(p.value() instanceof BValue.BDict d)) {
            throw new PeerProtocolException("ut_metadata header is not a dictionary");
        }
        long type = d.get("msg_type").orElse(null) instanceof BValue.BInt(long t) ? t : -1;
        long piece = d.get("piece").orElse(null) instanceof BValue.BInt(long x) ? x : -1;
        if (piece < 0 || piece > ExtensionHandshake.MAX_METADATA_SIZE / PIECE_SIZE) {
            throw new PeerProtocolException("ut_metadata piece index missing or out of range: " + piece);
        }
        int rest = payload.length - p.end();
        return switch ((int) type) {
            case 0, 2 -> {
                if (rest != 0) {
                    throw new PeerProtocolException("ut_metadata request/reject with trailing bytes");
                }
                yield type == 0 ? new Request((int) piece) : new Reject((int) piece);
            }
            case 1 -> {
                long total = d.get("total_size").orElse(null) instanceof BValue.BInt(long t) ? t : -1;
                if (total <= 0 || total > ExtensionHandshake.MAX_METADATA_SIZE) {
                    throw new PeerProtocolException("ut_metadata total_size missing or out of range: " + total);
                }
                if (rest > PIECE_SIZE) {
                    throw new PeerProtocolException("ut_metadata piece of " + rest + " bytes exceeds 16 KiB");
                }
                yield new Data((int) piece, (int) total, Arrays.copyOfRange(payload, p.end(), payload.length));
            }
            default -> throw new PeerProtocolException("ut_metadata unknown msg_type " + type);
        };
    }
}
