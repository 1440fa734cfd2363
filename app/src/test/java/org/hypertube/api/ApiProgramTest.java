package org.hypertube.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Page;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.hypertube.catalog.source.FakeFilmWorld;
import org.hypertube.playback.Swarm;
import org.hypertube.playback.TestFilms;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The subject's table of routes, called as a program written from it would, with a member's key or the operator's. */
class ApiProgramTest extends ApiProgramTestBase {

    @Test
    void aTokenAskedForWithoutScopeGetsTheClientsScopesAndReads() throws Exception {
        Key key = memberKey(false);
        var issued = tokenResponse(key.clientId(), key.secret(), null);
        assertThat(issued.getTokens().getAccessToken().getScope().toStringList()).containsExactlyInAnyOrder("read", "write");
        String token = issued.getTokens().getAccessToken().getValue();
        for (String path : List.of("/api/users", "/api/movies", "/api/comments")) {
            assertThat(call("GET", path, token, null).statusCode()).as(path).isEqualTo(200);
        }
        // A narrower scope is still what is asked for.
        var narrow = tokenResponse(key.clientId(), key.secret(), "read");
        assertThat(narrow.getTokens().getAccessToken().getScope().toStringList()).containsExactly("read");
        assertProblem(call("PATCH", "/api/users/" + key.memberId(), narrow.getTokens().getAccessToken().getValue(), "{}"), 403);
        // The operator's client too.
        assertThat(call("GET", "/api/users", operatorToken(), null).statusCode()).isEqualTo(200);
    }

    @Test
    void aMembersKeyWritesWhatTheMemberMayAndNothingElse() throws Exception {
        Key mine = memberKey(false);
        Key theirs = memberKey(false);
        String token = token(mine);
        String otherToken = token(theirs);
        long film = libraryFilm("tt0063350");

        var posted = call("POST", "/movies/" + film + "/comments", token, "{\"comment\":\"Written by my program\"}");
        assertThat(posted.statusCode()).as(posted.body()).isEqualTo(201);
        long comment = json(posted).get("id").asLong();
        assertThat(json(posted).get("author").asString()).isEqualTo(mine.username());
        assertThat(call("PATCH", "/comments/" + comment, token, "{\"comment\":\"Edited by my program\"}").statusCode()).isEqualTo(200);

        assertProblem(call("PATCH", "/comments/" + comment, otherToken, "{\"comment\":\"mine now\"}"), 403);
        assertProblem(call("DELETE", "/comments/" + comment, otherToken, null), 403);
        assertThat(json(call("GET", "/comments/" + comment, otherToken, null)).get("content").asString())
                .isEqualTo("Edited by my program");

        // Its own profile: the e-mail is shown to it, and it may change it; another member's it may not.
        var me = json(call("GET", "/users/" + mine.memberId(), token, null));
        assertThat(me.get("email").asString()).isEqualTo(mine.username() + "@example.org");
        assertThat(me.get("firstName").asString()).isEqualTo("Ada");
        assertThat(json(call("GET", "/users/" + theirs.memberId(), token, null)).has("email")).isFalse();
        var renamed = call("PATCH", "/users/" + mine.memberId(), token, "{\"username\":\"" + mine.username() + "x\"}");
        assertThat(renamed.statusCode()).as(renamed.body()).isEqualTo(200);
        assertThat(json(renamed).get("username").asString()).isEqualTo(mine.username() + "x");
        assertProblem(call("PATCH", "/users/" + theirs.memberId(), token, "{\"username\":\"taken-over\"}"), 403);
        // Not an administrator: films are not its to add or remove.
        assertProblem(call("DELETE", "/movies/" + film, token, null), 403);
        assertThat(call("DELETE", "/comments/" + comment, token, null).statusCode()).isEqualTo(204);

        // Its member changes their password: the key's tokens issued before stop working, new ones work.
        var changed = call("PATCH", "/users/" + mine.memberId(), token, "{\"password\":\"violet-harbour-" + mine.memberId()
                + "-quay\",\"currentPassword\":\"" + mine.password() + "\"}");
        assertThat(changed.statusCode()).as(changed.body()).isEqualTo(200);
        assertProblem(call("GET", "/users/" + mine.memberId(), token, null), 401);
        assertThat(call("GET", "/users/" + mine.memberId(), token(mine), null).statusCode()).isEqualTo(200);
    }

