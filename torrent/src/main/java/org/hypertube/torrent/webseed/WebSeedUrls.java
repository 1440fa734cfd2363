package org.hypertube.torrent.webseed;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.hypertube.torrent.bencode.BValue;
import org.hypertube.torrent.bencode.Bencode;
import org.hypertube.torrent.bencode.BencodeException;
import org.hypertube.torrent.TorrentFile;
import org.hypertube.torrent.TorrentInfo;

/**
 * The URL of each file of a torrent on one web seed (BEP 19). Single-file: the seed URL as it is,
 * or with the name appended when it ends in '/'. Multi-file: the seed URL, a '/' added when missing
 * (as libtorrent does), then the name and each path component, percent-encoded ({@code +} as
 * {@code %2B}: the Internet Archive and S3 read a bare {@code +} as a space). Components are the
 * torrent's own bytes: the metainfo parser refuses unsafe names rather than rewriting them, and the
 * rare component that was not UTF-8 is taken again from the raw info dictionary. Immutable.
 */
public final class WebSeedUrls {
    private final String seedUrl;
    private final TorrentInfo info;
    private final String base;
    /** Files whose components in the torrent differ from their sanitised names (legacy encodings, dropped or replaced characters): the torrent's own bytes. */
    private final Map<Integer, List<byte[]>> rawPaths;

    private WebSeedUrls(String seedUrl, TorrentInfo info, String base, Map<Integer, List<byte[]>> rawPaths) {
        this.seedUrl = seedUrl;
        this.info = info;
        this.base = base;
        this.rawPaths = rawPaths;
    }

    /** Checks a seed URL from a torrent ({@code url-list} or a magnet's {@code ws=}). */
    public static WebSeedUrls of(TorrentInfo info, String seedUrl) throws WebSeedException {
        URI uri = parse(seedUrl.strip(), "web seed URL");
        String s = uri.toASCIIString();
        if (uri.getRawFragment() != null) {
            s = s.substring(0, s.indexOf('#'));
        }
        if (info.multiFile() && uri.getRawQuery() != null) {
            throw new WebSeedException(WebSeedException.Kind.BAD_URL, "a multi-file web seed URL cannot have a query: " + seedUrl);
        }
        String base;
        if (info.multiFile()) {
            base = (s.endsWith("/") ? s : s + "/") + encodeSegment(rawName(info)) + "/";
        } else {
            base = s.endsWith("/") ? s + encodeSegment(rawName(info)) : s;
        }
        return new WebSeedUrls(seedUrl, info, base, info.multiFile() ? legacyPaths(info) : Map.of());
    }

    /** The seed URL as the torrent gave it. */
    public String seedUrl() {
        return seedUrl;
    }

    /** The URL of file {@code index} of {@code TorrentInfo.files()}. */
    public URI fileUrl(int index) {
        TorrentFile f = info.files().get(index);
        if (!info.multiFile()) {
            return URI.create(base);
        }
        StringBuilder sb = new StringBuilder(base);
        List<byte[]> raw = rawPaths.get(index);
        List<byte[]> components = raw != null ? raw
                : f.path().stream().map(c -> c.getBytes(StandardCharsets.UTF_8)).toList();
        for (int c = 0; c < components.size(); c++) {
            if (c > 0) {
                sb.append('/');
            }
            sb.append(encodeSegment(components.get(c)));
        }
        return URI.create(sb.toString());
    }

    TorrentInfo info() {
        return info;
    }

    /** A redirect's target: {@code location} resolved against the URL that answered; http(s) only. */
    static URI resolveRedirect(URI from, String location) throws WebSeedException {
        URI relative;
        try {
            relative = new URI(escapeIllegal(location));
        } catch (URISyntaxException e) {
            throw new WebSeedException(WebSeedException.Kind.BAD_URL, "redirect to an invalid URL: " + location, e);
        }
        return parse(from.resolve(relative).toString(), "redirect target");
    }

