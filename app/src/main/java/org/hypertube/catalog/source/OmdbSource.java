package org.hypertube.catalog.source;

import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * OMDb: search by title and the IMDb rating, length, director and actors of a film by IMDb id.
 * Every value is a string and "N/A" means unknown; errors come as {@code "Response":"False"}, often
 * with HTTP 200. It cannot list popular films. Present only when OMDB_API_KEY is set.
 */
@Component
@WhenConfigured("hypertube.catalog.omdb.api-key")
public class OmdbSource extends GuardedSource {

    static final String NAME = "omdb";
    /** OMDb serves search pages 1-100 of 10 films. */
    static final int LAST_PAGE = 100;
    /** Errors that are answers ("nothing matches"), not a broken source. */
    private static final Set<String> NO_MATCH = Set.of("movie not found!", "too many results.", "incorrect imdb id.");

    private final SourceHttp http;
    private final String baseUrl;
    private final String apiKey;

    public OmdbSource(SourceHttp http, OmdbProperties properties) {
        if (SourceBaseUrl.isBlank(properties.apiKey())) {
            throw new IllegalArgumentException("OMDB_API_KEY must be set for the OMDb source");
        }
        this.http = http;
        this.baseUrl = http.operatorUrl(properties.baseUrl(), "OMDB_BASE_URL");
        this.apiKey = properties.apiKey();
    }

    @Override
    public String name() {
        return NAME;
    }

    /** Only searches: OMDb has no list of popular films. */
    @Override
    public boolean answers(FilmQuery query) {
        return query.isSearch();
    }

    @Override
    protected List<SourceFilm> findPage(FilmQuery query, int page) throws SourceUnavailableException {
        if (!query.isSearch() || page < 1 || page > LAST_PAGE) {
            return List.of();
        }
        URI uri = SourceUri.of(baseUrl).path("")
                .param("apikey", apiKey)
                .param("s", query.text().strip())
                .param("type", "movie")
                .param("y", query.yearFrom() != null && query.yearFrom().equals(query.yearTo()) ? query.yearFrom() : null)
                .param("page", page)
                .build();
        JsonNode answer = http.getJson(NAME, uri, Map.of(), OmdbSource::checkResponse);
        JsonNode search = answer.get("Search");
        if (!isTrue(answer) || search == null || !search.isArray()) {
            return List.of();
        }
        List<SourceFilm> films = new ArrayList<>();
        for (JsonNode item : search) {
            String imdb = SourceJson.imdbId(SourceJson.text(item, "imdbID"));
            String title = SourceJson.text(item, "Title");
            if (imdb != null && title != null && films.size() < 20) {
                films.add(new SourceFilm(NAME, imdb, imdb, title, SourceJson.year(SourceJson.text(item, "Year")), null,
                        null, List.of(), null, SourceJson.url(SourceJson.text(item, "Poster")), null, null, List.of(),
                        List.of(), null, List.of()));
            }
        }
        return films;
    }

    @Override
    protected Optional<SourceFilm> lookUp(String imdbId, String sourceId) throws SourceUnavailableException {
        String imdb = SourceJson.imdbId(imdbId != null ? imdbId : sourceId);
        if (imdb == null) {
            return Optional.empty();
        }
        URI uri = SourceUri.of(baseUrl).path("")
                .param("apikey", apiKey)
                .param("i", imdb)
                .param("plot", "full")
                .build();
        JsonNode film = http.getJson(NAME, uri, Map.of(), OmdbSource::checkResponse);
        String title = SourceJson.text(film, "Title");
        if (!isTrue(film) || title == null) {
            return Optional.empty();
        }
        String runtime = SourceJson.text(film, "Runtime");
        Long votes = SourceJson.number(film, "imdbVotes");
        Integer minutes = runtime != null && runtime.matches("\\d{1,4} min")
                ? Integer.valueOf(runtime.substring(0, runtime.indexOf(' '))) : null;
        return Optional.of(new SourceFilm(NAME, imdb, SourceJson.imdbId(SourceJson.text(film, "imdbID")) != null
                ? SourceJson.imdbId(SourceJson.text(film, "imdbID")) : imdb,
                title, SourceJson.year(SourceJson.text(film, "Year")),
                SourceJson.rating(SourceJson.decimal(film, "imdbRating")),
                minutes == null || minutes <= 0 ? null : minutes,
                commaList(SourceJson.text(film, "Genre")).stream().map(GenreNames::fromImdb).toList(),
                SourceJson.text(film, "Plot"), SourceJson.url(SourceJson.text(film, "Poster")), null,
                SourceJson.text(film, "Director"), List.of(), commaList(SourceJson.text(film, "Actors")),
                votes == null ? null : votes.doubleValue(), List.of()));
    }

    private static boolean isTrue(JsonNode answer) {
        return "true".equalsIgnoreCase(SourceJson.text(answer, "Response"));
    }

    /** "Movie not found!" is an answer; a bad key, a spent quota or "Error getting data." are not. */
    private static void checkResponse(JsonNode answer) throws SourceUnavailableException {
        String response = SourceJson.text(answer, "Response");
        if ("true".equalsIgnoreCase(response)) {
            return;
        }
        String error = SourceJson.text(answer, "Error");
        if ("false".equalsIgnoreCase(response) && error != null && NO_MATCH.contains(error.toLowerCase())) {
            return;
        }
        throw new SourceUnavailableException(NAME, "answered Response=" + response + ": " + error);
    }

    private static List<String> commaList(String text) {
        if (text == null) {
            return List.of();
        }
        return Arrays.stream(text.split(","))
                .map(SourceJson::clean)
                .filter(s -> s != null)
                .limit(SourceJson.MAX_LIST)
                .toList();
    }
}
