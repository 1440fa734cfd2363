package org.hypertube.torrent.pex;

import java.io.ByteArrayOutputStream;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.hypertube.torrent.bencode.BValue;
import org.hypertube.torrent.bencode.Bencode;
import org.hypertube.torrent.bencode.BencodeException;
import org.hypertube.torrent.peer.PeerProtocolException;

/**
 * The {@code ut_pex} payload (after the BEP 10 message id): a bencoded dictionary of compact peer
 * strings, 6 bytes per IPv4 entry and 18 per IPv6 entry (address then big-endian port), and one
 * flags byte per added peer in {@code added.f} / {@code added6.f}.
 */
public final class PexCodec {
    public static final String EXTENSION_NAME = "ut_pex";
    /** libtorrent disconnects a peer whose PEX message is larger ({@code pex_message_too_large}). */
    public static final int MAX_PAYLOAD = 500 * 1024;
    /** Entries read per list; the rest is ignored, so one message cannot make us dial thousands. */
    public static final int MAX_ENTRIES = 200;
    private static final Bencode.Limits LIMITS = new Bencode.Limits(8, MAX_PAYLOAD, 1000);
    private static final byte[] NONE = {};

    private PexCodec() {}

    /**
     * Reads a payload. Entries with port 0 or an unspecified, multicast or broadcast address are
     * left out; missing or short flags count as 0; unknown keys are ignored.
     *
     * @throws PeerProtocolException when the payload is too large, not a bencoded dictionary, or a
     *     peer list is not a byte string of whole entries
     */
    public static PexMessage decode(byte[] payload) throws PeerProtocolException {
        if (payload.length > MAX_PAYLOAD) {
            throw new PeerProtocolException("ut_pex message of " + payload.length + " bytes exceeds " + MAX_PAYLOAD);
        }
        BValue v;
        try {
            v = Bencode.decode(payload, LIMITS);
        } catch (BencodeException e) {
            throw new PeerProtocolException("ut_pex message is not valid bencoding: " + e.getMessage());
        }
        if (!(v instanceof BValue.BDict d)) {
            throw new PeerProtocolException("ut_pex message is not a dictionary");
        }
        return new PexMessage(
                read(d, "added", 4, bytes(d, "added.f")),
                addresses(read(d, "dropped", 4, NONE)),
                read(d, "added6", 16, bytes(d, "added6.f")),
                addresses(read(d, "dropped6", 16, NONE)));
    }

    /** Writes all six keys, as libtorrent does; it ignores an {@code added} list without {@code added.f}. */
    public static byte[] encode(PexMessage m) {
        return Bencode.encode(Bencode.dict(
                "added", compact(m.added().stream().map(PexPeer::address).toList()),
                "added.f", flags(m.added()),
                "added6", compact(m.added6().stream().map(PexPeer::address).toList()),
                "added6.f", flags(m.added6()),
                "dropped", compact(m.dropped()),
                "dropped6", compact(m.dropped6())));
    }

    private static byte[] bytes(BValue.BDict d, String key) throws PeerProtocolException {
        return switch (d.get(key).orElse(null)) {
            case null -> NONE;
            case BValue.BBytes b -> b.unsafeBytes();
            default -> throw new PeerProtocolException("ut_pex '" + key + "' is not a byte string");
        };
    }

    private static List<PexPeer> read(BValue.BDict d, String key, int addressLength, byte[] flags) throws PeerProtocolException {
        byte[] b = bytes(d, key);
        int entry = addressLength + 2;
        if (b.length % entry != 0) {
            throw new PeerProtocolException("ut_pex '" + key + "' of " + b.length + " bytes is not a multiple of " + entry);
        }
        int n = Math.min(b.length / entry, MAX_ENTRIES);
        List<PexPeer> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int at = i * entry;
            int port = ((b[at + addressLength] & 0xff) << 8) | (b[at + addressLength + 1] & 0xff);
            InetAddress a = address(Arrays.copyOfRange(b, at, at + addressLength));
            // An IPv4-mapped address in an IPv6 list comes back as IPv4 from Java: left out too.
            boolean family = addressLength == 4 ? a instanceof Inet4Address : a instanceof Inet6Address;
            if (port != 0 && family && dialable(a)) {
                out.add(new PexPeer(new InetSocketAddress(a, port), i < flags.length ? flags[i] & 0xff : 0));
            }
        }
        return out;
    }

    private static boolean dialable(InetAddress a) {
        return !a.isAnyLocalAddress() && !a.isMulticastAddress()
                && !(a instanceof Inet4Address && Arrays.equals(a.getAddress(), new byte[] {-1, -1, -1, -1}));
    }

    private static InetAddress address(byte[] raw) {
        try {
            return InetAddress.getByAddress(raw);
        } catch (UnknownHostException e) {
            throw new AssertionError("4 or 16 bytes are always an address", e);
        }
    }

    private static List<InetSocketAddress> addresses(List<PexPeer> peers) {
        return peers.stream().map(PexPeer::address).toList();
    }

    private static byte[] compact(List<InetSocketAddress> addresses) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (InetSocketAddress a : addresses) {
            out.writeBytes(a.getAddress().getAddress());
            out.write(a.getPort() >> 8);
            out.write(a.getPort());
        }
        return out.toByteArray();
    }

    private static byte[] flags(List<PexPeer> peers) {
        byte[] f = new byte[peers.size()];
        for (int i = 0; i < f.length; i++) {
            f[i] = (byte) peers.get(i).flags();
        }
        return f;
    }
}