    @Test
    void theOperatorsKeyReadsEverythingAndWritesNothing() throws Exception {
        Key member = memberKey(false);
        long film = libraryFilm("tt0063350");
        long comment = json(call("POST", "/api/comments", token(member),
                "{\"comment\":\"A member's comment\",\"movie_id\":" + film + "}")).get("id").asLong();
        String operator = operatorToken();
        assertThat(call("GET", "/api/users/" + member.memberId(), operator, null).statusCode()).isEqualTo(200);
        assertThat(json(call("GET", "/api/users/" + member.memberId(), operator, null)).has("email")).isFalse();
        assertThat(call("GET", "/api/comments/" + comment, operator, null).statusCode()).isEqualTo(200);
        assertThat(call("GET", "/api/movies/" + film, operator, null).statusCode()).isEqualTo(200);

        assertProblem(call("POST", "/api/comments", operator, "{\"comment\":\"hi\",\"movie_id\":" + film + "}"), 403);
        assertProblem(call("POST", "/api/movies/" + film + "/comments", operator, "{\"comment\":\"hi\"}"), 403);
        assertProblem(call("PATCH", "/api/comments/" + comment, operator, "{\"comment\":\"hi\"}"), 403);
        assertProblem(call("DELETE", "/api/comments/" + comment, operator, null), 403);
        assertProblem(call("PATCH", "/api/users/" + member.memberId(), operator, "{\"username\":\"operator\"}"), 403);
        assertProblem(call("POST", "/api/movies", operator, "{\"source\":\"imdb\",\"sourceId\":\"tt0063350\"}"), 403);
        assertProblem(call("DELETE", "/api/movies/" + film, operator, null), 403);
        assertThat(json(call("GET", "/api/comments/" + comment, operator, null)).get("content").asString())
                .isEqualTo("A member's comment");
    }

    @Test
    void theSubjectsPathsAnswerProgramsWithJsonAndBrowsersWithTheSite() throws Exception {
        Key key = memberKey(false);
        String token = token(key);
        long film = libraryFilm("tt0063350");
        long comment = json(call("POST", "/api/comments", token, "{\"comment\":\"Short paths\",\"movie_id\":" + film + "}"))
                .get("id").asLong();
        List<String> paths = List.of("/users", "/users/" + key.memberId(), "/movies", "/movies/" + film,
                "/movies/" + film + "/comments", "/comments", "/comments/" + comment);
        for (String path : paths) {
            // With a token (and no Accept at all, as curl sends */*): the same JSON as under /api.
            var short_ = call("GET", path, token, null, null);
            assertThat(short_.statusCode()).as(path).isEqualTo(200);
            assertThat(short_.headers().firstValue("Content-Type")).as(path).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
            var long_ = call("GET", "/api" + path, token, null);
            assertThat(ids(json(short_))).as(path).isEqualTo(ids(json(long_)));

            // Without a token: a program accepting JSON gets a 401 problem, a browser the site's sign-in.
            var program = call("GET", path, null, null, "application/json");
            assertProblem(program, 401);
            assertThat(program.headers().firstValue("WWW-Authenticate")).as(path).hasValueSatisfying(h -> assertThat(h).startsWith("Bearer"));
            var browserRequest = call("GET", path, null, null, "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8");
            assertThat(browserRequest.statusCode()).as(path).isEqualTo(302);
            assertThat(browserRequest.headers().firstValue("Location")).as(path).hasValueSatisfying(l -> assertThat(l).endsWith("/login"));
        }
        // Writes answer on the short paths too, and a signed-in browser still gets its pages there.
        assertProblem(call("POST", "/comments", null, "{\"comment\":\"x\",\"movie_id\":" + film + "}"), 401);
        assertThat(call("DELETE", "/comments/" + comment, token, null).statusCode()).isEqualTo(204);
        Page page = browser.open(1280, 800, "en-US");
        register(page, Person.fresh());
        var visit = page.navigate(url("/users/" + key.memberId()));
        assertThat(visit.status()).isEqualTo(200);
        assertThat(visit.headerValue("content-type")).startsWith("text/html");
        page.navigate(url("/movies/" + film));
        assertThat(page.url()).isEqualTo(url("/films/" + film));
        page.context().close();
        // Unknown routes under /api are problems too, and so is a request refused before any handler.
        assertProblem(call("GET", "/api/nothing/here", token, null), 404);
        assertProblem(call("GET", "/api/nothing/here", token, null, "text/html"), 404);
        assertProblem(call("GET", "/api/movies;x=y", token, null), 400);
    }

