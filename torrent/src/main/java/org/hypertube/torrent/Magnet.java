package org.hypertube.torrent;

import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A magnet link: info-hash ({@code xt=urn:btih:}, hex or base32), display name ({@code dn}),
 * trackers ({@code tr}, several), peer hints ({@code x.pe}), selected files ({@code so}, BEP 53,
 * as file indices) and web seeds ({@code ws}). Immutable.
 */
public record Magnet(InfoHash infoHash, Optional<String> displayName, List<String> trackers,
        List<InetSocketAddress> peers, List<Integer> selectOnly, List<String> webSeeds) {

    public static final int MAX_LENGTH = 64 * 1024;
    /** BEP 53 ranges are expanded; this bounds the list a short link can create. */
    static final int MAX_SELECTED = 100_000;

    public Magnet {
        trackers = List.copyOf(trackers);
        peers = List.copyOf(peers);
        selectOnly = List.copyOf(selectOnly);
        webSeeds = List.copyOf(webSeeds);
    }

    public static boolean looksLikeMagnet(String text) {
        return text.regionMatches(true, 0, "magnet:?", 0, 8);
    }

    public static Magnet parse(String uri) {
        if (uri.length() > MAX_LENGTH) {
            throw new MetainfoException("magnet link longer than " + MAX_LENGTH + " characters");
        }
        if (!looksLikeMagnet(uri)) {
            throw new MetainfoException("not a magnet link (must start with 'magnet:?'): " + abbreviate(uri));
        }
        InfoHash hash = null;
        String dn = null;
        List<String> trackers = new ArrayList<>();
        List<InetSocketAddress> peers = new ArrayList<>();
        List<Integer> so = new ArrayList<>();
        List<String> ws = new ArrayList<>();
        for (String param : uri.substring(8).split("&")) {
            if (param.isEmpty()) {
                continue;
            }
            int eq = param.indexOf('=');
            if (eq < 0) {
                continue;
            }
            String key = param.substring(0, eq);
            String value;
            try {
                value = URLDecoder.decode(param.substring(eq + 1), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new MetainfoException("magnet parameter '" + key + "' is badly percent-encoded");
            }
            switch (key) {
                case "xt" -> {
                    if (value.regionMatches(true, 0, "urn:btih:", 0, 9)) {
                        InfoHash h = InfoHash.parse(value.substring(9));
                        if (hash != null && !hash.equals(h)) {
                            throw new MetainfoException("magnet has two different btih info-hashes");
                        }
                        hash = h;
                    }
                }
                case "dn" -> dn = value;
                case "tr" -> {
                    if (Metainfo.isTrackerUrl(value) && !trackers.contains(value)) {
                        trackers.add(value);
                    }
                }
                case "x.pe" -> peers.add(peer(value));
                case "so" -> selectOnly(value, so);
                case "ws" -> ws.add(value);
                default -> { }
            }
        }
        if (hash == null) {
            throw new MetainfoException("magnet link has no 'xt=urn:btih:' info-hash");
        }
        return new Magnet(hash, Optional.ofNullable(dn), trackers, peers, so, ws);
    }

    private static InetSocketAddress peer(String value) {
        int colon = value.lastIndexOf(':');
        if (colon <= 0) {
            throw new MetainfoException("magnet x.pe is not host:port: " + abbreviate(value));
        }
        String host = value.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(value.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new MetainfoException("magnet x.pe has a bad port: " + abbreviate(value));
        }
        if (port < 1 || port > 65535) {
            throw new MetainfoException("magnet x.pe port out of range: " + port);
        }
        return InetSocketAddress.createUnresolved(host, port);
    }

    private static void selectOnly(String value, List<Integer> out) {
        for (String part : value.split(",")) {
            try {
                int dash = part.indexOf('-');
                int from = Integer.parseInt(dash < 0 ? part : part.substring(0, dash));
                int to = dash < 0 ? from : Integer.parseInt(part.substring(dash + 1));
                if (from < 0 || to < from) {
                    throw new MetainfoException("magnet so has a bad range: " + part);
                }
                if ((long) to - from + 1 + out.size() > MAX_SELECTED) {
                    throw new MetainfoException("magnet so selects more than " + MAX_SELECTED + " files");
                }
                for (int i = from; i <= to; i++) {
                    out.add(i);
                }
            } catch (NumberFormatException e) {
                throw new MetainfoException("magnet so is not a list of indices: " + abbreviate(value));
            }
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "..." : s;
    }

    /** The link in its usual form: hex btih, then dn, tr, ws and x.pe. */
    public String toUri() {
        StringBuilder sb = new StringBuilder("magnet:?xt=urn:btih:").append(infoHash.hex());
        displayName.ifPresent(n -> sb.append("&dn=").append(enc(n)));
        trackers.forEach(t -> sb.append("&tr=").append(enc(t)));
        webSeeds.forEach(w -> sb.append("&ws=").append(enc(w)));
        peers.forEach(p -> sb.append("&x.pe=").append(p.getHostString()).append(':').append(p.getPort()));
        return sb.toString();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    @Override
    public String toString() {
        return toUri();
    }
}
