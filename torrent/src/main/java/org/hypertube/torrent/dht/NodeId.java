package org.hypertube.torrent.dht;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.random.RandomGenerator;
import java.util.zip.CRC32C;

/**
 * A 160-bit DHT id (a node's id, or an info-hash as a lookup target), compared by XOR distance.
 * BEP 42: {@link #secure} derives an id from our external address, {@link #isSecureFor} checks a
 * node's id against the address it spoke from.
 */
public final class NodeId implements Comparable<NodeId> {
    public static final int LENGTH = 20;
    public static final int BITS = 160;
    private static final byte[] V4_MASK = {0x03, 0x0f, 0x3f, (byte) 0xff};
    private static final byte[] V6_MASK = {0x01, 0x03, 0x07, 0x0f, 0x1f, 0x3f, 0x7f, (byte) 0xff};

    private final byte[] bytes;

    private NodeId(byte[] bytes) {
        this.bytes = bytes;
    }

    /** @throws IllegalArgumentException unless exactly 20 bytes */
    public static NodeId of(byte[] bytes) {
        if (bytes.length != LENGTH) {
            throw new IllegalArgumentException("a node id is 20 bytes, not " + bytes.length);
        }
        return new NodeId(bytes.clone());
    }

    public static NodeId ofHex(String hex) {
        return of(HexFormat.of().parseHex(hex));
    }

    public static NodeId random(RandomGenerator random) {
        byte[] b = new byte[LENGTH];
        random.nextBytes(b);
        return new NodeId(b);
    }

    /**
     * A random id sharing its first {@code bits} bits with {@code prefix}; with {@code flipNext} the
     * bit after them differs from {@code prefix}'s (an id in the bucket at exactly that depth).
     */
    static NodeId randomWithPrefix(NodeId prefix, int bits, boolean flipNext, RandomGenerator random) {
        byte[] b = new byte[LENGTH];
        random.nextBytes(b);
        for (int i = 0; i < bits; i++) {
            setBit(b, i, prefix.bit(i));
        }
        if (flipNext && bits < BITS) {
            setBit(b, bits, !prefix.bit(bits));
        }
        return new NodeId(b);
    }

    /**
     * BEP 42: an id for a node reachable at {@code external}: its first 21 bits from the CRC32C of
     * the masked address, the last byte {@code r}, the rest random.
     */
    public static NodeId secure(InetAddress external, RandomGenerator random) {
        int r = random.nextInt(256);
        byte[] b = new byte[LENGTH];
        random.nextBytes(b);
        int crc = crc(external, r);
        b[0] = (byte) (crc >>> 24);
        b[1] = (byte) (crc >>> 16);
        b[2] = (byte) (((crc >>> 8) & 0xf8) | (b[2] & 0x07));
        b[19] = (byte) r;
        return new NodeId(b);
    }

    /**
     * Whether this id follows BEP 42 for a node speaking from {@code address}; local and private
     * addresses are exempt (as libtorrent's {@code verify_id}), so nodes on them always pass.
     */
    public boolean isSecureFor(InetAddress address) {
        return exempt(address) || derivedFrom(address);
    }

    /** Whether this id is BEP 42's for {@code address} (no exemption: what {@link #secure} makes for it). */
    public boolean derivedFrom(InetAddress address) {
        int crc = crc(address, bytes[19] & 0xff);
        return bytes[0] == (byte) (crc >>> 24)
                && bytes[1] == (byte) (crc >>> 16)
                && (bytes[2] & 0xf8) == ((crc >>> 8) & 0xf8);
    }

    private static int crc(InetAddress address, int r) {
        byte[] raw = address.getAddress();
        byte[] mask = address instanceof Inet4Address ? V4_MASK : V6_MASK;
        byte[] ip = new byte[mask.length];
        for (int i = 0; i < mask.length; i++) {
            ip[i] = (byte) (raw[i] & mask[i]);
        }
        ip[0] |= (byte) ((r & 0x07) << 5);
        CRC32C c = new CRC32C();
        c.update(ip);
        return (int) c.getValue();
    }

    /** BEP 42's exemptions: 10/8, 172.16/12, 192.168/16, 169.254/16, 127/8; loopback, link- and site-local IPv6. */
    static boolean exempt(InetAddress a) {
        if (a instanceof Inet6Address) {
            byte[] b = a.getAddress();
            return a.isLoopbackAddress() || a.isLinkLocalAddress() || a.isSiteLocalAddress() || (b[0] & 0xfe) == 0xfc;
        }
        return a.isLoopbackAddress() || a.isSiteLocalAddress() || a.isLinkLocalAddress();
    }

    public byte[] bytes() {
        return bytes.clone();
    }

    boolean bit(int i) {
        return (bytes[i >>> 3] & (0x80 >>> (i & 7))) != 0;
    }

    private static void setBit(byte[] b, int i, boolean on) {
        int m = 0x80 >>> (i & 7);
        b[i >>> 3] = (byte) (on ? b[i >>> 3] | m : b[i >>> 3] & ~m);
    }

    /** The XOR distance to {@code other}, as an id (compare distances with {@link #compareTo}). */
    public NodeId distance(NodeId other) {
        byte[] d = new byte[LENGTH];
        for (int i = 0; i < LENGTH; i++) {
            d[i] = (byte) (bytes[i] ^ other.bytes[i]);
        }
        return new NodeId(d);
    }

    /** How many leading bits this id shares with {@code other} (160 when equal). */
    public int commonPrefixLength(NodeId other) {
        for (int i = 0; i < LENGTH; i++) {
            int x = (bytes[i] ^ other.bytes[i]) & 0xff;
            if (x != 0) {
                return i * 8 + Integer.numberOfLeadingZeros(x) - 24;
            }
        }
        return BITS;
    }

    /** Negative when {@code a} is closer to this id than {@code b}, by XOR distance. */
    public int closer(NodeId a, NodeId b) {
        for (int i = 0; i < LENGTH; i++) {
            int da = (a.bytes[i] ^ bytes[i]) & 0xff;
            int db = (b.bytes[i] ^ bytes[i]) & 0xff;
            if (da != db) {
                return Integer.compare(da, db);
            }
        }
        return 0;
    }

    /** Unsigned big-endian order: ids as 160-bit numbers (so distances compare as distances). */
    @Override
    public int compareTo(NodeId o) {
        return Arrays.compareUnsigned(bytes, o.bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NodeId n && Arrays.equals(bytes, n.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return HexFormat.of().formatHex(bytes);
    }
}
