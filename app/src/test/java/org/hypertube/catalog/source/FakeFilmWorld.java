package org.hypertube.catalog.source;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.QueryParameter;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import tools.jackson.databind.json.JsonMapper;

/**
 * The fake world of films behind {@link ProviderFakes}: a WireMock transformer that answers each
 * source's requests by filtering {@link #FILMS}, in that source's documented shapes and with its
 * quirks (YTS drops {@code movies} when empty; OMDb says "Movie not found!" with HTTP 200; TMDB
 * lists carry no IMDb id; Torznab errors come as {@code <error>} with HTTP 200).
 */
public final class FakeFilmWorld implements ResponseDefinitionTransformerV2 {

    static final String NAME = "hypertube-film-world";

    /**
     * One film as the world knows it. {@code archiveId} null: not at the Archive; {@code archiveImdb}
     * false: at the Archive without its IMDb id (merged by title and year); {@code atYts} false: not at
     * YTS; {@code torznab}: the indexer has torrents of it.
     */
    public record FakeFilm(String imdbId, String title, int year, double rating, int runtime, List<String> genres,
                           String director, List<String> cast, String summary, int ytsId, int tmdbId, String archiveId,
                           boolean archiveImdb, boolean atYts, String frenchTitle, long downloads, boolean torznab) {

        /** "Night of the Living Dead (1968)". */
        public String titleLong() {
            return title + " (" + year + ")";
        }

        /** The info-hash of this film's torrent of that quality at YTS (lower case). */
        public String ytsHash(String quality) {
            return sha1(imdbId + "/" + quality);
        }

        /** The info-hash of the Archive item's torrent (lower case). */
        public String archiveHash() {
            return archiveId == null ? null : sha1("archive/" + archiveId);
        }
    }

    private static FakeFilm film(String imdb, String title, int year, double rating, int runtime, String genres,
                                 String director, String cast, int tmdbId, String archiveId, String frenchTitle,
                                 long downloads, String summary) {
        return new FakeFilm(imdb, title, year, rating, runtime, List.of(genres.split(", ")), director,
                List.of(cast.split(", ")), summary, 3000 + Integer.parseInt(imdb.substring(2)) % 10000, tmdbId, archiveId,
                true, true, frenchTitle, downloads, false);
    }

