package org.hypertube.catalog.source;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * YTS ({@code /api/v2}): films with their torrents (hash, quality, size, seeds). Keyless, on by
 * default; its answers say "error" with HTTP 200, and an empty page has no {@code movies} key.
 */
@Component
@ConditionalOnBooleanProperty(name = "hypertube.catalog.yts.enabled", matchIfMissing = true)
public class YtsSource extends GuardedSource {

    static final String NAME = "yts";
    /** Films per page; the API allows 1-50. */
    static final int PAGE_SIZE = 20;
    private static final int MAX_CAST = 10;

    private final SourceHttp http;
    private final String baseUrl;
    private final List<String> trackers;

    public YtsSource(SourceHttp http, YtsProperties properties) {
        this.http = http;
        this.baseUrl = http.operatorUrl(properties.baseUrl(), "YTS_BASE_URL");
        this.trackers = properties.trackers();
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
        String[] sort = switch (query.sort() == null ? FilmQuery.Sort.POPULARITY : query.sort()) {
            case TITLE -> new String[] {"title", "asc"};
            case YEAR -> new String[] {"year", "desc"};
            case RATING -> new String[] {"rating", "desc"};
            // Sorting by seeds or peers is broken at YTS; downloads is the popularity it keeps.
            case POPULARITY -> new String[] {"download_count", "desc"};
        };
        URI uri = SourceUri.of(baseUrl).path("list_movies.json")
                .param("query_term", query.isSearch() ? query.text().strip() : null)
                .param("genre", query.genre() == null || query.genre().isBlank() ? null : GenreNames.toImdb(query.genre()))
                .param("minimum_rating", query.minRating() == null ? null : (int) Math.max(0, Math.min(9, Math.floor(query.minRating()))))
                .param("sort_by", sort[0])
                .param("order_by", sort[1])
                .param("page", page)
                .param("limit", PAGE_SIZE)
                .build();
        JsonNode data = http.getJson(NAME, uri, Map.of(), this::checkStatus).get("data");
        JsonNode movies = data == null ? null : data.get("movies");
        if (movies == null || movies.isNull()) {
            return List.of();
        }
        if (!movies.isArray()) {
            throw new SourceUnavailableException(NAME, "list_movies answered 'movies' that is not a list");
        }
        List<SourceFilm> films = new ArrayList<>();
        for (JsonNode movie : movies) {
            SourceFilm film = film(movie, false);
            if (film != null && films.size() < 50) {
                films.add(film);
            }
        }
        return films;
    }

    @Override
    protected Optional<SourceFilm> lookUp(String imdbId, String sourceId) throws SourceUnavailableException {
        SourceUri uri = SourceUri.of(baseUrl).path("movie_details.json");
        if (sourceId != null && sourceId.strip().matches("\\d{1,10}")) {
            uri.param("movie_id", sourceId.strip());
        } else if (SourceJson.imdbId(imdbId) != null) {
            uri.param("imdb_id", SourceJson.imdbId(imdbId));
        } else {
            return Optional.empty();
        }
        uri.param("with_images", "true").param("with_cast", "true");
        JsonNode data = http.getJson(NAME, uri.build(), Map.of(), this::checkStatus).get("data");
        JsonNode movie = data == null ? null : data.get("movie");
        // An unknown film comes back "ok" with an empty movie (id 0, no title).
        if (movie == null || !movie.isObject() || SourceJson.number(movie, "id") == null
                || SourceJson.number(movie, "id") == 0 || SourceJson.text(movie, "title") == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(film(movie, true));
    }

    private void checkStatus(JsonNode answer) throws SourceUnavailableException {
        String status = SourceJson.text(answer, "status");
        if (!"ok".equalsIgnoreCase(status)) {
            throw new SourceUnavailableException(NAME, "answered status '" + status + "': "
                    + SourceJson.text(answer, "status_message"));
        }
        if (!(answer.get("data") instanceof JsonNode data) || !data.isObject()) {
            throw new SourceUnavailableException(NAME, "answered without 'data'");
        }
    }

    private SourceFilm film(JsonNode movie, boolean withCast) {
        String title = SourceJson.text(movie, "title_english");
        if (title == null) {
            title = SourceJson.text(movie, "title");
        }
        Long id = SourceJson.number(movie, "id");
        if (title == null || id == null) {
            return null;
        }
        Integer year = SourceJson.integer(movie, "year");
        String summary = SourceJson.text(movie, "description_full");
        if (summary == null) {
            summary = SourceJson.text(movie, "summary");
        }
        Integer runtime = SourceJson.integer(movie, "runtime");
        List<String> genres = SourceJson.texts(movie, "genres").stream().map(GenreNames::fromImdb).toList();
        List<String> cast = new ArrayList<>();
        JsonNode castNode = movie.get("cast");
        if (withCast && castNode != null && castNode.isArray()) {
            for (JsonNode person : castNode) {
                String name = SourceJson.text(person, "name");
                if (name != null && cast.size() < MAX_CAST) {
                    cast.add(name);
                }
            }
        }
        String longTitle = SourceJson.text(movie, "title_long");
        List<SourceTorrent> torrents = torrents(movie.get("torrents"), longTitle != null ? longTitle
                : year == null ? title : title + " (" + year + ")");
        Double popularity = torrents.isEmpty() ? null
                : (double) torrents.stream().mapToInt(t -> Math.max(0, t.seeds())).sum();
        return new SourceFilm(NAME, String.valueOf(id), SourceJson.imdbId(SourceJson.text(movie, "imdb_code")), title,
                year, SourceJson.rating(SourceJson.decimal(movie, "rating")),
                runtime == null || runtime <= 0 ? null : runtime, genres, summary,
                SourceJson.url(SourceJson.text(movie, "large_cover_image")),
                SourceJson.url(SourceJson.text(movie, "background_image_original")),
                null, List.of(), cast, popularity, torrents);
    }

    private List<SourceTorrent> torrents(JsonNode list, String filmName) {
        List<SourceTorrent> torrents = new ArrayList<>();
        if (list == null || !list.isArray()) {
            return torrents;
        }
        for (JsonNode torrent : list) {
            String hash = SourceJson.infoHash(SourceJson.text(torrent, "hash"));
            String quality = SourceJson.text(torrent, "quality");
            String type = SourceJson.text(torrent, "type");
            String name = filmName + (quality == null ? "" : " [" + quality + "]") + (type == null ? "" : " [" + type + "]");
            String uri = hash != null ? Magnets.of(hash, name, trackers) : SourceJson.url(SourceJson.text(torrent, "url"));
            if (uri == null || torrents.size() >= 20) {
                continue;
            }
            Long size = SourceJson.number(torrent, "size_bytes");
            Integer seeds = SourceJson.integer(torrent, "seeds");
            Integer peers = SourceJson.integer(torrent, "peers");
            torrents.add(new SourceTorrent(NAME, hash, name, quality, size == null || size < 0 ? 0 : size,
                    seeds == null ? -1 : seeds, peers == null ? -1 : peers, uri));
        }
        return torrents;
    }
}
