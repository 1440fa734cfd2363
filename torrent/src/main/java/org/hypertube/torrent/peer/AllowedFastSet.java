package org.hypertube.torrent.peer;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.hypertube.torrent.InfoHash;

/**
 * BEP 6's canonical Allowed Fast set: the pieces a peer may request from us while we choke it,
 * derived from its address and the info-hash so that reconnecting (or a neighbour on the same /24)
 * gets the same set. {@code x = SHA1(ip & 0xFFFFFF00 ‖ infohash)}, then each 4-byte word of x,
 * taken big-endian, modulo the piece count gives a piece; x is hashed again until k distinct pieces
 * are found.
 *
 * <p>IPv6 is not covered by BEP 6; we mask it to its /48 (the usual size of one site) and hash
 * the 16 bytes the same way. An IPv4-mapped IPv6 address is treated as IPv4.
 */
public final class AllowedFastSet {
    /** The set size BEP 6 suggests (and libtorrent's default is 5; we grant 10 as the spec's example). */
    public static final int DEFAULT_SIZE = 10;

    private AllowedFastSet() {}

    /** The first {@code min(k, pieceCount)} pieces of the canonical set, in the spec's order. */
    public static List<Integer> generate(InetAddress address, InfoHash infoHash, int pieceCount, int k) {
        if (pieceCount <= 0 || k <= 0) {
            return List.of();
        }
        k = Math.min(k, pieceCount);
        byte[] ip = address.getAddress();
        byte[] masked;
        if (address instanceof Inet4Address) {
            masked = new byte[] {ip[0], ip[1], ip[2], 0};
        } else if (address instanceof Inet6Address && isV4Mapped(ip)) {
            masked = new byte[] {ip[12], ip[13], ip[14], 0};
        } else {
            masked = new byte[16];
            System.arraycopy(ip, 0, masked, 0, 6);
        }
        MessageDigest sha1;
        try {
            sha1 = MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        sha1.update(masked);
        sha1.update(infoHash.bytes());
        byte[] x = sha1.digest();
        Set<Integer> out = new LinkedHashSet<>();
        while (true) {
            for (int i = 0; i < 5 && out.size() < k; i++) {
                int j = i * 4;
                long y = ((x[j] & 0xffL) << 24) | ((x[j + 1] & 0xffL) << 16) | ((x[j + 2] & 0xffL) << 8) | (x[j + 3] & 0xffL);
                out.add((int) (y % pieceCount));
            }
            if (out.size() >= k) {
                return List.copyOf(out);
            }
            x = sha1.digest(x);
        }
    }

    private static boolean isV4Mapped(byte[] ip) {
        for (int i = 0; i < 10; i++) {
            if (ip[i] != 0) {
                return false;
            }
        }
        return ip[10] == (byte) 0xff && ip[11] == (byte) 0xff;
    }
}
