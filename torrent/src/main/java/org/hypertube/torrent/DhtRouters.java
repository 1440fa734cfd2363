package org.hypertube.torrent;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The DHT's bootstrap addresses: the well-known public routers, and {@code HOST:PORT} text parsed
 * without DNS. A host name stays unresolved here; the DHT node resolves it when it bootstraps (every
 * IPv4 address of the name), and a name that does not resolve is logged and skipped there, so a
 * missing network never stops the client from starting.
 */
public final class DhtRouters {
    /** router.bittorrent.com, dht.transmissionbt.com, router.utorrent.com, dht.libtorrent.org. */
    public static final List<InetSocketAddress> PUBLIC = List.of(
            InetSocketAddress.createUnresolved("router.bittorrent.com", 6881),
            InetSocketAddress.createUnresolved("dht.transmissionbt.com", 6881),
            InetSocketAddress.createUnresolved("router.utorrent.com", 6881),
            InetSocketAddress.createUnresolved("dht.libtorrent.org", 25401));

    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9.-]{1,253}");
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private DhtRouters() {}

    /**
     * {@code HOST:PORT} ({@code [IPv6]:PORT} too): an IP literal becomes a resolved address, a name
     * an unresolved one (no DNS here).
     *
     * @throws IllegalArgumentException when it is not {@code HOST:PORT} with a port 1..65535
     */
    public static InetSocketAddress parse(String hostPort) {
        String text = hostPort.strip();
        int colon = text.lastIndexOf(':');
        int port;
        try {
            port = colon < 0 ? -1 : Integer.parseInt(text.substring(colon + 1));
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 1 || port > 65535 || colon == 0) {
            throw new IllegalArgumentException("a DHT bootstrap node must be HOST:PORT, got '" + hostPort + "'");
        }
        String host = text.substring(0, colon);
        boolean bracketed = host.startsWith("[") && host.endsWith("]");
        try {
            if (IPV4.matcher(host).matches()) {
                byte[] ip = new byte[4];
                String[] octets = host.split("\\.");
                for (int i = 0; i < 4; i++) {
                    int v = Integer.parseInt(octets[i]);
                    if (v > 255) {
                        throw new UnknownHostException(host);
                    }
                    ip[i] = (byte) v;
                }
                return new InetSocketAddress(InetAddress.getByAddress(ip), port);
            }
            if (bracketed) { // brackets make getByName take it as an IPv6 literal or refuse it, never ask DNS
                return new InetSocketAddress(InetAddress.getByName(host), port);
            }
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("a DHT bootstrap node must be HOST:PORT, got '" + hostPort + "'");
        }
        if (!HOST.matcher(host).matches()) {
            throw new IllegalArgumentException("a DHT bootstrap node must be HOST:PORT, got '" + hostPort + "'");
        }
        return InetSocketAddress.createUnresolved(host, port);
    }

    /** Comma-separated {@code HOST:PORT} entries (blank ones skipped); an empty text gives an empty list. */
    public static List<InetSocketAddress> parseList(String commaSeparated) {
        List<InetSocketAddress> out = new ArrayList<>();
        for (String part : commaSeparated.split(",", -1)) {
            if (!part.isBlank()) {
                out.add(parse(part));
            }
        }
        return List.copyOf(out);
    }
}
