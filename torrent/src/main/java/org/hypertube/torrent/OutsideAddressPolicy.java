package org.hypertube.torrent;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Which addresses a URL from outside (a torrent's web seed, a redirect it leads to) may make us
 * connect to. Outside URLs must not reach this machine or its networks (SSRF): loopback, unspecified,
 * link-local (cloud metadata at 169.254.169.254), private (10/8, 172.16/12, 192.168/16), carrier-grade
 * NAT (100.64/10), unique-local (fc00::/7), multicast and reserved ranges are refused, also when they
 * hide inside an IPv6 address (IPv4-mapped, IPv4-compatible, NAT64 64:ff9b::/96, 6to4 2002::/16).
 * The operator may allow local targets (a web seed on the LAN; tests on 127.0.0.1), or trust a few
 * named addresses only. Immutable.
 */
public final class OutsideAddressPolicy {
    private static final OutsideAddressPolicy OUTSIDE_ONLY = new OutsideAddressPolicy(false, Set.of());
    private static final OutsideAddressPolicy ALLOW_LOCAL = new OutsideAddressPolicy(true, Set.of());

    private final boolean allowLocal;
    private final Set<InetAddress> trusted;

    private OutsideAddressPolicy(boolean allowLocal, Set<InetAddress> trusted) {
        this.allowLocal = allowLocal;
        this.trusted = trusted;
    }

    /** The policy for the operator's setting: local targets allowed or not (the default is not). */
    public static OutsideAddressPolicy of(boolean allowLocalTargets) {
        return allowLocalTargets ? ALLOW_LOCAL : OUTSIDE_ONLY;
    }

    /** Refuses every local or private address. */
    public static OutsideAddressPolicy outsideOnly() {
        return OUTSIDE_ONLY;
    }

    /** This policy, also allowing one address the operator names (a mirror on the LAN). */
    public OutsideAddressPolicy trusting(InetAddress address) {
        List<InetAddress> all = new ArrayList<>(trusted);
        all.add(address);
        return new OutsideAddressPolicy(allowLocal, Set.copyOf(all));
    }

    public boolean allows(InetAddress address) {
        return allowLocal || trusted.contains(address) || localKind(address).isEmpty();
    }

    /** What kind of local or non-public address this is ("loopback", "private"...), or empty for a public one. */
    public static Optional<String> localKind(InetAddress address) {
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            return ipv4Kind(b);
        }
        if (address instanceof Inet6Address) {
            return ipv6Kind(b);
        }
        return Optional.of("unknown address family");
    }

    private static Optional<String> ipv4Kind(byte[] b) {
        int a0 = b[0] & 0xff;
        int a1 = b[1] & 0xff;
        String kind = null;
        if (a0 == 0) {
            kind = "unspecified";
        } else if (a0 == 127) {
            kind = "loopback";
        } else if (a0 == 169 && a1 == 254) {
            kind = "link-local";
        } else if (a0 == 10 || a0 == 172 && (a1 & 0xf0) == 16 || a0 == 192 && a1 == 168) {
            kind = "private";
        } else if (a0 == 100 && (a1 & 0xc0) == 64) {
            kind = "carrier-grade NAT";
        } else if (a0 >= 224 && a0 < 240) {
            kind = "multicast";
        } else if (a0 >= 240) {
            kind = "reserved";
        }
        return Optional.ofNullable(kind);
    }

    private static Optional<String> ipv6Kind(byte[] b) {
        boolean zero96 = isZero(b, 0, 12);
        if (zero96 && isZero(b, 12, 15) && (b[15] == 0 || b[15] == 1)) {
            return Optional.of(b[15] == 0 ? "unspecified" : "loopback");
        }
        if (zero96 || isZero(b, 0, 10) && b[10] == (byte) 0xff && b[11] == (byte) 0xff
                || b[0] == 0 && b[1] == 0x64 && b[2] == (byte) 0xff && b[3] == (byte) 0x9b && isZero(b, 4, 12)) {
            return embedded(b, 12);
        }
        if (b[0] == 0x20 && b[1] == 0x02) {
            return embedded(b, 2);
        }
        if (b[0] == (byte) 0xff) {
            return Optional.of("multicast");
        }
        if (b[0] == (byte) 0xfe && (b[1] & 0xc0) == 0x80) {
            return Optional.of("link-local");
        }
        if (b[0] == (byte) 0xfe && (b[1] & 0xc0) == 0xc0) {
            return Optional.of("site-local");
        }
        if ((b[0] & 0xfe) == 0xfc) {
            return Optional.of("unique-local");
        }
        return Optional.empty();
    }

    private static Optional<String> embedded(byte[] b, int from) {
        return ipv4Kind(Arrays.copyOfRange(b, from, from + 4)).map(k -> k + " (inside an IPv6 address)");
    }

    private static boolean isZero(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return "OutsideAddressPolicy[" + (allowLocal ? "local targets allowed" : "outside only")
                + (trusted.isEmpty() ? "" : ", trusting " + trusted) + "]";
    }
}