    /** 25 films, most popular first. */
    public static final List<FakeFilm> FILMS = List.of(
            torznab(film("tt0063350", "Night of the Living Dead", 1968, 7.8, 96, "Horror, Thriller", "George A. Romero",
                    "Duane Jones, Judith O'Dea, Karl Hardman, Marilyn Eastman", 10331, "night_of_the_living_dead",
                    "La Nuit des morts-vivants", 3_894_112,
                    "A ragtag group barricade themselves in an old Pennsylvania farmhouse to remain safe from flesh-eating ghouls.")),
            torznab(film("tt0013442", "Nosferatu", 1922, 7.8, 94, "Horror, Fantasy", "F.W. Murnau",
                    "Max Schreck, Gustav von Wangenheim, Greta Schröder", 653, "nosferatu_1922",
                    "Nosferatu le vampire", 2_511_020,
                    "Vampire Count Orlok expresses interest in a new residence and real estate agent Hutter's wife.")),
            film("tt0017925", "The General", 1926, 8.1, 78, "Action, Adventure, Comedy", "Clyde Bruckman, Buster Keaton",
                    "Buster Keaton, Marion Mack, Glen Cavender", 961, "the_general_1926",
                    "Le Mécano de la « General »", 1_902_331,
                    "After being rejected by the Confederate military, an engineer must single-handedly rescue his locomotive."),
            film("tt0032599", "His Girl Friday", 1940, 7.8, 92, "Comedy, Romance", "Howard Hawks",
                    "Cary Grant, Rosalind Russell, Ralph Bellamy", 3085, "his_girl_friday",
                    "La Dame du vendredi", 1_700_450,
                    "A newspaper editor uses every trick in the book to keep his ace reporter ex-wife from remarrying."),
            film("tt0017136", "Metropolis", 1927, 8.3, 153, "Drama, Science Fiction", "Fritz Lang",
                    "Brigitte Helm, Alfred Abel, Gustav Fröhlich", 19, null, null, 1_650_000,
                    "In a futuristic city sharply divided between the working class and the city planners, the son of the city's mastermind falls in love."),
            film("tt0010323", "The Cabinet of Dr. Caligari", 1920, 8.0, 76, "Horror, Mystery", "Robert Wiene",
                    "Werner Krauss, Conrad Veidt, Friedrich Feher", 234, "the_cabinet_of_dr_caligari", null, 1_420_000,
                    "Hypnotist Dr. Caligari uses a somnambulist, Cesare, to commit murders."),
            film("tt0015324", "Sherlock Jr.", 1924, 8.2, 45, "Comedy, Action", "Buster Keaton",
                    "Buster Keaton, Kathryn McGuire, Joe Keaton", 992, "sherlock_jr_1924", null, 1_310_000,
                    "A film projectionist longs to be a detective, and puts his meagre skills to work when he is framed."),
            film("tt0052077", "Plan 9 from Outer Space", 1957, 3.9, 79, "Horror, Science Fiction", "Edward D. Wood Jr.",
                    "Gregory Walcott, Mona McKinnon, Bela Lugosi", 10513, "plan_9_from_outer_space", null, 1_250_000,
                    "Aliens resurrect dead humans as zombies and vampires to stop humanity from creating the Solaranite bomb."),
            film("tt0056923", "Charade", 1963, 7.8, 113, "Comedy, Mystery, Romance, Thriller", "Stanley Donen",
                    "Cary Grant, Audrey Hepburn, Walter Matthau", 4808, "charade_1963", null, 1_200_000,
                    "Romance and suspense ensue in Paris as a woman is pursued by several men who want a fortune her murdered husband had stolen."),
            film("tt0054033", "The Little Shop of Horrors", 1960, 6.2, 72, "Comedy, Horror", "Roger Corman",
                    "Jonathan Haze, Jackie Joseph, Mel Welles", 900_010, "the_little_shop_of_horrors", null, 1_100_000,
                    "A clumsy young man nurtures a plant and discovers that it is carnivorous, forcing him to kill to feed it."),
            film("tt0037638", "Detour", 1945, 7.2, 68, "Crime, Thriller", "Edgar G. Ulmer",
                    "Tom Neal, Ann Savage, Claudia Drake", 900_011, "detour_1945", null, 990_000,
                    "A hitchhiker's fate takes a turn for the worse when he assumes a dead man's identity."),
            film("tt0016220", "The Phantom of the Opera", 1925, 7.5, 93, "Horror", "Rupert Julian",
                    "Lon Chaney, Mary Philbin, Norman Kerry", 900_012, "the_phantom_of_the_opera_1925", null, 950_000,
                    "A mad, disfigured composer seeks love with a lovely young opera singer."),
            film("tt0000417", "A Trip to the Moon", 1902, 8.1, 13, "Adventure, Science Fiction, Fantasy", "Georges Méliès",
                    "Georges Méliès, Bleuette Bernon, François Lallement", 900_013, "a_trip_to_the_moon", "Le Voyage dans la Lune",
                    900_000, "A group of astronomers go on an expedition to the Moon."),
            film("tt0012349", "The Kid", 1921, 8.2, 68, "Comedy, Drama, Family", "Charles Chaplin",
                    "Charles Chaplin, Edna Purviance, Jackie Coogan", 900_014, "the_kid_1921", null, 870_000,
                    "The Tramp cares for an abandoned child, but events put their relationship in jeopardy."),
            film("tt0055830", "Carnival of Souls", 1962, 7.0, 78, "Horror, Mystery", "Herk Harvey",
                    "Candace Hilligoss, Frances Feist, Sidney Berger", 900_015, "carnival_of_souls", null, 820_000,
                    "After a traumatic accident, a woman becomes drawn to a mysterious abandoned carnival."),
            film("tt0053925", "House on Haunted Hill", 1959, 6.8, 75, "Horror, Mystery", "William Castle",
                    "Vincent Price, Carol Ohmart, Richard Long", 900_016, "house_on_haunted_hill", null, 780_000,
                    "A millionaire offers ten thousand dollars to five people who agree to spend the night in a spooky house."),
            film("tt0056983", "Dementia 13", 1963, 5.8, 75, "Horror, Thriller", "Francis Ford Coppola",
                    "William Campbell, Luana Anders, Bart Patton", 900_017, "dementia_13", null, 700_000,
                    "A scheming widow arrives at her late husband's family castle, where axe murders follow."),
            film("tt0058700", "The Last Man on Earth", 1964, 6.8, 86, "Drama, Horror, Science Fiction", "Ubaldo Ragona, Sidney Salkow",
                    "Vincent Price, Franca Bettoia, Emma Danieli", 900_018, "the_last_man_on_earth_1964", null, 650_000,
                    "When a disease turns all of humanity into the living dead, the last man on Earth becomes a reluctant vampire hunter."),
            film("tt0033891", "Meet John Doe", 1941, 7.5, 122, "Comedy, Drama, Romance", "Frank Capra",
                    "Gary Cooper, Barbara Stanwyck, Edward Arnold", 900_019, "meet_john_doe", null, 600_000,
                    "A reporter's fake letter from a 'John Doe' becomes a national movement."),
            film("tt0045877", "The Hitch-Hiker", 1953, 7.0, 71, "Crime, Drama, Thriller", "Ida Lupino",
                    "Edmond O'Brien, Frank Lovejoy, William Talman", 900_020, "the_hitch_hiker", null, 560_000,
                    "Two men on a fishing trip are held hostage by a psychopathic hitchhiker."),
            film("tt0038057", "Scarlet Street", 1945, 7.7, 102, "Crime, Drama, Thriller", "Fritz Lang",
                    "Edward G. Robinson, Joan Bennett, Dan Duryea", 900_021, "scarlet_street", null, 520_000,
                    "A cashier and amateur painter is drawn into a web of deceit by a con woman."),
            film("tt0042369", "D.O.A.", 1949, 7.2, 83, "Crime, Drama, Thriller", "Rudolph Maté",
                    "Edmond O'Brien, Pamela Britton, Luther Adler", 900_022, "d_o_a_1949", null, 480_000,
                    "Frank Bigelow, told he has been poisoned and has only days to live, sets out to find his murderer."),
            film("tt0038991", "The Stranger", 1946, 7.3, 95, "Crime, Thriller", "Orson Welles",
                    "Edward G. Robinson, Loretta Young, Orson Welles", 900_023, "the_stranger_1946", null, 440_000,
                    "An investigator from the War Crimes Commission travels to Connecticut to find an escaped Nazi."),
            film("tt0019421", "Steamboat Bill, Jr.", 1928, 7.9, 70, "Action, Comedy, Romance", "Charles Reisner, Buster Keaton",
                    "Buster Keaton, Tom McGuire, Ernest Torrence", 900_024, null, null, 400_000,
                    "The effete son of a cantankerous riverboat captain comes to join his father's crew."),
            new FakeFilm("tt0052646", "The Brain That Wouldn't Die", 1962, 4.5, 82, List.of("Horror", "Science Fiction"),
                    "Joseph Green", List.of("Jason Evers", "Virginia Leith", "Leslie Daniel"),
                    "A doctor keeps his fiancée's severed head alive while he searches for a new body.", 0, 900_025,
                    "the_brain_that_wouldnt_die", false, false, null, 380_000, false));

