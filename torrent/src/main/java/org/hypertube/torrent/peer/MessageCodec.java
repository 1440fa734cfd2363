package org.hypertube.torrent.peer;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;

/**
 * Length-prefixed peer messages. The decoder checks the length prefix against a bound before
 * reading the body and each message's exact expected size, so a peer can neither make us allocate
 * gigabytes nor smuggle trailing bytes.
 */
public final class MessageCodec {
    /** Largest block we accept in a piece message (128 KiB, as libtorrent). */
    public static final int MAX_BLOCK = 128 * 1024;
    /** Bitfield for {@code TorrentInfo.MAX_PIECES} pieces, the largest legal message body. */
    public static final int DEFAULT_MAX_MESSAGE = (1 << 21) / 8 + 1;

    private MessageCodec() {}

    /**
     * Reads one message. {@code maxLength} bounds the body (id + payload); piece messages may always
     * carry up to {@link #MAX_BLOCK} bytes of data.
     */
    public static PeerMessage read(DataInputStream in, int maxLength) throws IOException {
        int length = in.readInt();
        if (length == 0) {
            return new PeerMessage.KeepAlive();
        }
        checkLength(length, maxLength);
        int id = in.readUnsignedByte();
        return readBody(in, length, id, maxLength);
    }

    /**
     * Reads the rest of a message whose length prefix (already checked against the limit by the
     * caller or by {@link #read}) and id were read; lets a caller handle piece data itself.
     */
    public static PeerMessage readBody(DataInputStream in, int length, int id, int maxLength) throws IOException {
        int payload = length - 1;
        if (id == 7) {
            if (payload < 8) {
                throw new PeerProtocolException("piece message of " + length + " bytes is too short");
            }
            int piece = in.readInt();
            int begin = in.readInt();
            byte[] data = new byte[payload - 8];
            in.readFully(data);
            return new PeerMessage.Piece(piece, begin, data);
        }
        if (id != 5 && id != 20 && payload > maxLength) {
            throw new PeerProtocolException("message id " + id + " of " + length + " bytes exceeds limit");
        }
        byte[] body = new byte[payload];
        in.readFully(body);
        return decodeBody(id, ByteBuffer.wrap(body));
    }

    /** Refuses a length prefix above the limit (piece messages may always carry {@link #MAX_BLOCK}). */
    public static void checkLength(int length, int maxLength) throws PeerProtocolException {
        if (length < 0 || length > Math.max(maxLength, MAX_BLOCK + 9)) {
            throw new PeerProtocolException("message length " + Integer.toUnsignedString(length) + " exceeds limit "
                    + Math.max(maxLength, MAX_BLOCK + 9));
        }
    }

    /** Decodes one complete message from {@code buf}, length prefix included (used by tests and fuzzing). */
    public static PeerMessage decode(ByteBuffer buf, int maxLength) throws PeerProtocolException {
        if (buf.remaining() < 4) {
            throw new PeerProtocolException("truncated length prefix");
        }
        int length = buf.getInt();
        if (length == 0) {
            if (buf.hasRemaining()) {
                throw new PeerProtocolException("trailing bytes after keep-alive");
            }
            return new PeerMessage.KeepAlive();
        }
        if (length < 0 || length > Math.max(maxLength, MAX_BLOCK + 9)) {
            throw new PeerProtocolException("message length " + Integer.toUnsignedString(length) + " exceeds limit");
        }
        if (buf.remaining() != length) {
            throw new PeerProtocolException("message length " + length + " but " + buf.remaining() + " bytes follow");
        }
        int id = buf.get() & 0xff;
        if (id == 7) {
            if (length < 9) {
                throw new PeerProtocolException("piece message of " + length + " bytes is too short");
            }
            int piece = buf.getInt();
            int begin = buf.getInt();
            byte[] data = new byte[length - 9];
            buf.get(data);
            return new PeerMessage.Piece(piece, begin, data);
        }
        return decodeBody(id, buf.slice());
    }

