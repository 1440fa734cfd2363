package org.hypertube.torrent.pex;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.stream.Stream;

/**
 * One {@code ut_pex} message: peers added since the last message (with their flags) and peers
 * dropped, IPv4 ({@code added}, {@code dropped}) and IPv6 ({@code added6}, {@code dropped6}) apart,
 * as on the wire.
 */
public record PexMessage(List<PexPeer> added, List<InetSocketAddress> dropped, List<PexPeer> added6,
        List<InetSocketAddress> dropped6) {

    public PexMessage {
        added = List.copyOf(added);
        dropped = List.copyOf(dropped);
        added6 = List.copyOf(added6);
        dropped6 = List.copyOf(dropped6);
        requireFamily(added.stream().map(PexPeer::address), Inet4Address.class, "added");
        requireFamily(dropped.stream(), Inet4Address.class, "dropped");
        requireFamily(added6.stream().map(PexPeer::address), Inet6Address.class, "added6");
        requireFamily(dropped6.stream(), Inet6Address.class, "dropped6");
    }

    /** A message from peers of both families, each put in its family's list, in the order given. */
    public static PexMessage of(Collection<PexPeer> added, Collection<InetSocketAddress> dropped) {
        List<PexPeer> a4 = new ArrayList<>();
        List<PexPeer> a6 = new ArrayList<>();
        added.forEach(p -> (isV4(p.address()) ? a4 : a6).add(p));
        List<InetSocketAddress> d4 = new ArrayList<>();
        List<InetSocketAddress> d6 = new ArrayList<>();
        dropped.forEach(a -> (isV4(a) ? d4 : d6).add(a));
        return new PexMessage(a4, d4, a6, d6);
    }

    /** Every added peer, IPv4 first. */
    public List<PexPeer> allAdded() {
        return Stream.concat(added.stream(), added6.stream()).toList();
    }

    /** Every dropped address, IPv4 first. */
    public List<InetSocketAddress> allDropped() {
        return Stream.concat(dropped.stream(), dropped6.stream()).toList();
    }

    public boolean isEmpty() {
        return added.isEmpty() && dropped.isEmpty() && added6.isEmpty() && dropped6.isEmpty();
    }

    private static boolean isV4(InetSocketAddress a) {
        return a.getAddress() instanceof Inet4Address;
    }

    private static void requireFamily(Stream<InetSocketAddress> addresses, Class<?> family, String list) {
        addresses.filter(a -> !family.isInstance(a.getAddress())).findFirst().ifPresent(a -> {
            throw new IllegalArgumentException("'" + list + "' holds " + a + ", not an " + family.getSimpleName());
        });
    }
}
