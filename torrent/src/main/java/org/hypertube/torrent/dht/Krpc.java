package org.hypertube.torrent.dht;

import java.io.ByteArrayOutputStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.hypertube.torrent.bencode.BValue;
import org.hypertube.torrent.bencode.Bencode;
import org.hypertube.torrent.bencode.BencodeException;

/**
 * The KRPC codec (BEP 5; {@code nodes6} from BEP 32, {@code ip} from BEP 42): one UDP payload to a
 * {@link KrpcMessage} and back, nothing else. Decoding is bounded and strict about what it uses
 * (lengths, types, ports) and ignores keys it does not know, as the BEP asks.
 */
public final class Krpc {
    /** A KRPC packet must fit one UDP datagram on an Ethernet path. */
    public static final int MAX_MESSAGE = 1500;
    /** Compact node entries read per {@code nodes}/{@code nodes6} (nodes send 8; more is refused). */
    public static final int MAX_NODES = 32;
    /** Compact peers read per {@code values} (libtorrent sends at most 100). */
    public static final int MAX_VALUES = 100;
    /** Bytes of an error message kept. */
    static final int MAX_ERROR_TEXT = 256;
    private static final int NODE4 = 26;
    private static final int NODE6 = 38;
    private static final Bencode.Limits LIMITS = new Bencode.Limits(8, MAX_MESSAGE, 600);

    private Krpc() {}

    /** Encodes without a client version ({@code v}). */
    public static byte[] encode(KrpcMessage m) {
        return encode(m, null);
    }

    /**
     * Encodes, with {@code version} as {@code v} unless null.
     *
     * @throws IllegalArgumentException when the message would not fit {@value #MAX_MESSAGE} bytes
     */
    public static byte[] encode(KrpcMessage m, byte[] version) {
        BValue.BDict d = switch (m) {
            case KrpcMessage.Query q -> Bencode.dict(
                    "t", m.t().bytes(), "y", "q", "v", version,
                    "q", method(q).getBytes(StandardCharsets.ISO_8859_1), "a", arguments(q));
            case KrpcMessage.Response r -> Bencode.dict(
                    "t", m.t().bytes(), "y", "r", "v", version,
                    "ip", r.ip().map(Krpc::compactPeer).orElse(null),
                    "r", Bencode.dict(
                            "id", r.sender().bytes(),
                            "nodes", r.nodes().isEmpty() ? null : compactNodes(r.nodes(), 4),
                            "nodes6", r.nodes6().isEmpty() ? null : compactNodes(r.nodes6(), 16),
                            "token", r.token().map(Token::bytes).orElse(null),
                            "values", r.values().isEmpty() ? null
                                    : Bencode.list(r.values().stream().map(p -> Bencode.bytes(compactPeer(p))).toList())));
            case KrpcMessage.Error e -> Bencode.dict(
                    "t", m.t().bytes(), "y", "e", "v", version,
                    "e", Bencode.list(List.of(Bencode.integer(e.code()), Bencode.string(e.message()))));
        };
        byte[] out = Bencode.encode(d);
        if (out.length > MAX_MESSAGE) {
            throw new IllegalArgumentException("KRPC message of " + out.length + " bytes exceeds " + MAX_MESSAGE + ": " + m);
        }
        return out;
    }

    private static String method(KrpcMessage.Query q) {
        return switch (q) {
            case KrpcMessage.Ping p -> "ping";
            case KrpcMessage.FindNode f -> "find_node";
            case KrpcMessage.GetPeers g -> "get_peers";
            case KrpcMessage.AnnouncePeer a -> "announce_peer";
            case KrpcMessage.UnknownQuery u -> u.method();
        };
    }

    private static BValue.BDict arguments(KrpcMessage.Query q) {
        byte[] id = q.sender().bytes();
        return switch (q) {
            case KrpcMessage.Ping p -> Bencode.dict("id", id);
            case KrpcMessage.UnknownQuery u -> Bencode.dict("id", id);
            case KrpcMessage.FindNode f -> Bencode.dict("id", id, "target", f.target().bytes());
            case KrpcMessage.GetPeers g -> Bencode.dict("id", id, "info_hash", g.infoHash().bytes());
            case KrpcMessage.AnnouncePeer a -> Bencode.dict(
                    "id", id, "implied_port", a.impliedPort() ? 1 : null, "info_hash", a.infoHash().bytes(),
                    "port", a.port(), "token", a.token().bytes());
        };
    }

