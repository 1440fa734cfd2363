package org.hypertube.playback;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.hypertube.catalog.source.ProviderFakes;
import org.hypertube.torrent.Metainfo;
import org.hypertube.torrent.TorrentCreator;
import org.hypertube.torrent.testing.NginxServer;
import tools.jackson.databind.json.JsonMapper;

/**
 * One Internet Archive item standing in for a film: a real MP4 ({@link TestFilms}) and a {@code _meta.xml}
 * laid out as the Archive lays out items ({@code <root>/download/<identifier>/<file>}), served by Debian's
 * nginx on 127.0.0.1, with the item's {@code <identifier>_archive.torrent} made by our {@link TorrentCreator}
 * as the Archive makes it: {@code info.name} is the identifier, no tracker, and two web seeds in
 * {@code url-list}, the {@code download/} base and a storage node's {@code items/} base (both on the nginx).
 * No peer anywhere: only the web seeds have the film.
 *
 * <p>{@link #stubbedAt} puts the item into the fake Archive API of {@link ProviderFakes} in its documented
 * shapes (advanced search for the stand-in's title, {@code metadata/<identifier>} with the torrent's
 * {@code btih}), and answers the item's downloads with a 302 to the nginx, as archive.org redirects to a node.
 */
final class ArchiveStandIn implements AutoCloseable {

    /** The storage node's base in {@code url-list}, as the Archive's {@code http://iaNNNNNN.us.archive.org/27/items/}. */
    static final String NODE_ITEMS = "/27/items/";

    /** A word unique to this run (lower-case letters and digits), in the identifier and the title. */
    final String token;
    final String identifier;
    final String title;
    /** The item's folder on the nginx; its files but the torrent are the torrent's content. */
    final Path item;
    final Path film;
    final byte[] torrentFile;
    final Metainfo metainfo;
    final NginxServer nginx;
    private final Path root;
    private final List<StubMapping> stubs = new ArrayList<>();
    private WireMockServer fakes;

    private ArchiveStandIn(String token, Path root, Path item, Path film, byte[] torrentFile, NginxServer nginx) {
        this.token = token;
        this.identifier = item.getFileName().toString();
        this.title = "Stand-in " + token;
        this.root = root;
        this.item = item;
        this.film = film;
        this.torrentFile = torrentFile;
        this.metainfo = Metainfo.parse(torrentFile);
        this.nginx = nginx;
    }

    /** A new item (identifier and title unique to this run) holding {@code kind}, served by a new nginx. */
    static ArchiveStandIn create(TestFilms kind) throws IOException, InterruptedException {
        String token = "ws" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        String identifier = "hypertube_" + token;
        Path root = org.hypertube.TestDirs.temporary("hypertube-archive");
        Path item = Files.createDirectories(root.resolve("download").resolve(identifier));
        Path film = Files.copy(kind.file(), item.resolve(identifier + "." + FilmFileChoice.extension(kind.fileName())));
        Files.writeString(item.resolve(identifier + "_meta.xml"), """
                <?xml version="1.0" encoding="UTF-8"?>
                <metadata><identifier>%s</identifier><mediatype>movies</mediatype><collection>feature_films</collection>\
                <title>Stand-in %s</title></metadata>
                """.formatted(identifier, token));
        NginxServer nginx = NginxServer.serving(root)
                .serverConfig("location " + NODE_ITEMS + " { alias " + root.resolve("download") + "/; }").start();
        try {
            byte[] torrent = new TorrentCreator().createdBy("ia_make_torrent").pieceLength(256 * 1024)
                    .webSeed(nginx.url("/download/")).webSeed(nginx.url(NODE_ITEMS)).create(item);
            // Written after creating it: the Archive lists the torrent in the item, never inside the torrent.
            Files.write(item.resolve(identifier + "_archive.torrent"), torrent);
            return new ArchiveStandIn(token, root, item, film, torrent, nginx);
        } catch (IOException | RuntimeException e) {
            nginx.close();
            throw e;
        }
    }