    private static PeerMessage decodeBody(int id, ByteBuffer b) throws PeerProtocolException {
        int n = b.remaining();
        return switch (id) {
            case 0 -> fixed(n, 0, "choke", () -> new PeerMessage.Choke());
            case 1 -> fixed(n, 0, "unchoke", () -> new PeerMessage.Unchoke());
            case 2 -> fixed(n, 0, "interested", () -> new PeerMessage.Interested());
            case 3 -> fixed(n, 0, "not interested", () -> new PeerMessage.NotInterested());
            case 4 -> fixed(n, 4, "have", () -> new PeerMessage.Have(b.getInt(0)));
            case 5 -> {
                byte[] bits = new byte[n];
                b.get(bits);
                yield new PeerMessage.Bitfield(bits);
            }
            case 6 -> fixed(n, 12, "request", () -> new PeerMessage.Request(b.getInt(0), b.getInt(4), b.getInt(8)));
            case 8 -> fixed(n, 12, "cancel", () -> new PeerMessage.Cancel(b.getInt(0), b.getInt(4), b.getInt(8)));
            case 9 -> fixed(n, 2, "port", () -> new PeerMessage.Port(b.getShort(0) & 0xffff));
            case 0x0d -> fixed(n, 4, "suggest", () -> new PeerMessage.Suggest(b.getInt(0)));
            case 0x0e -> fixed(n, 0, "have all", () -> new PeerMessage.HaveAll());
            case 0x0f -> fixed(n, 0, "have none", () -> new PeerMessage.HaveNone());
            case 0x10 -> fixed(n, 12, "reject", () -> new PeerMessage.Reject(b.getInt(0), b.getInt(4), b.getInt(8)));
            case 0x11 -> fixed(n, 4, "allowed fast", () -> new PeerMessage.AllowedFast(b.getInt(0)));
            case 20 -> {
                if (n < 1) {
                    throw new PeerProtocolException("extended message without an id");
                }
                int ext = b.get() & 0xff;
                byte[] payload = new byte[n - 1];
                b.get(payload);
                yield new PeerMessage.Extended(ext, payload);
            }
            default -> throw new PeerProtocolException("unknown message id " + id);
        };
    }

    private static PeerMessage fixed(int actual, int expected, String name, java.util.function.Supplier<PeerMessage> message)
            throws PeerProtocolException {
        if (actual != expected) {
            throw new PeerProtocolException(name + " message payload must be " + expected + " bytes, got " + actual);
        }
        return message.get();
    }

    /** Encodes one message with its length prefix. */
    public static byte[] encode(PeerMessage m) {
        return switch (m) {
            case PeerMessage.KeepAlive k -> new byte[4];
            case PeerMessage.Choke c -> simple(0);
            case PeerMessage.Unchoke u -> simple(1);
            case PeerMessage.Interested i -> simple(2);
            case PeerMessage.NotInterested n -> simple(3);
            case PeerMessage.Have(int piece) -> ints(4, piece);
            case PeerMessage.Bitfield(byte[] bits) -> ByteBuffer.allocate(5 + bits.length).putInt(1 + bits.length).put((byte) 5).put(bits).array();
            case PeerMessage.Request(int p, int b, int l) -> ints(6, p, b, l);
            case PeerMessage.Piece(int p, int b, byte[] data) -> ByteBuffer.allocate(13 + data.length)
                    .putInt(9 + data.length).put((byte) 7).putInt(p).putInt(b).put(data).array();
            case PeerMessage.Cancel(int p, int b, int l) -> ints(8, p, b, l);
            case PeerMessage.Port(int port) -> ByteBuffer.allocate(7).putInt(3).put((byte) 9).putShort((short) port).array();
            case PeerMessage.Suggest(int p) -> ints(0x0d, p);
            case PeerMessage.HaveAll h -> simple(0x0e);
            case PeerMessage.HaveNone h -> simple(0x0f);
            case PeerMessage.Reject(int p, int b, int l) -> ints(0x10, p, b, l);
            case PeerMessage.AllowedFast(int p) -> ints(0x11, p);
            case PeerMessage.Extended(int id, byte[] payload) -> ByteBuffer.allocate(6 + payload.length)
                    .putInt(2 + payload.length).put((byte) 20).put((byte) id).put(payload).array();
        };
    }

    /** Writes a piece message header then the data, avoiding a copy of the block into a new array. */
    public static void writePiece(OutputStream out, int piece, int begin, byte[] data, int off, int len) throws IOException {
        byte[] header = ByteBuffer.allocate(13).putInt(9 + len).put((byte) 7).putInt(piece).putInt(begin).array();
        out.write(header);
        out.write(data, off, len);
    }

    private static byte[] simple(int id) {
        return new byte[] {0, 0, 0, 1, (byte) id};
    }

    private static byte[] ints(int id, int... values) {
        ByteBuffer b = ByteBuffer.allocate(5 + 4 * values.length).putInt(1 + 4 * values.length).put((byte) id);
        for (int v : values) {
            b.putInt(v);
        }
        return b.array();
    }

    static void requireNotEof(int r) throws EOFException {
        if (r < 0) {
            throw new EOFException();
        }
    }
}