    /**
     * Decodes one UDP payload.
     *
     * @throws KrpcException when it is over {@value #MAX_MESSAGE} bytes, not strict bencoding, or a
     *     field KRPC needs is missing, of the wrong type or out of bounds
     */
    public static KrpcMessage decode(byte[] packet) throws KrpcException {
        if (packet.length > MAX_MESSAGE) {
            throw new KrpcException("KRPC message of " + packet.length + " bytes exceeds " + MAX_MESSAGE);
        }
        BValue v;
        try {
            v = Bencode.decode(packet, LIMITS);
        } catch (BencodeException e) {
            throw new KrpcException("KRPC message is not valid bencoding: " + e.getMessage());
        }
        if (!(v instanceof BValue.BDict d)) {
            throw new KrpcException("KRPC message is not a dictionary");
        }
        byte[] t = bytes(d, "t");
        if (t.length == 0 || t.length > TransactionId.MAX_LENGTH) {
            throw new KrpcException("transaction id of " + t.length + " bytes (1 to " + TransactionId.MAX_LENGTH + ")");
        }
        TransactionId tid = new TransactionId(t);
        String y = text(d, "y");
        return switch (y) {
            case "q" -> query(tid, text(d, "q"), dict(d, "a"));
            case "r" -> response(tid, dict(d, "r"), d);
            case "e" -> error(tid, d);
            default -> throw new KrpcException("unknown message type y='" + y + "'");
        };
    }

    private static KrpcMessage.Query query(TransactionId t, String method, BValue.BDict a) throws KrpcException {
        NodeId sender = id(a, "id");
        return switch (method) {
            case "ping" -> new KrpcMessage.Ping(t, sender);
            case "find_node" -> new KrpcMessage.FindNode(t, sender, id(a, "target"));
            case "get_peers" -> new KrpcMessage.GetPeers(t, sender, id(a, "info_hash"));
            case "announce_peer" -> {
                boolean implied = a.has("implied_port") && integer(a, "implied_port") != 0;
                long port = a.has("port") || !implied ? integer(a, "port") : 0;
                if (implied ? port < 0 || port > 65535 : port < 1 || port > 65535) {
                    throw new KrpcException("announce_peer port " + port + " is not 1..65535");
                }
                byte[] token = bytes(a, "token");
                if (token.length == 0 || token.length > Token.MAX_LENGTH) {
                    throw new KrpcException("token of " + token.length + " bytes (1 to " + Token.MAX_LENGTH + ")");
                }
                yield new KrpcMessage.AnnouncePeer(t, sender, id(a, "info_hash"), (int) port, implied, new Token(token));
            }
            default -> {
                if (method.length() > 32) {
                    throw new KrpcException("query method of " + method.length() + " bytes");
                }
                yield new KrpcMessage.UnknownQuery(t, sender, method);
            }
        };
    }

    private static KrpcMessage.Response response(TransactionId t, BValue.BDict r, BValue.BDict top) throws KrpcException {
        Optional<Token> token = Optional.empty();
        if (r.has("token")) {
            byte[] b = bytes(r, "token");
            if (b.length == 0 || b.length > Token.MAX_LENGTH) {
                throw new KrpcException("token of " + b.length + " bytes (1 to " + Token.MAX_LENGTH + ")");
            }
            token = Optional.of(new Token(b));
        }
        Optional<InetSocketAddress> ip = Optional.empty();
        if (top.has("ip")) {
            byte[] b = bytes(top, "ip");
            if (b.length != 6 && b.length != 18) {
                throw new KrpcException("'ip' of " + b.length + " bytes (6 or 18)");
            }
            ip = Optional.ofNullable(peer(b, 0, b.length - 2));
        }
        return new KrpcMessage.Response(
                t, id(r, "id"), nodes(r, "nodes", 4), nodes(r, "nodes6", 16), values(r), token, ip);
    }

    private static KrpcMessage.Error error(TransactionId t, BValue.BDict d) throws KrpcException {
        if (!(d.get("e").orElse(null) instanceof BValue.BList(List<BValue> e)) || e.isEmpty() || e.size() > 2
                || !(e.getFirst() instanceof BValue.BInt(long code)) || code < 0 || code > 999) {
            throw new KrpcException("error 'e' is not [code, message]");
        }
        String message = "";
        if (e.size() == 2) {
            if (!(e.get(1) instanceof BValue.BBytes b)) {
                throw new KrpcException("error message is not a string");
            }
            byte[] raw = b.unsafeBytes();
            message = new String(raw, 0, Math.min(raw.length, MAX_ERROR_TEXT), StandardCharsets.UTF_8);
        }
        return new KrpcMessage.Error(t, (int) code, message);
    }