    private static final List<String> QUALITIES = List.of("720p", "1080p");
    private static final Map<String, Integer> TMDB_GENRES = new LinkedHashMap<>();

    static {
        int[] ids = {28, 12, 16, 35, 80, 99, 18, 10751, 14, 36, 27, 10402, 9648, 10749, 878, 10770, 53, 10752, 37};
        for (int i = 0; i < ids.length; i++) {
            TMDB_GENRES.put(GenreNames.TMDB.get(i), ids[i]);
        }
    }

    private static FakeFilm torznab(FakeFilm f) {
        return new FakeFilm(f.imdbId(), f.title(), f.year(), f.rating(), f.runtime(), f.genres(), f.director(), f.cast(),
                f.summary(), f.ytsId(), f.tmdbId(), f.archiveId(), f.archiveImdb(), f.atYts(), f.frenchTitle(),
                f.downloads(), true);
    }

    private final JsonMapper json = JsonMapper.builder().build();

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public boolean applyGlobally() {
        return false;
    }

    @Override
    public ResponseDefinition transform(ServeEvent serveEvent) {
        Request request = serveEvent.getRequest();
        String source = serveEvent.getResponseDefinition().getTransformerParameters().getString("source", "");
        URI url = URI.create(request.getAbsoluteUrl());
        String base = url.getScheme() + "://" + url.getAuthority();
        Query q = new Query(request);
        String path = url.getRawPath();
        Answer answer = switch (source) {
            case "yts" -> yts(path, q, base);
            case "archive" -> archive(path, q, base);
            case "tmdb" -> tmdb(path, q, base, request);
            case "omdb" -> omdb(q, base);
            case "torznab" -> torznab(q);
            default -> new Answer(404, "text/plain", "no such fake source: " + source);
        };
        return ResponseDefinitionBuilder.like(serveEvent.getResponseDefinition()).but()
                .withStatus(answer.status())
                .withHeader("Content-Type", answer.contentType())
                .withBody(answer.body())
                .build();
    }

    private record Answer(int status, String contentType, String body) {
    }

    private Answer ok(Object body) {
        return new Answer(200, "application/json", json.writeValueAsString(body));
    }

    /** Query parameters, decoded. */
    private record Query(Request request) {
        String get(String name) {
            QueryParameter p = request.queryParameter(name);
            return p != null && p.isPresent() ? p.firstValue() : null;
        }

        int integer(String name, int fallback) {
            String value = get(name);
            try {
                return value == null ? fallback : Integer.parseInt(value);
            } catch (NumberFormatException e) {
                return fallback;
            }
        }