    /** Parses an absolute http(s) URL; spaces and non-ASCII characters are percent-encoded first. */
    static URI parse(String url, String what) throws WebSeedException {
        try {
            URI uri = new URI(escapeIllegal(url));
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https")) {
                throw new WebSeedException(WebSeedException.Kind.BAD_URL, what + " is not http or https: " + url);
            }
            if (uri.getHost() == null) {
                throw new WebSeedException(WebSeedException.Kind.BAD_URL, what + " has no host: " + url);
            }
            if (uri.getPort() == 0 || uri.getPort() > 65535) {
                throw new WebSeedException(WebSeedException.Kind.BAD_URL, what + " has a bad port: " + url);
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new WebSeedException(WebSeedException.Kind.BAD_URL, what + " is not a valid URL: " + url, e);
        }
    }

    /** Percent-encodes one path segment: unreserved characters are kept, every other byte is %XX. */
    static String encodeSegment(byte[] bytes) {
        StringBuilder sb = new StringBuilder(bytes.length + 8);
        for (byte b : bytes) {
            int c = b & 0xff;
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '_' || c == '~') {
                sb.append((char) c);
            } else {
                sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
            }
        }
        return sb.toString();
    }

    /** Encodes what a URI may not hold as it is (space, controls, non-ASCII, a few ASCII marks); keeps '%'. */
    private static String escapeIllegal(String url) {
        StringBuilder sb = new StringBuilder(url.length());
        for (byte b : url.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c <= 0x20 || c >= 0x7f || "\"<>\\^`{|}".indexOf(c) >= 0) {
                sb.append(encodeSegment(new byte[] {b}));
            } else {
                sb.append((char) c);
            }
        }
        return sb.toString();
    }

    /**
     * The torrent's own name: the server lays files out as the torrent names them, while
     * {@code TorrentInfo} holds names sanitised for our disk (bad UTF-8 replaced, separators removed).
     */
    private static byte[] rawName(TorrentInfo info) {
        byte[] text = info.name().getBytes(StandardCharsets.UTF_8);
        BValue.BDict dict = rawInfo(info);
        if (dict == null) {
            return text;
        }
        return dict.get(dict.has("name.utf-8") ? "name.utf-8" : "name")
                .filter(v -> v instanceof BValue.BBytes).map(v -> ((BValue.BBytes) v).bytes()).orElse(text);
    }

    private static Map<Integer, List<byte[]>> legacyPaths(TorrentInfo info) {
        List<TorrentFile> files = info.files();
        BValue.BDict dict = rawInfo(info);
        if (dict == null || !(dict.get("files").orElse(null) instanceof BValue.BList list)) {
            return Map.of();
        }
        Map<Integer, List<byte[]>> raw = new HashMap<>();
        for (int i = 0; i < files.size() && i < list.values().size(); i++) {
            if (list.values().get(i) instanceof BValue.BDict fd
                    && fd.get(fd.has("path.utf-8") ? "path.utf-8" : "path").orElse(null) instanceof BValue.BList p) {
                List<byte[]> components = new ArrayList<>();
                List<String> mine = files.get(i).path();
                boolean differs = p.values().size() != mine.size();
                for (int c = 0; c < p.values().size(); c++) {
                    byte[] b = p.values().get(c) instanceof BValue.BBytes bb ? bb.bytes() : new byte[0];
                    differs |= c >= mine.size() || !Arrays.equals(b, mine.get(c).getBytes(StandardCharsets.UTF_8));
                    components.add(b);
                }
                if (differs) {
                    raw.put(i, List.copyOf(components));
                }
            }
        }
        return Map.copyOf(raw);
    }

    private static BValue.BDict rawInfo(TorrentInfo info) {
        try {
            byte[] raw = info.rawBytes();
            return Bencode.decode(raw, 0, raw.length, Bencode.Limits.DEFAULT, Bencode.Syntax.LIBTORRENT) instanceof BValue.BDict d ? d : null;
        } catch (BencodeException e) {
            return null;
        }
    }

    @Override
    public String toString() {
        return "WebSeedUrls[" + seedUrl + "]";
    }
}