    private static List<NodeContact> nodes(BValue.BDict r, String key, int addressLength) throws KrpcException {
        if (!r.has(key)) {
            return List.of();
        }
        byte[] b = bytes(r, key);
        int entry = NodeId.LENGTH + addressLength + 2;
        if (b.length % entry != 0) {
            throw new KrpcException("'" + key + "' of " + b.length + " bytes is not a multiple of " + entry);
        }
        if (b.length / entry > MAX_NODES) {
            throw new KrpcException("'" + key + "' holds " + b.length / entry + " nodes (at most " + MAX_NODES + ")");
        }
        List<NodeContact> out = new ArrayList<>();
        for (int at = 0; at < b.length; at += entry) {
            InetSocketAddress a = peer(b, at + NodeId.LENGTH, addressLength);
            // An IPv4-mapped address in nodes6 comes back from Java as IPv4: left out.
            if (a != null && (a.getAddress() instanceof Inet4Address) == (addressLength == 4)) {
                out.add(new NodeContact(NodeId.of(Arrays.copyOfRange(b, at, at + NodeId.LENGTH)), a));
            }
        }
        return out;
    }

    private static List<InetSocketAddress> values(BValue.BDict r) throws KrpcException {
        if (!r.has("values")) {
            return List.of();
        }
        if (!(r.get("values").orElseThrow() instanceof BValue.BList(List<BValue> list))) {
            throw new KrpcException("'values' is not a list");
        }
        if (list.size() > MAX_VALUES) {
            throw new KrpcException("'values' holds " + list.size() + " peers (at most " + MAX_VALUES + ")");
        }
        List<InetSocketAddress> out = new ArrayList<>();
        for (BValue v : list) {
            if (!(v instanceof BValue.BBytes b) || (b.length() != 6 && b.length() != 18)) {
                throw new KrpcException("a 'values' entry is not a 6 or 18-byte compact peer");
            }
            InetSocketAddress a = peer(b.unsafeBytes(), 0, b.length() - 2);
            if (a != null) {
                out.add(a);
            }
        }
        return out;
    }

    /** A compact address then big-endian port; null (left out) for port 0, as nobody can be reached there. */
    private static InetSocketAddress peer(byte[] b, int at, int addressLength) {
        int port = ((b[at + addressLength] & 0xff) << 8) | (b[at + addressLength + 1] & 0xff);
        if (port == 0) {
            return null;
        }
        try {
            return new InetSocketAddress(InetAddress.getByAddress(Arrays.copyOfRange(b, at, at + addressLength)), port);
        } catch (UnknownHostException e) {
            throw new AssertionError("4 or 16 bytes are always an address", e);
        }
    }

    static byte[] compactPeer(InetSocketAddress a) {
        byte[] ip = a.getAddress().getAddress();
        byte[] out = Arrays.copyOf(ip, ip.length + 2);
        out[ip.length] = (byte) (a.getPort() >>> 8);
        out[ip.length + 1] = (byte) a.getPort();
        return out;
    }

    private static byte[] compactNodes(List<NodeContact> nodes, int addressLength) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (NodeContact n : nodes) {
            boolean v4 = n.address().getAddress() instanceof Inet4Address;
            if (v4 != (addressLength == 4)) {
                throw new IllegalArgumentException("node " + n + " in the wrong list (nodes is IPv4, nodes6 IPv6)");
            }
            out.writeBytes(n.id().bytes());
            out.writeBytes(compactPeer(n.address()));
        }
        return out.toByteArray();
    }

    private static BValue.BDict dict(BValue.BDict d, String key) throws KrpcException {
        if (d.get(key).orElse(null) instanceof BValue.BDict v) {
            return v;
        }
        throw new KrpcException("'" + key + "' is missing or not a dictionary");
    }

    private static byte[] bytes(BValue.BDict d, String key) throws KrpcException {
        if (d.get(key).orElse(null) instanceof BValue.BBytes b) {
            return b.unsafeBytes();
        }
        throw new KrpcException("'" + key + "' is missing or not a byte string");
    }

    private static String text(BValue.BDict d, String key) throws KrpcException {
        return new String(bytes(d, key), StandardCharsets.ISO_8859_1);
    }

    private static long integer(BValue.BDict d, String key) throws KrpcException {
        if (d.get(key).orElse(null) instanceof BValue.BInt(long v)) {
            return v;
        }
        throw new KrpcException("'" + key + "' is missing or not an integer");
    }

    private static NodeId id(BValue.BDict d, String key) throws KrpcException {
        byte[] b = bytes(d, key);
        if (b.length != NodeId.LENGTH) {
            throw new KrpcException("'" + key + "' of " + b.length + " bytes is not a 20-byte id");
        }
        return NodeId.of(b);
    }
}