        Double decimal(String name) {
            String value = get(name);
            try {
                return value == null ? null : Double.valueOf(value);
            } catch (NumberFormatException e) {
                return null;
            }
        }
    }

    // ---- YTS

    private Answer yts(String path, Query q, String base) {
        if (path.endsWith("/list_movies.json")) {
            Stream<FakeFilm> films = FILMS.stream().filter(FakeFilm::atYts);
            String term = q.get("query_term");
            if (term != null && !term.isBlank()) {
                if (term.strip().length() < 2) {
                    return ok(Map.of("status", "error", "status_message", "Query term is too short"));
                }
                films = films.filter(f -> f.imdbId().equalsIgnoreCase(term.strip()) || titleMatches(f, term));
            }
            String genre = q.get("genre");
            if (genre != null && !genre.equalsIgnoreCase("all")) {
                films = films.filter(f -> f.genres().stream().anyMatch(g -> GenreNames.toImdb(g).equalsIgnoreCase(genre)));
            }
            int minimum = q.integer("minimum_rating", 0);
            films = films.filter(f -> f.rating() >= minimum);
            Comparator<FakeFilm> order = switch (String.valueOf(q.get("sort_by"))) {
                case "title" -> Comparator.comparing(FakeFilm::title);
                case "year" -> Comparator.comparingInt(FakeFilm::year);
                case "rating" -> Comparator.comparingDouble(FakeFilm::rating);
                default -> Comparator.comparingLong(FakeFilm::downloads);
            };
            if (!"asc".equals(q.get("order_by"))) {
                order = order.reversed();
            }
            List<FakeFilm> all = films.sorted(order).toList();
            int limit = Math.max(1, Math.min(50, q.integer("limit", 20)));
            int page = Math.max(1, q.integer("page", 1));
            List<FakeFilm> slice = page(all, page, limit);
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("movie_count", all.size());
            data.put("limit", limit);
            data.put("page_number", page);
            if (!slice.isEmpty()) { // YTS leaves the key out when there is nothing
                data.put("movies", slice.stream().map(f -> ytsMovie(f, base, false)).toList());
            }
            return ok(ytsEnvelope(data));
        }
        if (path.endsWith("/movie_details.json")) {
            String imdb = q.get("imdb_id");
            int id = q.integer("movie_id", -1);
            Optional<FakeFilm> film = FILMS.stream().filter(FakeFilm::atYts)
                    .filter(f -> f.imdbId().equals(imdb) || f.ytsId() == id).findFirst();
            Map<String, Object> movie = film.map(f -> ytsMovie(f, base, "true".equals(q.get("with_cast"))))
                    .orElseGet(() -> {
                        Map<String, Object> unknown = new LinkedHashMap<>();
                        unknown.put("id", 0);
                        unknown.put("title", null);
                        unknown.put("year", 0);
                        return unknown;
                    });
            return ok(ytsEnvelope(Map.of("movie", movie)));
        }
        return ok(Map.of("status", "error", "status_message", "Unknown method"));
    }

    private static Map<String, Object> ytsEnvelope(Map<String, Object> data) {
        Map<String, Object> envelope = new LinkedHashMap<>();
        envelope.put("status", "ok");
        envelope.put("status_message", "Query was successful");
        envelope.put("data", data);
        envelope.put("@meta", Map.of("server_time", 1_749_226_614, "server_timezone", "CET", "api_version", 2));
        return envelope;
    }