    @Test
    void aFilmsJsonHasEverythingItsPageShows() throws Exception {
        Key key = memberKey(false);
        String token = token(key);
        var known = FakeFilmWorld.FILMS.getFirst();
        long film = libraryFilm(known.imdbId());
        jdbc.update("insert into watch_progress (member_id, film_id, position_seconds, duration_seconds, watched, updated_at)"
                + " values (?, ?, 1260, 5760, false, now())", key.memberId(), film);
        call("POST", "/api/comments", token, "{\"comment\":\"Counted\",\"movie_id\":" + film + "}");
        long comments = jdbc.queryForObject("select count(*) from comments where film_id = ?", Long.class, film);

        JsonNode movie = json(call("GET", "/movies/" + film, token, null));
        Page page = browser.open(1280, 800, "en-US");
        register(page, Person.fresh());
        page.navigate(url("/films/" + film));
        assertThat(movie.get("id").asLong()).isEqualTo(film);
        assertThat(movie.get("name").asString()).isEqualTo(page.textContent("h1 > span:first-child")).isEqualTo(known.title());
        assertThat("(" + movie.get("year").asInt() + ")").isEqualTo(page.textContent("h1 .year"));
        assertThat(movie.get("imdbId").asString()).isEqualTo(page.textContent(".film-meta .imdb")).isEqualTo(known.imdbId());
        assertThat(page.textContent(".film-meta .rating")).contains(String.valueOf(movie.get("imdbRating").asDouble()));
        assertThat(page.textContent(".film-meta")).contains(movie.get("length").asInt() + " min");
        assertThat(movie.get("summary").asString()).isEqualTo(page.textContent(".summary")).isEqualTo(known.summary());
        assertThat(strings(movie.get("genres"))).isEqualTo(page.locator(".genres li").allTextContents()).isNotEmpty();
        List<String> credits = page.locator(".credits dd").allTextContents();
        assertThat(credits.getFirst()).isEqualTo(String.join(", ", strings(movie.get("directors"))));
        // Producers and cast are lists of names on the page.
        assertThat(page.locator(".credits div:not(.cast) .people li").allTextContents()).isEqualTo(strings(movie.get("producers")));
        assertThat(page.locator(".credits .cast li").allTextContents()).isEqualTo(strings(movie.get("cast"))).isNotEmpty();
        List<String> rows = page.locator("table.torrents tbody tr").allTextContents();
        assertThat(movie.get("copies").size()).isEqualTo(rows.size()).isPositive();
        for (int i = 0; i < rows.size(); i++) {
            JsonNode copy = movie.get("copies").get(i);
            List<String> cells = page.locator("table.torrents tbody tr").nth(i).locator("td").allTextContents();
            assertThat(cells.get(0)).isEqualTo(copy.has("quality") ? copy.get("quality").asString() : "—");
            assertThat(cells.get(2)).isEqualTo(copy.get("seeders").asInt() >= 0 ? String.valueOf(copy.get("seeders").asInt()) : "—");
            assertThat(cells.get(3)).isEqualTo(copy.get("source").asString());
            assertThat(copy.get("sizeBytes").asLong()).isNotNegative();
        }
        page.context().close();
        assertThat(movie.get("comments").asLong()).isEqualTo(comments).isPositive();
        assertThat(movie.get("subtitles").isArray()).isTrue();
        assertThat(movie.get("watch").get("positionSeconds").asInt()).isEqualTo(1260);
        assertThat(movie.get("watch").get("watched").asBoolean()).isFalse();
        // The operator's key acts for nobody: no watch state.
        assertThat(json(call("GET", "/api/movies/" + film, operatorToken(), null)).has("watch")).isFalse();

        // The cover and a member's picture answer with the same token.
        var cover = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(movie.get("coverUrl").asString()))
                .header("Authorization", "Bearer " + token).build(), java.net.http.HttpResponse.BodyHandlers.ofByteArray());
        assertThat(cover.statusCode()).isEqualTo(200);
        assertThat(cover.headers().firstValue("Content-Type")).hasValue("image/png");
        String picture = json(call("GET", "/users/" + key.memberId(), token, null)).get("pictureUrl").asString();
        var avatar = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(picture))
                .header("Authorization", "Bearer " + token).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(avatar.statusCode()).isEqualTo(200);
        assertThat(avatar.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("image/"));
        assertThat(http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(picture)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);

        // The list is the front page's: id, name, year, rating, cover.
        JsonNode first = json(call("GET", "/movies", token, null)).get("items").get(0);
        assertThat(first.get("name").asString()).isNotBlank();
        assertThat(first.get("coverUrl").asString()).endsWith("/api/movies/" + first.get("id").asLong() + "/cover");
        assertThat(first.has("year")).isTrue();
        assertThat(first.has("imdbRating")).isTrue();
    }

    @Test
    void anAdministratorAddsAFilmByMagnetWhichThenPlaysAndRemovesItsFiles() throws Exception {
        Key admin = memberKey(true);
        String token = token(admin);
        Path file = TestFilms.MP4_FASTSTART.file();
        try (Swarm swarm = Swarm.seed(file, 2, 250_000)) {
            String hash = swarm.metainfo.infoHash().hex();
            String magnet = "magnet:?xt=urn:btih:" + hash + "&dn=" + file.getFileName() + "&tr="
                    + URLEncoder.encode(swarm.tracker.announceUrl(), StandardCharsets.UTF_8);
            String title = uniqueName("Api Magnet ");
            var added = call("POST", "/movies", token, JSON.writeValueAsString(java.util.Map.of("magnet", magnet,
                    "title", title, "year", 2001)));
            assertThat(added.statusCode()).as(added.body()).isEqualTo(202);
            long film = json(added).get("id").asLong();
            assertThat(added.headers().firstValue("Location")).hasValue("/api/movies/" + film);
            assertThat(json(added).get("infoHash").asString()).isEqualTo(hash);
            assertThat(json(call("GET", "/api/movies/" + film, token, null)).get("name").asString()).isEqualTo(title);

            Page page = browser.open(1280, 800, "en-US");
            register(page, Person.fresh());
            page.navigate(url("/films/" + film));
            page.click("#play-button");
            page.waitForFunction("() => document.getElementById('video').currentTime > 0.5", null,
                    new Page.WaitForFunctionOptions().setTimeout(90_000));
            page.context().close();
            assertThat(folders(hash)).as("the download's folder").isNotEmpty();

            assertThat(call("DELETE", "/movies/" + film, token, null).statusCode()).isEqualTo(204);
            assertThat(jdbc.queryForObject("select count(*) from downloads where film_id = ?", Long.class, film)).isZero();
            assertThat(folders(hash)).as("its files are deleted").isEmpty();
            assertThat(json(call("GET", "/api/movies/" + film, token, null)).get("name").asString())
                    .as("the catalog entry stays").isEqualTo(title);
        }
    }

    @Test
    void anAdministratorAddsAFilmBySourceIdAndRefusalsAreProblems() throws Exception {
        Key admin = memberKey(true);
        String token = token(admin);
        var known = FakeFilmWorld.FILMS.get(2);
        var added = call("POST", "/api/movies", token, "{\"source\":\"yts\",\"sourceId\":\"" + known.ytsId() + "\"}");
        assertThat(added.statusCode()).as(added.body()).isEqualTo(202);
        long film = json(added).get("id").asLong();
        JsonNode movie = json(call("GET", added.headers().firstValue("Location").orElseThrow(), token, null));
        assertThat(movie.get("imdbId").asString()).isEqualTo(known.imdbId());
        assertThat(movie.get("copies").size()).isPositive();
        assertThat(call("DELETE", "/api/movies/" + film, token, null).statusCode()).isEqualTo(204);

        assertProblem(call("POST", "/api/movies", token, "{\"source\":\"yts\",\"sourceId\":\"999999\"}"), 404);
        assertProblem(call("POST", "/api/movies", token, "{\"source\":\"nowhere\",\"sourceId\":\"1\"}"), 422);
        assertProblem(call("POST", "/api/movies", token, "{\"magnet\":\"magnet:?xt=urn:btih:nothex\",\"title\":\"x\"}"), 422);
        assertProblem(call("POST", "/api/movies", token, "{}"), 422);
        assertProblem(call("DELETE", "/api/movies/999999999", token, null), 404);
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asString()));
        return out;
    }

    /** The ids in an answer: its own, or its items'. */
    private static List<Long> ids(JsonNode answer) {
        List<Long> ids = new ArrayList<>();
        if (answer.has("items")) {
            answer.get("items").forEach(i -> ids.add(i.get("id").asLong()));
        } else {
            ids.add(answer.get("id").asLong());
        }
        return ids;
    }

    private static List<Path> folders(String hash) throws Exception {
        try (var paths = Files.walk(DATA_DIR)) {
            return paths.filter(p -> p.getFileName().toString().equals(hash) && Files.isDirectory(p)).toList();
        }
    }
}