    /** The fake Archive API on {@code server} (at ProviderFakes' Archive base) knows this item from now until {@link #close}. */
    ArchiveStandIn stubbedAt(WireMockServer server) {
        this.fakes = server;
        String base = URI.create(ProviderFakes.properties(server).get("hypertube.catalog.archive.base-url")).getPath();
        JsonMapper json = JsonMapper.builder().build();
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("identifier", identifier);
        doc.put("title", title);
        doc.put("year", "1931");
        doc.put("description", "<p>A test film &amp; its web seeds.</p>");
        doc.put("downloads", 1234);
        doc.put("subject", List.of("Drama", "Test films"));
        doc.put("collection", List.of("feature_films", "moviesandfilms"));
        doc.put("licenseurl", "http://creativecommons.org/publicdomain/mark/1.0/");
        stubs.add(server.stubFor(get(urlPathEqualTo(base + "/advancedsearch.php")).atPriority(1)
                .withQueryParam("q", containing(token))
                .willReturn(okJson(json.writeValueAsString(Map.of(
                        "responseHeader", Map.of("status", 0, "QTime", 7),
                        "response", Map.of("numFound", 1, "start", 0, "docs", List.of(doc))))))));
        stubs.add(server.stubFor(get(urlPathEqualTo(base + "/metadata/" + identifier)).atPriority(1)
                .willReturn(okJson(json.writeValueAsString(metadata())))));
        for (String name : itemFiles()) {
            stubs.add(server.stubFor(get(urlPathEqualTo(base + "/download/" + identifier + "/" + name)).atPriority(1)
                    .willReturn(aResponse().withStatus(302)
                            .withHeader("Location", nginx.url("/download/" + identifier + "/" + name)))));
        }
        return this;
    }

    /** {@code metadata/<identifier>} in the documented shape: sizes and lengths as strings, the torrent's btih. */
    private Map<String, Object> metadata() {
        List<Map<String, Object>> files = new ArrayList<>();
        long total = 0;
        for (String name : itemFiles()) {
            Path file = item.resolve(name);
            long size = size(file);
            total += size;
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("name", name);
            if (name.endsWith("_archive.torrent")) {
                row.put("source", "metadata");
                row.put("btih", metainfo.infoHash().hex());
                row.put("format", "Archive BitTorrent");
            } else if (name.endsWith("_meta.xml")) {
                row.put("source", "original");
                row.put("format", "Metadata");
            } else {
                row.put("source", "original");
                row.put("format", "h.264");
                row.put("length", String.valueOf(TestFilms.SECONDS) + ".00");
                row.put("height", "360");
                row.put("width", "640");
            }
            row.put("mtime", "1765065600");
            row.put("size", String.valueOf(size));
            files.add(row);
        }
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("identifier", identifier);
        metadata.put("mediatype", "movies");
        metadata.put("collection", List.of("feature_films", "moviesandfilms"));
        metadata.put("title", title);
        metadata.put("year", "1931");
        metadata.put("runtime", "0:40");
        metadata.put("description", "<p>A test film &amp; its web seeds.</p>");
        metadata.put("subject", "Drama; Test films");
        metadata.put("licenseurl", "http://creativecommons.org/publicdomain/mark/1.0/");
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("created", 1_765_065_600);
        answer.put("d1", "ia800001.us.archive.org");
        answer.put("dir", NODE_ITEMS + identifier);
        answer.put("files", files);
        answer.put("files_count", files.size());
        answer.put("item_last_updated", 1_765_065_600);
        answer.put("item_size", total);
        answer.put("metadata", metadata);
        answer.put("server", "ia800001.us.archive.org");
        answer.put("workable_servers", List.of("ia800001.us.archive.org"));
        return answer;
    }

    private List<String> itemFiles() {
        try (var list = Files.list(item)) {
            return list.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The nginx requests for the film file, through either web seed. */
    List<String> filmRequests() throws IOException {
        String path = identifier + "/" + film.getFileName();
        return nginx.accessLog().stream().filter(l -> l.contains("/download/" + path + " ") || l.contains(NODE_ITEMS + path + " "))
                .toList();
    }

    @Override
    public void close() throws IOException {
        if (fakes != null) {
            stubs.forEach(fakes::removeStub);
        }
        nginx.close();
        try (var paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
