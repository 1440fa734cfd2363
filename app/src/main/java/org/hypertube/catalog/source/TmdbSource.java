package org.hypertube.catalog.source;

import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * TMDB v3: search, discover, film pages with credits and external ids, genres and images, with
 * titles and overviews in the language of the person asking. Present only when TMDB_API_KEY is set.
 */
@Component
@WhenConfigured("hypertube.catalog.tmdb.api-key")
public class TmdbSource extends GuardedSource {

    static final String NAME = "tmdb";
    /** TMDB refuses pages past 500 (error 22). */
    static final int LAST_PAGE = 500;
    private static final String POSTER_SIZE = "w500";
    private static final String BACKDROP_SIZE = "w1280";
    private static final int MAX_CAST = 10;
    private static final int MAX_PRODUCERS = 5;

    private final SourceHttp http;
    private final String baseUrl;
    private final String imageBaseUrl;
    private final String apiKey;
    /** A v4 read access token goes in a header; a v3 key (short hex) only works as a parameter. */
    private final boolean bearer;

    public TmdbSource(SourceHttp http, TmdbProperties properties) {
        if (SourceBaseUrl.isBlank(properties.apiKey())) {
            throw new IllegalArgumentException("TMDB_API_KEY must be set for the TMDB source");
        }
        this.http = http;
        this.baseUrl = http.operatorUrl(properties.baseUrl(), "TMDB_BASE_URL");
        this.imageBaseUrl = http.operatorUrl(properties.imageBaseUrl(), "TMDB_IMAGE_BASE_URL");
        this.apiKey = properties.apiKey();
        this.bearer = apiKey.length() > 40 && apiKey.contains(".");
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    protected List<SourceFilm> findPage(FilmQuery query, int page) throws SourceUnavailableException {
        if (page < 1 || page > LAST_PAGE) {
            return List.of();
        }
        String language = language();
        SourceUri uri;
        if (query.isSearch()) {
            uri = SourceUri.of(baseUrl).path("search/movie")
                    .param("query", query.text().strip())
                    .param("include_adult", "false")
                    .param("primary_release_year", query.yearFrom() != null && query.yearFrom().equals(query.yearTo())
                            ? query.yearFrom() : null);
        } else {
            Integer genreId = null;
            if (query.genre() != null && !query.genre().isBlank()) {
                genreId = genreIds().get(query.genre().strip().toLowerCase(Locale.ROOT));
                if (genreId == null) {
                    return List.of(); // TMDB has no such genre, so no film of it
                }
            }
            FilmQuery.Sort sort = query.sort() == null ? FilmQuery.Sort.POPULARITY : query.sort();
            uri = SourceUri.of(baseUrl).path("discover/movie")
                    .param("include_adult", "false")
                    .param("include_video", "false")
                    .param("sort_by", switch (sort) {
                        case TITLE -> "title.asc";
                        case YEAR -> "primary_release_date.desc";
                        case RATING -> "vote_average.desc";
                        case POPULARITY -> "popularity.desc";
                    })
                    // Without a floor, films with a single 10/10 vote top any list by rating.
                    .param("vote_count.gte", sort == FilmQuery.Sort.RATING || query.minRating() != null ? 50 : null)
                    .param("with_genres", genreId)
                    .param("primary_release_date.gte", query.yearFrom() == null ? null : query.yearFrom() + "-01-01")
                    .param("primary_release_date.lte", query.yearTo() == null ? null : query.yearTo() + "-12-31")
                    .param("vote_average.gte", query.minRating())
                    .param("vote_average.lte", query.maxRating());
        }
        uri.param("language", language).param("page", page);
        JsonNode results = call(uri, TmdbSource::checkList).get("results");
        Map<Integer, String> genres = genreNames();
        List<SourceFilm> films = new ArrayList<>();
        for (JsonNode result : results) {
            SourceFilm film = film(result, null, genres);
            if (film != null && films.size() < 50) {
                films.add(film);
            }
        }
        return films;
    }

    @Override
    protected Optional<SourceFilm> lookUp(String imdbId, String sourceId) throws SourceUnavailableException {
        String id = sourceId != null && sourceId.strip().matches("\\d{1,10}") ? sourceId.strip() : null;
        String imdb = SourceJson.imdbId(imdbId);
        if (id == null && imdb != null) {
            JsonNode found = call(SourceUri.of(baseUrl).path("find").segment(imdb)
                    .param("external_source", "imdb_id"), answer -> {
                if (!answer.path("movie_results").isArray()) {
                    throw new SourceUnavailableException(NAME, "find answered without movie_results");
                }
            }).get("movie_results");
            Long tmdbId = found.isEmpty() ? null : SourceJson.number(found.get(0), "id");
            id = tmdbId == null ? null : tmdbId.toString();
        }
        if (id == null) {
            return Optional.empty();
        }
        String language = language();
        Optional<JsonNode> movie = movie(id, language);
        if (movie.isEmpty()) {
            return Optional.empty();
        }
        JsonNode page = movie.get();
        String overview = SourceJson.text(page, "overview");
        if (overview == null && !language.startsWith("en")) {
            // A film without a translated overview answers ""; the English one beats none.
            overview = movie(id, "en-US").map(english -> SourceJson.text(english, "overview")).orElse(null);
        }
        return Optional.ofNullable(film(page, overview, genreNames()));
    }

    private Optional<JsonNode> movie(String id, String language) throws SourceUnavailableException {
        SourceUri uri = SourceUri.of(baseUrl).path("movie").segment(id)
                .param("append_to_response", "credits,external_ids")
                .param("language", language);
        authorize(uri);
        return http.getJsonOrNotFound(NAME, uri.build(), headers(), answer -> {
            checkSuccess(answer);
            if (SourceJson.number(answer, "id") == null) {
                throw new SourceUnavailableException(NAME, "film page answered without an id");
            }
        });
    }

    private SourceFilm film(JsonNode movie, String overview, Map<Integer, String> genreNames) {
        Long id = SourceJson.number(movie, "id");
        String title = SourceJson.text(movie, "title");
        if (id == null || title == null) {
            return null;
        }
        Long votes = SourceJson.number(movie, "vote_count");
        Double rating = votes == null || votes > 0 ? SourceJson.rating(SourceJson.decimal(movie, "vote_average")) : null;
        Set<String> genres = new LinkedHashSet<>();
        JsonNode genreIds = movie.get("genre_ids");
        if (genreIds != null && genreIds.isArray()) {
            genreIds.forEach(g -> addGenre(genres, genreNames, g.asInt(0), null));
        }
        JsonNode genreObjects = movie.get("genres");
        if (genreObjects != null && genreObjects.isArray()) {
            genreObjects.forEach(g -> addGenre(genres, genreNames, g.path("id").asInt(0), SourceJson.text(g, "name")));
        }
        String imdb = SourceJson.imdbId(SourceJson.text(movie, "imdb_id"));
        if (imdb == null) {
            imdb = SourceJson.imdbId(SourceJson.text(movie.path("external_ids"), "imdb_id"));
        }
        Integer runtime = SourceJson.integer(movie, "runtime");
        JsonNode credits = movie.get("credits");
        return new SourceFilm(NAME, id.toString(), imdb, title, SourceJson.year(SourceJson.text(movie, "release_date")),
                rating, runtime == null || runtime <= 0 ? null : runtime, List.copyOf(genres),
                overview != null ? overview : SourceJson.text(movie, "overview"),
                image(POSTER_SIZE, SourceJson.text(movie, "poster_path")),
                image(BACKDROP_SIZE, SourceJson.text(movie, "backdrop_path")),
                credits == null ? null : crew(credits, "Director", 3).stream().reduce((a, b) -> a + ", " + b).orElse(null),
                credits == null ? List.of() : crew(credits, "Producer", MAX_PRODUCERS),
                credits == null ? List.of() : cast(credits), SourceJson.decimal(movie, "popularity"), List.of(),
                englishOriginal(movie));
    }

    /** The original title of a film made in English: its English title, whatever language the answer is in. */
    private static String englishOriginal(JsonNode movie) {
        String original = SourceJson.text(movie, "original_title");
        return "en".equals(SourceJson.text(movie, "original_language")) && original != null && original.length() <= 300
                ? original : null;
    }

    /** Genres are kept in English whatever the page's language, so the catalog can filter on them. */
    private static void addGenre(Set<String> genres, Map<Integer, String> english, int id, String localName) {
        String name = english.get(id);
        if (name == null) {
            name = localName;
        }
        if (name != null) {
            genres.add(name);
        }
    }

    private static List<String> crew(JsonNode credits, String job, int max) {
        List<String> names = new ArrayList<>();
        JsonNode crew = credits.get("crew");
        if (crew != null && crew.isArray()) {
            for (JsonNode person : crew) {
                String name = SourceJson.text(person, "name");
                if (job.equals(SourceJson.text(person, "job")) && name != null && !names.contains(name) && names.size() < max) {
                    names.add(name);
                }
            }
        }
        return names;
    }

    private static List<String> cast(JsonNode credits) {
        List<JsonNode> people = new ArrayList<>();
        JsonNode cast = credits.get("cast");
        if (cast != null && cast.isArray()) {
            cast.forEach(people::add);
        }
        return people.stream()
                .sorted(Comparator.comparingInt(p -> p.path("order").asInt(Integer.MAX_VALUE)))
                .map(p -> SourceJson.text(p, "name"))
                .filter(name -> name != null)
                .distinct()
                .limit(MAX_CAST)
                .toList();
    }

    private String image(String size, String path) {
        return path == null || !path.startsWith("/") ? null : imageBaseUrl + "/" + size + path;
    }

    /** English genre names by id, from TMDB's own list (cached with every other answer). */
    private Map<Integer, String> genreNames() throws SourceUnavailableException {
        JsonNode genres = call(SourceUri.of(baseUrl).path("genre/movie/list").param("language", "en"), answer -> {
            checkSuccess(answer);
            if (!answer.path("genres").isArray()) {
                throw new SourceUnavailableException(NAME, "genre list answered without genres");
            }
        }).get("genres");
        Map<Integer, String> names = new HashMap<>();
        for (JsonNode genre : genres) {
            String name = SourceJson.text(genre, "name");
            if (name != null && genre.path("id").isIntegralNumber()) {
                names.put(genre.get("id").asInt(), name);
            }
        }
        return names;
    }

    private Map<String, Integer> genreIds() throws SourceUnavailableException {
        Map<String, Integer> ids = new HashMap<>();
        genreNames().forEach((id, name) -> ids.put(name.toLowerCase(Locale.ROOT), id));
        return ids;
    }

    private JsonNode call(SourceUri uri, SourceHttp.AnswerCheck<JsonNode> check) throws SourceUnavailableException {
        authorize(uri);
        return http.getJson(NAME, uri.build(), headers(), check);
    }

    private void authorize(SourceUri uri) {
        if (!bearer) {
            uri.param("api_key", apiKey);
        }
    }

    private Map<String, String> headers() {
        return bearer ? Map.of("Authorization", "Bearer " + apiKey, "Accept", "application/json")
                : Map.of("Accept", "application/json");
    }

    private static void checkList(JsonNode answer) throws SourceUnavailableException {
        checkSuccess(answer);
        if (!answer.path("results").isArray()) {
            throw new SourceUnavailableException(NAME, "list answered without results");
        }
    }

    private static void checkSuccess(JsonNode answer) throws SourceUnavailableException {
        if (answer.path("success").isBoolean() && !answer.get("success").asBoolean()) {
            throw new SourceUnavailableException(NAME, "answered status_code " + SourceJson.text(answer, "status_code")
                    + ": " + SourceJson.text(answer, "status_message"));
        }
    }

    /** The caller's language as TMDB takes it ("fr-FR", "de"), English when none is known. */
    static String language() {
        Locale locale = LocaleContextHolder.getLocale();
        String language = locale == null ? "" : locale.getLanguage();
        if (language.isEmpty() || language.equals("und")) {
            return "en-US";
        }
        return locale.getCountry().isEmpty() ? language : language + "-" + locale.getCountry();
    }
}
