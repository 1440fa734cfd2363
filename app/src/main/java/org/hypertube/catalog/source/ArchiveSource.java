package org.hypertube.catalog.source;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * The Internet Archive's feature films (collection {@code feature_films}): advanced search for
 * lists, item metadata for details, and the item's own {@code _archive.torrent}, which carries the
 * Archive's web seeds. Keyless, on by default.
 */
@Component
@ConditionalOnBooleanProperty(name = "hypertube.catalog.archive.enabled", matchIfMissing = true)
public class ArchiveSource extends GuardedSource {

    static final String NAME = "archive";
    static final int PAGE_SIZE = 20;
    private static final String FEATURE_FILMS =
            "collection:(feature_films) AND mediatype:(movies) AND -access-restricted-item:(true)";
    private static final String FIELDS =
            "identifier,title,year,date,description,downloads,subject,external-identifier";
    private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}]+");
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");
    private static final Pattern HOURS_MINUTES_SECONDS = Pattern.compile("(\\d{1,2}):(\\d{2}):(\\d{2})");
    private static final Pattern MINUTES_SECONDS = Pattern.compile("(\\d{1,3}):(\\d{2})");
    private static final Pattern MINUTES = Pattern.compile("(\\d{1,3})\\s*(?:min|minutes|mins|m)\\b", Pattern.CASE_INSENSITIVE);
    private static final int MAX_WORDS = 10;

    private final SourceHttp http;
    private final String baseUrl;

    public ArchiveSource(SourceHttp http, ArchiveProperties properties) {
        this.http = http;
        this.baseUrl = http.operatorUrl(properties.baseUrl(), "ARCHIVE_BASE_URL");
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    protected List<SourceFilm> findPage(FilmQuery query, int page) throws SourceUnavailableException {
        if (page < 1) {
            return List.of();
        }
        StringBuilder q = new StringBuilder(FEATURE_FILMS);
        if (query.isSearch()) {
            String words = words(query.text());
            if (words == null) {
                return List.of();
            }
            q.append(" AND title:(").append(words).append(')');
        }
        if (query.genre() != null && words(query.genre()) != null) {
            q.append(" AND subject:(").append(words(query.genre())).append(')');
        }
        if (query.yearFrom() != null || query.yearTo() != null) {
            q.append(" AND year:[").append(query.yearFrom() == null ? "*" : query.yearFrom())
                    .append(" TO ").append(query.yearTo() == null ? "*" : query.yearTo()).append(']');
        }
        String sort = switch (query.sort() == null ? FilmQuery.Sort.POPULARITY : query.sort()) {
            case TITLE -> "titleSorter asc";
            case YEAR -> "year desc";
            // The Archive has no rating comparable with IMDb's; downloads are what it knows.
            case RATING, POPULARITY -> "downloads desc";
        };
        List<SourceFilm> films = new ArrayList<>();
        for (JsonNode doc : search(q.toString(), sort, page, PAGE_SIZE)) {
            SourceFilm film = listed(doc);
            if (film != null) {
                films.add(film);
            }
        }
        return films;
    }

    @Override
    protected Optional<SourceFilm> lookUp(String imdbId, String sourceId) throws SourceUnavailableException {
        String identifier = sourceId != null && IDENTIFIER.matcher(sourceId.strip()).matches() ? sourceId.strip() : null;
        if (identifier == null) {
            String imdb = SourceJson.imdbId(imdbId);
            if (imdb == null) {
                return Optional.empty();
            }
            List<JsonNode> hits = search(FEATURE_FILMS + " AND external-identifier:(\"urn:imdb:" + imdb + "\")",
                    "downloads desc", 1, 1);
            identifier = hits.isEmpty() ? null : SourceJson.text(hits.getFirst(), "identifier");
            if (identifier == null || !IDENTIFIER.matcher(identifier).matches()) {
                return Optional.empty();
            }
        }
        URI uri = SourceUri.of(baseUrl).path("metadata").segment(identifier).build();
        JsonNode item = http.getJson(NAME, uri, Map.of(), ArchiveSource::checkItem);
        JsonNode metadata = item.get("metadata");
        // Unknown items answer {}; dark and restricted ones are not ours to offer.
        if (metadata == null || !metadata.isObject() || item.path("is_dark").asBoolean(false)
                || "true".equalsIgnoreCase(SourceJson.text(metadata, "access-restricted-item"))) {
            return Optional.empty();
        }
        return Optional.ofNullable(described(identifier, item, metadata));
    }

    private List<JsonNode> search(String q, String sort, int page, int rows) throws SourceUnavailableException {
        URI uri = SourceUri.of(baseUrl).path("advancedsearch.php")
                .param("q", q)
                .param("fl[]", FIELDS)
                .param("sort[]", sort)
                .param("rows", rows)
                .param("page", page)
                .param("output", "json")
                .build();
        JsonNode docs = http.getJson(NAME, uri, Map.of(), ArchiveSource::checkSearch).get("response").get("docs");
        List<JsonNode> out = new ArrayList<>();
        docs.forEach(out::add);
        return out;
    }

    private static void checkSearch(JsonNode answer) throws SourceUnavailableException {
        if (answer.has("error")) {
            throw new SourceUnavailableException(NAME, "search answered an error: " + errorText(answer.get("error")));
        }
        JsonNode status = answer.path("responseHeader").path("status");
        if (status.isNumber() && status.asInt() != 0) {
            throw new SourceUnavailableException(NAME, "search answered status " + status.asInt());
        }
        if (!answer.path("response").path("docs").isArray()) {
            throw new SourceUnavailableException(NAME, "search answered without response.docs");
        }
    }

    private static void checkItem(JsonNode answer) throws SourceUnavailableException {
        if (answer.has("error")) {
            throw new SourceUnavailableException(NAME, "metadata answered an error: " + errorText(answer.get("error")));
        }
    }

    private static String errorText(JsonNode error) {
        String text = error.isValueNode() ? SourceJson.clean(error.asString()) : SourceJson.clean(error.toString());
        return text == null ? "(empty)" : text.length() > 160 ? text.substring(0, 160) : text;
    }

    private SourceFilm listed(JsonNode doc) {
        String identifier = SourceJson.text(doc, "identifier");
        String title = SourceJson.text(doc, "title");
        if (identifier == null || title == null || !IDENTIFIER.matcher(identifier).matches()) {
            return null;
        }
        Integer year = year(doc);
        Long downloads = SourceJson.number(doc, "downloads");
        return new SourceFilm(NAME, identifier, imdbId(doc), title, year, null, null, genres(doc),
                SourceJson.htmlToText(SourceJson.text(doc, "description")), coverUrl(identifier), null, null,
                List.of(), List.of(), downloads == null ? null : downloads.doubleValue(),
                List.of(torrent(identifier, null, null, 0)));
    }

    private SourceFilm described(String identifier, JsonNode item, JsonNode metadata) {
        String title = SourceJson.text(metadata, "title");
        if (title == null) {
            return null;
        }
        String btih = null;
        int height = 0;
        JsonNode files = item.get("files");
        if (files != null && files.isArray()) {
            for (JsonNode file : files) {
                String format = SourceJson.text(file, "format");
                if ("Archive BitTorrent".equalsIgnoreCase(format)) {
                    btih = SourceJson.infoHash(SourceJson.text(file, "btih"));
                }
                Integer h = SourceJson.integer(file, "height");
                if (h != null && h > height && h < 10_000) {
                    height = h;
                }
            }
        }
        Long itemSize = SourceJson.number(item, "item_size");
        return new SourceFilm(NAME, identifier, imdbId(metadata), title, year(metadata), null,
                runtimeMinutes(SourceJson.text(metadata, "runtime")), genres(metadata),
                SourceJson.htmlToText(String.join("\n", SourceJson.texts(metadata, "description"))),
                coverUrl(identifier), null, SourceJson.text(metadata, "director"), List.of(), List.of(), null,
                List.of(torrent(identifier, btih, height > 0 ? height + "p" : null, itemSize == null ? 0 : itemSize)));
    }

    /** The item's torrent; the Archive makes one for every item and seeds it over the web. */
    private SourceTorrent torrent(String identifier, String btih, String quality, long size) {
        String uri = SourceUri.of(baseUrl).path("download").segment(identifier)
                .segment(identifier + "_archive.torrent").build().toString();
        return new SourceTorrent(NAME, btih, identifier, quality, size, -1, -1, uri);
    }

    private String coverUrl(String identifier) {
        return SourceUri.of(baseUrl).path("services/img").segment(identifier).build().toString();
    }

    private static Integer year(JsonNode node) {
        Integer year = SourceJson.year(SourceJson.text(node, "year"));
        return year != null ? year : SourceJson.year(SourceJson.text(node, "date"));
    }

    private static String imdbId(JsonNode node) {
        for (String id : SourceJson.texts(node, "external-identifier")) {
            if (id.toLowerCase(Locale.ROOT).startsWith("urn:imdb:")) {
                return SourceJson.imdbId(id.substring("urn:imdb:".length()));
            }
        }
        return null;
    }

    /** Subjects are free text ("Horror; Zombies"); only those naming a catalog genre are kept. */
    private static List<String> genres(JsonNode node) {
        Set<String> genres = new LinkedHashSet<>();
        for (String subject : SourceJson.texts(node, "subject")) {
            for (String part : subject.split("[;,]")) {
                String genre = part.isBlank() ? null : GenreNames.known(part);
                if (genre != null) {
                    genres.add(genre);
                }
            }
        }
        return List.copyOf(genres);
    }

    /** "1:36:00" (h:m:s), "6:00" (m:s) or "96 min"; null for anything else. */
    static Integer runtimeMinutes(String runtime) {
        if (runtime == null) {
            return null;
        }
        Matcher m = HOURS_MINUTES_SECONDS.matcher(runtime);
        if (m.find()) {
            return Integer.parseInt(m.group(1)) * 60 + Integer.parseInt(m.group(2));
        }
        m = MINUTES_SECONDS.matcher(runtime);
        if (m.find()) {
            return Integer.parseInt(m.group(1));
        }
        m = MINUTES.matcher(runtime);
        if (m.find()) {
            return Integer.parseInt(m.group(1));
        }
        return null;
    }

    /** Letters and digits only, joined with AND, so a search text cannot change the Lucene query. */
    private static String words(String text) {
        List<String> words = new ArrayList<>();
        Matcher m = WORD.matcher(text.toLowerCase(Locale.ROOT));
        while (m.find() && words.size() < MAX_WORDS) {
            words.add(m.group());
        }
        return words.isEmpty() ? null : String.join(" AND ", words);
    }
}
