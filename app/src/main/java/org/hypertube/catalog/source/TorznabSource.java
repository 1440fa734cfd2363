package org.hypertube.catalog.source;

import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The operator's Torznab indexer (Jackett or Prowlarr): torrents of a film by IMDb id, given by
 * {@link #details} as a film with only its torrents filled. It lists no films. Errors come as
 * {@code <error code="..."/>} with HTTP 200. Download links carry the indexer's key, so they are
 * never handed out: a torrent is offered only as a magnet. Present only when TORZNAB_URL and
 * TORZNAB_API_KEY are set.
 */
@Component
@WhenConfigured({"hypertube.catalog.torznab.url", "hypertube.catalog.torznab.api-key"})
public class TorznabSource extends GuardedSource {

    static final String NAME = "torznab";
    /** Newznab's "Movies" category and all its subcategories. */
    private static final String MOVIES = "2000";
    private static final int MAX_ITEMS = 100;
    private static final int MAX_TORRENTS = 30;
    /** Items with only a download link cost a request each to learn their magnet. */
    private static final int MAX_LINKS_RESOLVED = 3;
    private static final Pattern QUALITY = Pattern.compile("(?i)\\b(2160p|1080p|720p|576p|480p)\\b");
    private static final Pattern MAGNET_HASH = Pattern.compile("(?i)xt=urn:btih:([0-9a-f]{40})");
    private static final int NO_SUCH_ITEM = 300;

    private final SourceHttp http;
    private final String url;
    private final String apiKey;
    private final List<String> trackers;

    public TorznabSource(SourceHttp http, TorznabProperties properties) {
        if (SourceBaseUrl.isBlank(properties.apiKey())) {
            throw new IllegalArgumentException("TORZNAB_API_KEY must be set for the Torznab source");
        }
        this.http = http;
        this.url = http.operatorUrl(properties.url(), "TORZNAB_URL");
        this.apiKey = properties.apiKey();
        this.trackers = properties.trackers();
    }

    @Override
    public String name() {
        return NAME;
    }

    /** An indexer finds torrents of a known film; it does not list films. */
    @Override
    public boolean answers(FilmQuery query) {
        return false;
    }

    @Override
    protected List<SourceFilm> findPage(FilmQuery query, int page) {
        return List.of();
    }

    @Override
    protected Optional<SourceFilm> lookUp(String imdbId, String sourceId) throws SourceUnavailableException {
        String imdb = SourceJson.imdbId(imdbId);
        if (imdb == null) {
            return Optional.empty();
        }
        URI uri = SourceUri.of(url)
                .param("t", "movie")
                .param("imdbid", imdb)
                .param("cat", MOVIES)
                .param("limit", MAX_ITEMS)
                .param("apikey", apiKey)
                .build();
        Document answer = http.getXml(NAME, uri, Map.of(), TorznabSource::checkAnswer);
        Element root = answer.getDocumentElement();
        if ("error".equals(root.getLocalName())) {
            return Optional.empty(); // 300: the indexer knows no such item
        }
        List<SourceTorrent> torrents = new ArrayList<>();
        int linksResolved = 0;
        NodeList items = root.getElementsByTagName("item");
        for (int i = 0; i < items.getLength() && i < MAX_ITEMS; i++) {
            Element item = (Element) items.item(i);
            Map<String, String> attrs = attributes(item);
            String title = SourceJson.clean(childText(item, "title"));
            String hash = SourceJson.infoHash(attrs.get("infohash"));
            String magnet = attrs.get("magneturl");
            if (magnet == null || !magnet.regionMatches(true, 0, "magnet:", 0, 7)) {
                magnet = null;
            }
            if (magnet == null && hash != null) {
                magnet = Magnets.of(hash, title, trackers);
            }
            if (magnet == null && linksResolved < MAX_LINKS_RESOLVED) {
                String link = downloadLink(item);
                if (link != null) {
                    linksResolved++;
                    magnet = magnetBehind(link);
                }
            }
            if (magnet == null) {
                continue; // a .torrent behind a link that carries the key: not offered
            }
            if (hash == null) {
                Matcher m = MAGNET_HASH.matcher(magnet);
                hash = m.find() ? m.group(1).toLowerCase() : null;
            }
            Matcher quality = title == null ? null : QUALITY.matcher(title);
            Integer seeders = integer(attrs.get("seeders"));
            Integer peers = integer(attrs.get("peers"));
            Long size = size(item, attrs);
            torrents.add(new SourceTorrent(NAME, hash, title, quality != null && quality.find() ? quality.group(1).toLowerCase() : null,
                    size == null ? 0 : size, seeders == null ? -1 : seeders,
                    // Torznab's "peers" counts the seeders too.
                    peers == null ? -1 : seeders == null ? peers : Math.max(0, peers - seeders), magnet));
        }
        if (torrents.isEmpty()) {
            return Optional.empty();
        }
        List<SourceTorrent> best = torrents.stream()
                .sorted(Comparator.comparingInt(SourceTorrent::seeds).reversed())
                .limit(MAX_TORRENTS)
                .toList();
        return Optional.of(new SourceFilm(NAME, null, imdb, null, null, null, null, List.of(), null, null, null, null,
                List.of(), List.of(), null, best));
    }

    /** Jackett answers some download links with {@code Location: magnet:...}; one that fails costs only its item. */
    private String magnetBehind(String link) {
        try {
            return http.redirectTarget(NAME, URI.create(link))
                    .filter(target -> target.regionMatches(true, 0, "magnet:", 0, 7))
                    .orElse(null);
        } catch (SourceUnavailableException | IllegalArgumentException e) {
            return null;
        }
    }

    private static void checkAnswer(Document answer) throws SourceUnavailableException {
        Element root = answer.getDocumentElement();
        if ("error".equals(root.getLocalName())) {
            Integer code = integer(root.getAttribute("code"));
            if (code != null && code == NO_SUCH_ITEM) {
                return;
            }
            throw new SourceUnavailableException(NAME, "answered error " + root.getAttribute("code") + ": "
                    + SourceHttp.redact(SourceJson.clean(root.getAttribute("description"))));
        }
        if (!"rss".equals(root.getLocalName()) || root.getElementsByTagName("channel").getLength() == 0) {
            throw new SourceUnavailableException(NAME, "answered <" + root.getLocalName() + "> instead of an RSS channel");
        }
    }

    /** torznab:attr (and newznab:attr) name → value; the first of repeated names wins. */
    private static Map<String, String> attributes(Element item) {
        Map<String, String> attrs = new HashMap<>();
        NodeList children = item.getChildNodes();
        for (int i = 0; i < children.getLength(); i++) {
            if (children.item(i) instanceof Element child && "attr".equals(child.getLocalName())) {
                String name = child.getAttribute("name").toLowerCase();
                String value = SourceJson.clean(child.getAttribute("value"));
                if (!name.isEmpty() && value != null) {
                    attrs.putIfAbsent(name, value);
                }
            }
        }
        return attrs;
    }

    private static String childText(Element item, String name) {
        NodeList children = item.getChildNodes();
        for (int i = 0; i < children.getLength(); i++) {
            Node child = children.item(i);
            if (child instanceof Element element && name.equals(element.getLocalName())) {
                return element.getTextContent();
            }
        }
        return null;
    }

    private static String downloadLink(Element item) {
        String link = SourceJson.url(SourceJson.clean(childText(item, "link")));
        if (link != null) {
            return link;
        }
        NodeList children = item.getChildNodes();
        for (int i = 0; i < children.getLength(); i++) {
            if (children.item(i) instanceof Element e && "enclosure".equals(e.getLocalName())) {
                return SourceJson.url(SourceJson.clean(e.getAttribute("url")));
            }
        }
        return null;
    }

    /** Jackett sends {@code <size>}, others a size attribute; the enclosure's length is the last resort. */
    private static Long size(Element item, Map<String, String> attrs) {
        Long size = longValue(SourceJson.clean(childText(item, "size")));
        if (size == null) {
            size = longValue(attrs.get("size"));
        }
        if (size == null) {
            NodeList children = item.getChildNodes();
            for (int i = 0; i < children.getLength() && size == null; i++) {
                if (children.item(i) instanceof Element e && "enclosure".equals(e.getLocalName())) {
                    size = longValue(e.getAttribute("length"));
                }
            }
        }
        return size == null || size <= 0 ? null : size;
    }

    private static Integer integer(String text) {
        Long value = longValue(text);
        return value == null || value > Integer.MAX_VALUE || value < 0 ? null : value.intValue();
    }

    private static Long longValue(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return Long.parseLong(text.strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