    private static Map<String, Object> ytsMovie(FakeFilm f, String base, boolean withCast) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", f.ytsId());
        m.put("url", base + "/yts/movies/" + slug(f));
        m.put("imdb_code", f.imdbId());
        m.put("title", f.title());
        m.put("title_english", f.title());
        m.put("title_long", f.titleLong());
        m.put("slug", slug(f));
        m.put("year", f.year());
        m.put("rating", f.rating());
        m.put("runtime", f.runtime());
        m.put("genres", f.genres().stream().map(GenreNames::toImdb).toList());
        m.put("summary", f.summary());
        m.put("description_full", f.summary());
        m.put("synopsis", "");
        m.put("language", "en");
        m.put("background_image_original", base + "/covers/yts/" + f.imdbId() + "-background.png");
        m.put("large_cover_image", base + "/covers/yts/" + f.imdbId() + ".png");
        m.put("state", "ok");
        if (withCast) {
            m.put("download_count", f.downloads());
            m.put("cast", f.cast().stream().map(name -> Map.of("name", name, "character_name", "", "imdb_code", "0000001")).toList());
        }
        List<Map<String, Object>> torrents = new ArrayList<>();
        for (String quality : QUALITIES) {
            Map<String, Object> t = new LinkedHashMap<>();
            String hash = f.ytsHash(quality).toUpperCase(Locale.ROOT);
            t.put("url", base + "/yts/torrent/download/" + hash);
            t.put("hash", hash);
            t.put("quality", quality);
            t.put("type", "bluray");
            t.put("seeds", seeds(f, quality));
            t.put("peers", seeds(f, quality) / 10);
            t.put("size_bytes", quality.equals("720p") ? 734_003_200L : 1_610_612_736L);
            t.put("size", quality.equals("720p") ? "700 MB" : "1.5 GB");
            torrents.add(t);
        }
        m.put("torrents", torrents);
        return m;
    }

    /** Seeders at YTS: the more downloaded, the more seeded; 1080p a little more than 720p. */
    public static int seeds(FakeFilm f, String quality) {
        return (int) (f.downloads() / 50_000) + (quality.equals("1080p") ? 7 : 3);
    }

    // ---- Internet Archive

    private static final Pattern TITLE_WORDS = Pattern.compile("title:\\(([^)]*)\\)");
    private static final Pattern SUBJECT_WORDS = Pattern.compile("subject:\\(([^)]*)\\)");
    private static final Pattern YEARS = Pattern.compile("year:\\[(\\*|\\d+) TO (\\*|\\d+)]");
    private static final Pattern IMDB = Pattern.compile("urn:imdb:(tt\\d+)");

    private Answer archive(String path, Query q, String base) {
        if (path.endsWith("/advancedsearch.php")) {
            String query = String.valueOf(q.get("q"));
            Predicate<FakeFilm> match = f -> f.archiveId() != null;
            Matcher m = TITLE_WORDS.matcher(query);
            if (m.find()) {
                List<String> words = List.of(m.group(1).split(" AND "));
                match = match.and(f -> words.stream().allMatch(w -> words(f.title()).contains(w)));
            }
            m = SUBJECT_WORDS.matcher(query);
            if (m.find()) {
                String genre = m.group(1).replace(" AND ", " ");
                match = match.and(f -> f.genres().stream().anyMatch(g -> g.equalsIgnoreCase(genre)));
            }
            m = YEARS.matcher(query);
            if (m.find()) {
                int from = m.group(1).equals("*") ? 0 : Integer.parseInt(m.group(1));
                int to = m.group(2).equals("*") ? 9999 : Integer.parseInt(m.group(2));
                match = match.and(f -> f.year() >= from && f.year() <= to);
            }
            m = IMDB.matcher(query);
            if (m.find()) {
                String imdb = m.group(1);
                match = match.and(f -> f.archiveImdb() && f.imdbId().equals(imdb));
            }
            Comparator<FakeFilm> order = switch (String.valueOf(q.get("sort[]"))) {
                case "titleSorter asc" -> Comparator.comparing(f -> f.title().toLowerCase(Locale.ROOT));
                case "year desc" -> Comparator.comparingInt(FakeFilm::year).reversed();
                default -> Comparator.comparingLong(FakeFilm::downloads).reversed();
            };
            List<FakeFilm> all = FILMS.stream().filter(match).sorted(order).toList();
            int rows = Math.max(1, q.integer("rows", 50));
            int page = Math.max(1, q.integer("page", 1));
            List<Map<String, Object>> docs = page(all, page, rows).stream().map(f -> {
                Map<String, Object> doc = new LinkedHashMap<>();
                doc.put("identifier", f.archiveId());
                doc.put("title", f.title());
                doc.put("year", String.valueOf(f.year()));
                doc.put("description", "<p>" + f.summary().replace("&", "&amp;").replace("'", "&#39;") + "</p>");
                doc.put("downloads", f.downloads() / 3);
                doc.put("subject", f.genres());
                if (f.archiveImdb()) {
                    doc.put("external-identifier", List.of("urn:imdb:" + f.imdbId()));
                }
                return (Map<String, Object>) doc;
            }).toList();
            return ok(Map.of("responseHeader", Map.of("status", 0, "QTime", 12),
                    "response", Map.of("numFound", all.size(), "start", (page - 1) * rows, "docs", docs)));
        }
        if (path.contains("/metadata/")) {
            String id = path.substring(path.lastIndexOf('/') + 1);
            Optional<FakeFilm> film = FILMS.stream().filter(f -> id.equals(f.archiveId())).findFirst();
            if (film.isEmpty()) {
                return ok(Map.of());
            }
            FakeFilm f = film.get();
            Map<String, Object> metadata = new LinkedHashMap<>();
            metadata.put("identifier", f.archiveId());
            metadata.put("mediatype", "movies");
            metadata.put("collection", List.of("feature_films", "moviesandfilms"));
            metadata.put("title", f.title());
            metadata.put("year", String.valueOf(f.year()));
            metadata.put("runtime", String.format("%d:%02d:00", f.runtime() / 60, f.runtime() % 60));
            metadata.put("director", f.director());
            metadata.put("description", "<p>" + f.summary() + "</p>");
            metadata.put("subject", String.join("; ", f.genres()));
            if (f.archiveImdb()) {
                metadata.put("external-identifier", "urn:imdb:" + f.imdbId());
            }
            metadata.put("licenseurl", "http://creativecommons.org/publicdomain/mark/1.0/");
            List<Map<String, Object>> files = List.of(
                    Map.of("name", f.archiveId() + ".mp4", "format", "h.264", "source", "derivative",
                            "size", "412000000", "length", String.valueOf(f.runtime() * 60), "height", "480", "width", "640"),
                    Map.of("name", f.archiveId() + "_archive.torrent", "format", "Archive BitTorrent", "source", "metadata",
                            "btih", f.archiveHash(), "size", "20480"));
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("created", 1_568_580_606);
            item.put("files", files);
            item.put("files_count", files.size());
            item.put("item_size", 412_020_480L);
            item.put("metadata", metadata);
            return ok(item);
        }
        return new Answer(404, "text/html", "<html>Not found</html>");
    }

    // ---- TMDB

    private Answer tmdb(String path, Query q, String base, Request request) {
        String authorization = request.getHeader("Authorization");
        if (!ProviderFakes.TMDB_KEY.equals(q.get("api_key")) && !("Bearer " + ProviderFakes.TMDB_KEY).equals(authorization)) {
            return new Answer(401, "application/json", "{\"status_code\":7,\"status_message\":"
                    + "\"Invalid API key: You must be granted a valid key.\",\"success\":false}");
        }
        String rest = path.substring(path.indexOf("/3/") + 3);
        boolean french = String.valueOf(q.get("language")).startsWith("fr");
        String images = base + "/covers/tmdb";
        if (rest.equals("genre/movie/list")) {
            return ok(Map.of("genres", TMDB_GENRES.entrySet().stream().map(e -> Map.of("id", e.getValue(), "name", e.getKey())).toList()));
        }
        if (rest.equals("search/movie") || rest.equals("discover/movie") || rest.equals("movie/popular")) {
            Stream<FakeFilm> films = FILMS.stream();
            String text = q.get("query");
            if (rest.equals("search/movie")) {
                if (text == null || text.isBlank()) {
                    return new Answer(422, "application/json", "{\"status_code\":5,\"status_message\":\"Invalid parameters\",\"success\":false}");
                }
                films = films.filter(f -> titleMatches(f, text) || (french && f.frenchTitle() != null && contains(f.frenchTitle(), text)));
            }
            String year = q.get("primary_release_year");
            if (year != null) {
                films = films.filter(f -> String.valueOf(f.year()).equals(year));
            }
            String genres = q.get("with_genres");
            if (genres != null) {
                films = films.filter(f -> f.genres().stream().map(TMDB_GENRES::get).anyMatch(id -> String.valueOf(id).equals(genres)));
            }
            String from = q.get("primary_release_date.gte");
            String to = q.get("primary_release_date.lte");
            if (from != null) {
                films = films.filter(f -> f.year() >= Integer.parseInt(from.substring(0, 4)));
            }
            if (to != null) {
                films = films.filter(f -> f.year() <= Integer.parseInt(to.substring(0, 4)));
            }
            Double min = q.decimal("vote_average.gte");
            Double max = q.decimal("vote_average.lte");
            if (min != null) {
                films = films.filter(f -> f.rating() >= min);
            }
            if (max != null) {
                films = films.filter(f -> f.rating() <= max);
            }
            Comparator<FakeFilm> order = switch (String.valueOf(q.get("sort_by"))) {
                case "title.asc", "original_title.asc" -> Comparator.comparing(FakeFilm::title);
                case "primary_release_date.desc" -> Comparator.comparingInt(FakeFilm::year).reversed();
                case "primary_release_date.asc" -> Comparator.comparingInt(FakeFilm::year);
                case "vote_average.desc" -> Comparator.comparingDouble(FakeFilm::rating).reversed();
                default -> Comparator.comparingLong(FakeFilm::downloads).reversed();
            };
            List<FakeFilm> all = films.sorted(order).toList();
            int page = Math.max(1, q.integer("page", 1));
            List<Map<String, Object>> results = page(all, page, 20).stream().map(f -> tmdbListItem(f, french)).toList();
            return ok(Map.of("page", page, "results", results, "total_pages", Math.max(1, (all.size() + 19) / 20),
                    "total_results", all.size()));
        }
        if (rest.startsWith("find/")) {
            String imdb = rest.substring("find/".length());
            List<Map<String, Object>> movies = FILMS.stream().filter(f -> f.imdbId().equals(imdb))
                    .map(f -> tmdbListItem(f, french)).toList();
            return ok(Map.of("movie_results", movies, "person_results", List.of(), "tv_results", List.of(),
                    "tv_episode_results", List.of(), "tv_season_results", List.of()));
        }
        if (rest.startsWith("movie/")) {
            String id = rest.substring("movie/".length());
            Optional<FakeFilm> film = FILMS.stream().filter(f -> String.valueOf(f.tmdbId()).equals(id)).findFirst();
            if (film.isEmpty()) {
                return new Answer(404, "application/json", "{\"status_code\":34,\"status_message\":"
                        + "\"The resource you requested could not be found.\",\"success\":false}");
            }
            FakeFilm f = film.get();
            Map<String, Object> movie = tmdbListItem(f, french);
            movie.remove("genre_ids");
            movie.put("genres", f.genres().stream().map(g -> Map.of("id", TMDB_GENRES.get(g), "name", g)).toList());
            movie.put("imdb_id", f.imdbId());
            movie.put("runtime", f.runtime());
            movie.put("status", "Released");
            List<Map<String, Object>> cast = new ArrayList<>();
            for (int i = 0; i < f.cast().size(); i++) {
                cast.add(Map.of("id", 1000 + i, "name", f.cast().get(i), "character", "", "order", i, "known_for_department", "Acting"));
            }
            List<Map<String, Object>> crew = new ArrayList<>();
            for (String director : f.director().split(", ")) {
                crew.add(Map.of("id", 2000 + crew.size(), "name", director, "job", "Director", "department", "Directing"));
            }
            movie.put("credits", Map.of("cast", cast, "crew", crew));
            movie.put("external_ids", Map.of("imdb_id", f.imdbId()));
            return ok(movie);
        }
        return new Answer(404, "application/json", "{\"status_code\":34,\"status_message\":"
                + "\"The resource you requested could not be found.\",\"success\":false}");
    }

    private static Map<String, Object> tmdbListItem(FakeFilm f, boolean french) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("adult", false);
        m.put("backdrop_path", "/" + f.imdbId() + "-backdrop.png");
        m.put("genre_ids", f.genres().stream().map(TMDB_GENRES::get).toList());
        m.put("id", f.tmdbId());
        m.put("original_language", "en");
        m.put("original_title", f.title());
        // A film without a French overview answers "" in French, as TMDB does.
        m.put("overview", french ? (f.frenchTitle() != null ? "[fr] " + f.summary() : "") : f.summary());
        m.put("popularity", f.downloads() / 100_000.0);
        m.put("poster_path", "/" + f.imdbId() + ".png");
        m.put("release_date", f.year() + "-01-01");
        m.put("title", french && f.frenchTitle() != null ? f.frenchTitle() : f.title());
        m.put("video", false);
        m.put("vote_average", f.rating());
        m.put("vote_count", 1000);
        return m;
    }

    // ---- OMDb

    private Answer omdb(Query q, String base) {
        if (!ProviderFakes.OMDB_KEY.equals(q.get("apikey"))) {
            return new Answer(401, "application/json", "{\"Response\":\"False\",\"Error\":\"Invalid API key!\"}");
        }
        String imdb = q.get("i");
        if (imdb != null) {
            Optional<FakeFilm> film = FILMS.stream().filter(f -> f.imdbId().equals(imdb)).findFirst();
            if (film.isEmpty()) {
                return ok(Map.of("Response", "False", "Error", "Incorrect IMDb ID."));
            }
            FakeFilm f = film.get();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("Title", f.title());
            m.put("Year", String.valueOf(f.year()));
            m.put("Rated", "N/A");
            m.put("Runtime", f.runtime() + " min");
            m.put("Genre", String.join(", ", f.genres().stream().map(GenreNames::toImdb).toList()));
            m.put("Director", f.director());
            m.put("Writer", "N/A");
            m.put("Actors", String.join(", ", f.cast()));
            m.put("Plot", f.summary());
            m.put("Poster", base + "/covers/omdb/" + f.imdbId() + ".png");
            m.put("Ratings", List.of(Map.of("Source", "Internet Movie Database", "Value", f.rating() + "/10")));
            m.put("Metascore", "N/A");
            m.put("imdbRating", String.valueOf(f.rating()));
            m.put("imdbVotes", String.format(Locale.US, "%,d", f.downloads() / 100));
            m.put("imdbID", f.imdbId());
            m.put("Type", "movie");
            m.put("Response", "True");
            return ok(m);
        }
        String text = q.get("s");
        if (text == null) {
            return ok(Map.of("Response", "False", "Error", "Incorrect IMDb ID."));
        }
        if (text.strip().length() < 2) {
            return ok(Map.of("Response", "False", "Error", "Too many results."));
        }
        String year = q.get("y");
        List<FakeFilm> all = FILMS.stream().filter(f -> titleMatches(f, text))
                .filter(f -> year == null || String.valueOf(f.year()).equals(year)).toList();
        List<FakeFilm> slice = page(all, Math.max(1, q.integer("page", 1)), 10);
        if (slice.isEmpty()) {
            return ok(Map.of("Response", "False", "Error", "Movie not found!"));
        }
        return ok(Map.of("Search", slice.stream().map(f -> Map.of("Title", f.title(), "Year", String.valueOf(f.year()),
                        "imdbID", f.imdbId(), "Type", "movie", "Poster", base + "/covers/omdb/" + f.imdbId() + ".png")).toList(),
                "totalResults", String.valueOf(all.size()), "Response", "True"));
    }

    // ---- Torznab

    private Answer torznab(Query q) {
        if (!ProviderFakes.TORZNAB_KEY.equals(q.get("apikey"))) {
            return new Answer(200, "application/xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                    + "<error code=\"100\" description=\"Invalid API Key\" />");
        }
        String function = String.valueOf(q.get("t"));
        if (function.equals("caps")) {
            return new Answer(200, "application/xml", """
                    <?xml version="1.0" encoding="UTF-8"?>
                    <caps><server title="Fake Jackett" /><limits default="100" max="100" />
                     <searching><search available="yes" supportedParams="q" />
                      <movie-search available="yes" supportedParams="q,imdbid" /></searching>
                     <categories><category id="2000" name="Movies" /></categories></caps>""");
        }
        if (!function.equals("movie")) {
            return new Answer(200, "application/xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                    + "<error code=\"202\" description=\"No such function (" + xml(function) + ")\" />");
        }
        String imdb = q.get("imdbid");
        StringBuilder items = new StringBuilder();
        FILMS.stream().filter(f -> f.torznab() && f.imdbId().equals(imdb)).forEach(f -> {
            for (String quality : List.of("1080p", "2160p")) {
                String hash = sha1("torznab/" + f.imdbId() + "/" + quality).toUpperCase(Locale.ROOT);
                String name = f.title() + " (" + f.year() + ") " + quality + " BluRay";
                items.append("""
                         <item>
                          <title>%s</title>
                          <guid>fake-%s-%s</guid>
                          <size>%d</size>
                          <category>2000</category>
                          <torznab:attr name="category" value="2000" />
                          <torznab:attr name="imdbid" value="%s" />
                          <torznab:attr name="seeders" value="%d" />
                          <torznab:attr name="peers" value="%d" />
                          <torznab:attr name="infohash" value="%s" />
                         </item>
                        """.formatted(xml(name), f.imdbId(), quality, quality.equals("2160p") ? 8_589_934_592L : 2_147_483_648L,
                        f.imdbId(), quality.equals("2160p") ? 4 : 25, quality.equals("2160p") ? 6 : 30, hash));
            }
        });
        return new Answer(200, "application/rss+xml", """
                <?xml version="1.0" encoding="UTF-8"?>
                <rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:torznab="http://torznab.com/schemas/2015/feed">
                <channel>
                 <title>Fake indexer</title>
                 <description>Torrents of the fake world</description>
                %s</channel>
                </rss>""".formatted(items));
    }

    /** The torznab info-hash of a film's torrent of that quality (lower case), as the fake indexer gives it. */
    public static String torznabHash(FakeFilm f, String quality) {
        return sha1("torznab/" + f.imdbId() + "/" + quality);
    }

    // ---- helpers

    private static <T> List<T> page(List<T> all, int page, int size) {
        int from = (page - 1) * size;
        return from >= all.size() ? List.of() : all.subList(from, Math.min(all.size(), from + size));
    }

    private static boolean titleMatches(FakeFilm f, String text) {
        return contains(f.title(), text);
    }

    /** Every word of the text is a word of the title, as the real searches roughly behave. */
    private static boolean contains(String title, String text) {
        List<String> titleWords = words(title);
        List<String> wanted = words(text);
        return !wanted.isEmpty() && titleWords.containsAll(wanted);
    }

    private static List<String> words(String text) {
        List<String> words = new ArrayList<>();
        Matcher m = Pattern.compile("[\\p{L}\\p{N}]+").matcher(text.toLowerCase(Locale.ROOT));
        while (m.find()) {
            words.add(m.group());
        }
        return words;
    }

    private static String slug(FakeFilm f) {
        return String.join("-", words(f.title())) + "-" + f.year();
    }

    private static String xml(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static String sha1(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
