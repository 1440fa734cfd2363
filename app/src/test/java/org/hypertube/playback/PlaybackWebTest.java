package org.hypertube.playback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.head;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import org.hypertube.AppTestBase;
import org.hypertube.catalog.Catalog;
import org.hypertube.torrent.InfoHash;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.test.web.servlet.MockMvc;

/**
 * The stream endpoints over HTTP as a browser and ffmpeg use them, on a finished film on disk (no
 * torrent involved), plus retention with a controlled clock and the watch progress a player saves.
 */
class PlaybackWebTest extends AppTestBase {

    @Autowired
    MockMvc mvc;
    @org.springframework.boot.test.web.server.LocalServerPort
    int port;
    @Autowired
    DownloadRepository repository;
    @Autowired
    Engine engine;
    @Autowired
    Retention retention;
    @Autowired
    Catalog catalog;
    @Autowired
    InternalMedia internal;
    @Autowired
    WatchHistory history;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    org.hypertube.playback.subtitle.SubtitleCache subtitleCache;

    record Finished(Download download, byte[] bytes, Path folder) {}

    /** A finished download of {@code film} with a file of random bytes, as the engine leaves it on disk. */
    Finished finished(Long filmId, Instant lastWatched) throws Exception {
        return finished(repository, engine, filmId, lastWatched);
    }

    static Finished finished(DownloadRepository repository, Engine engine, Long filmId, Instant lastWatched)
            throws Exception {
        byte[] hash = new byte[20];
        new Random().nextBytes(hash);
        String hex = HexFormat.of().formatHex(hash);
        Path folder = engine.folder(InfoHash.parse(hex));
        Path file = folder.resolve("Film (2001)").resolve("film.mp4");
        Files.createDirectories(file.getParent());
        byte[] bytes = new byte[300_000];
        new Random(7).nextBytes(bytes);
        Files.write(file, bytes);
        Download d = new Download(hex, filmId, "magnet:?xt=urn:btih:" + hex, "Film (2001)", null,
                Instant.now().minus(Duration.ofDays(60)));
        d.chooseFile(0, "Film (2001)/film.mp4", bytes.length);
        d.completed(Instant.now().minus(Duration.ofDays(59)));
        if (lastWatched != null) {
            d.watched(lastWatched);
        }
        return new Finished(repository.save(d), bytes, folder);
    }

    long freeFilm() {
        return TestFilms.unplayedFilm(catalog, repository);
    }

    /** A member who is not an administrator (the very first account of a fresh database is one). */
    MockHttpSession member() throws Exception {
        String username = uniqueName("v");
        signUp(username);
        jdbc.update("update members set admin = false where username = ?", username);
        return signIn(username);
    }

    MockHttpSession signIn(String username) throws Exception {
        var session = new MockHttpSession();
        mvc.perform(post("/login").session(session).with(csrf()).param("username", username)
                .param("password", password(username))).andExpect(redirectedUrl("/"));
        return session;
    }

    MockHttpSession signUp(String username) throws Exception {
        var session = new MockHttpSession();
        mvc.perform(post("/register").session(session).with(csrf())
                        .param("email", username + "@example.org").param("username", username)
                        .param("firstName", "Viv").param("lastName", "Ewer").param("password", password(username)))
                .andExpect(status().is3xxRedirection());
        mvc.perform(post("/login").session(session).with(csrf()).param("username", username)
                .param("password", password(username))).andExpect(redirectedUrl("/"));
        return session;
    }

    static String password(String username) {
        return "amber-lantern-" + username.substring(1, 5);
    }

    /** An administrator: a member made one in the database, signed in again so the session knows. */
    MockHttpSession operator() throws Exception {
        String username = uniqueName("o");
        signUp(username);
        jdbc.update("update members set admin = true where username = ?", username);
        return signIn(username);
    }

    @Test
    void operatorsAddPauseResumeAndRemoveTorrents() throws Exception {
        mvc.perform(get("/admin/downloads").session(member())).andExpect(status().isForbidden());
        MockHttpSession operator = operator();
        mvc.perform(get("/admin/downloads").session(operator)).andExpect(status().isOk());

        mvc.perform(post("/admin/downloads").session(operator).with(csrf()).param("magnet", "magnet:?xt=urn:btih:nothex"))
                .andExpect(redirectedUrl("/admin/downloads"))
                .andExpect(org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash()
                        .attribute("downloadError", "downloads.badMagnet"));
        var junk = new org.springframework.mock.web.MockMultipartFile("torrent", "x.torrent", "application/x-bittorrent",
                "d4:infod6:lengthi-5eee".getBytes());
        mvc.perform(org.springframework.test.web.servlet.request.MockMvcRequestBuilders.multipart("/admin/downloads")
                        .file(junk).session(operator).with(csrf()))
                .andExpect(org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash()
                        .attribute("downloadError", "downloads.badTorrent"));

        Path content = org.hypertube.TestDirs.temporary("op").resolve("Short Film (1920).mp4");
        Files.write(content, new byte[100_000]);
        byte[] torrent = new org.hypertube.torrent.TorrentCreator().create(content);
        String hash = org.hypertube.torrent.Metainfo.parse(torrent).infoHash().hex();
        long film = freeFilm();
        var file = new org.springframework.mock.web.MockMultipartFile("torrent", "film.torrent", "application/x-bittorrent", torrent);
        mvc.perform(org.springframework.test.web.servlet.request.MockMvcRequestBuilders.multipart("/admin/downloads")
                        .file(file).param("film", "http://localhost/films/" + film).session(operator).with(csrf()))
                .andExpect(org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash()
                        .attribute("downloadAdded", hash));
        Download d = repository.findByInfoHash(hash).orElseThrow();
        assertThat(d.getFilmId()).isEqualTo(film);
        String page = mvc.perform(get("/admin/downloads").session(operator)).andReturn().getResponse().getContentAsString();
        assertThat(page).contains("id=\"download-" + hash + "\"").contains("Short Film (1920).mp4");

        mvc.perform(post("/admin/downloads/" + d.getId() + "/pause").session(operator).with(csrf()))
                .andExpect(redirectedUrl("/admin/downloads"));
        assertThat(repository.findByInfoHash(hash).orElseThrow().getState()).isEqualTo(Download.State.PAUSED);
        assertThat(engine.torrent(hash).orElseThrow().paused()).isTrue();
        mvc.perform(post("/admin/downloads/" + d.getId() + "/resume").session(operator).with(csrf()));
        assertThat(repository.findByInfoHash(hash).orElseThrow().getState()).isEqualTo(Download.State.ACTIVE);
        assertThat(engine.torrent(hash).orElseThrow().paused()).isFalse();
        mvc.perform(post("/admin/downloads/" + d.getId() + "/remove").session(member()).with(csrf()))
                .andExpect(status().isForbidden());
        mvc.perform(post("/admin/downloads/" + d.getId() + "/remove").session(operator).with(csrf()));
        assertThat(repository.findByInfoHash(hash)).isEmpty();
        assertThat(engine.torrent(hash)).isEmpty();
        assertThat(engine.folder(org.hypertube.torrent.InfoHash.parse(hash))).doesNotExist();
    }

    @Test
    void theDhtsNodeCountShowsOnTheDownloadsPageAndInTheHealthDetailsForAdministratorsOnly() throws Exception {
        engine.client(); // the engine starts with the first download; any earlier test may have started it
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (engine.dhtNodes().orElse(0) == 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        // The engine joined through the tests' hub (HYPERTUBE_DHT_BOOTSTRAP): the hub, and any other test
        // engine the hub told it of (the cluster tests' instances use the same hub).
        assertThat(engine.dhtNodes().orElse(0)).isPositive();
        MockHttpSession operator = operator();
        String page = mvc.perform(get("/admin/downloads").session(operator)).andReturn().getResponse().getContentAsString();
        assertThat(page).containsPattern("id=\"dht-status\">DHT: (1 node|\\d+ nodes) known</p>");
        mvc.perform(post("/language").session(operator).with(csrf()).param("lang", "fr"));
        String french = mvc.perform(get("/admin/downloads").session(operator)).andReturn().getResponse().getContentAsString();
        assertThat(french).containsPattern(">DHT : (1 nœud connu|\\d+ nœuds connus)</p>");

        String health = mvc.perform(get("/actuator/health").session(operator)).andExpect(status().isOk())
                .andReturn().getResponse().getContentAsString();
        assertThat(health).contains("\"torrentEngine\"").containsPattern("\"dhtNodes\":[1-9]");
        String anonymous = mvc.perform(get("/actuator/health")).andReturn().getResponse().getContentAsString();
        assertThat(anonymous).contains("\"status\":\"UP\"").doesNotContain("dhtNodes");
        String member = mvc.perform(get("/actuator/health").session(member())).andReturn().getResponse().getContentAsString();
        assertThat(member).doesNotContain("dhtNodes");
    }

    @Test
    void aFinishedFilmIsServedFromDiskWithRanges() throws Exception {
        long film = freeFilm();
        Finished f = finished(film, Instant.now());
        MockHttpSession session = member();
        String path = "/films/" + film + "/stream";

        var whole = mvc.perform(get(path).session(session)).andExpect(status().isOk())
                .andExpect(header().string("Accept-Ranges", "bytes"))
                .andExpect(header().string("Content-Type", "video/mp4")).andReturn().getResponse();
        assertThat(whole.getContentAsByteArray()).isEqualTo(f.bytes());

        var part = mvc.perform(get(path).session(session).header("Range", "bytes=1000-1999"))
                .andExpect(status().isPartialContent())
                .andExpect(header().string("Content-Range", "bytes 1000-1999/300000")).andReturn().getResponse();
        assertThat(part.getContentAsByteArray()).isEqualTo(Arrays.copyOfRange(f.bytes(), 1000, 2000));

        var tail = mvc.perform(get(path).session(session).header("Range", "bytes=-500"))
                .andExpect(status().isPartialContent()).andReturn().getResponse();
        assertThat(tail.getContentAsByteArray()).isEqualTo(Arrays.copyOfRange(f.bytes(), 299_500, 300_000));

        var open = mvc.perform(get(path).session(session).header("Range", "bytes=299990-"))
                .andExpect(status().isPartialContent()).andReturn().getResponse();
        assertThat(open.getContentAsByteArray()).hasSize(10);

        var multi = mvc.perform(get(path).session(session).header("Range", "bytes=0-9, 100-109"))
                .andExpect(status().isPartialContent()).andReturn().getResponse();
        assertThat(multi.getContentType()).startsWith("multipart/byteranges; boundary=");
        String body = new String(multi.getContentAsByteArray(), java.nio.charset.StandardCharsets.ISO_8859_1);
        assertThat(body).contains("Content-Range: bytes 0-9/300000", "Content-Range: bytes 100-109/300000")
                .contains(new String(Arrays.copyOfRange(f.bytes(), 100, 110), java.nio.charset.StandardCharsets.ISO_8859_1));
        assertThat((long) multi.getContentAsByteArray().length).isEqualTo(Long.parseLong(multi.getHeader("Content-Length")));

        mvc.perform(get(path).session(session).header("Range", "bytes=400000-"))
                .andExpect(status().isRequestedRangeNotSatisfiable())
                .andExpect(header().string("Content-Range", "bytes */300000"));
        // An If-Range naming another version of the file gets the whole (current) file.
        mvc.perform(get(path).session(session).header("Range", "bytes=0-9").header("If-Range", "\"other\""))
                .andExpect(status().isOk()).andExpect(header().longValue("Content-Length", 300_000));
        String etag = whole.getHeader("ETag");
        mvc.perform(get(path).session(session).header("Range", "bytes=0-9").header("If-Range", etag))
                .andExpect(status().isPartialContent());
        var headResponse = mvc.perform(head(path).session(session)).andExpect(status().isOk())
                .andExpect(header().longValue("Content-Length", 300_000)).andReturn().getResponse();
        assertThat(headResponse.getContentAsByteArray()).isEmpty();
    }

    @Test
    void streamsNeedASessionAndTheInternalEndpointAnswersOnlyOnItsOwnLoopbackListener() throws Exception {
        long film = freeFilm();
        Finished f = finished(film, Instant.now());
        mvc.perform(get("/films/" + film + "/stream")).andExpect(status().is3xxRedirection())
                .andExpect(redirectedUrl("/login"));
        String url = internal.url(f.download().getInfoHash());
        assertThat(url).startsWith("http://127.0.0.1:" + internal.port() + "/internal/media/");
        assertThat(internal.port()).isNotEqualTo(port);
        String token = url.substring(url.lastIndexOf('/') + 1);
        try (var http = java.net.http.HttpClient.newHttpClient()) {
            // The public port, even from this machine (as a reverse proxy's requests are): not found.
            var publicPort = http.send(java.net.http.HttpRequest.newBuilder(
                            java.net.URI.create("http://127.0.0.1:" + port + "/internal/media/" + token)).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofByteArray());
            assertThat(publicPort.statusCode()).isEqualTo(404);
            // The internal listener serves nothing else, and no film without its token.
            var other = http.send(java.net.http.HttpRequest.newBuilder(
                            java.net.URI.create("http://127.0.0.1:" + internal.port() + "/login")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(other.statusCode()).isEqualTo(404);
            var wrong = http.send(java.net.http.HttpRequest.newBuilder(
                            java.net.URI.create("http://127.0.0.1:" + internal.port() + "/internal/media/" + "0".repeat(32))).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(wrong.statusCode()).isEqualTo(404);
            var ok = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url)).header("Range", "bytes=0-99")
                    .build(), java.net.http.HttpResponse.BodyHandlers.ofByteArray());
            assertThat(ok.statusCode()).isEqualTo(206);
            assertThat(ok.body()).isEqualTo(Arrays.copyOf(f.bytes(), 100));
        }
        // MockMvc's requests come from no listener at all: refused as well.
        mvc.perform(get("/internal/media/" + token)).andExpect(status().isNotFound());
    }

    @Test
    void retentionDeletesFilmsUnwatchedForThirtyDaysAndKeepsTheOthers() throws Exception {
        Instant now = Instant.parse("2031-03-01T04:00:00Z");
        Finished old = finished(null, now.minus(Duration.ofDays(31)));
        Finished recent = finished(null, now.minus(Duration.ofDays(29)));
        Path converted = subtitleCache.root().resolve(old.download().getInfoHash()).resolve("sidecar-1.fr.vtt");
        Files.createDirectories(converted.getParent());
        Files.writeString(converted, "WEBVTT\n");

        var deleted = retention.run(now);

        assertThat(deleted).contains(old.download().getInfoHash()).doesNotContain(recent.download().getInfoHash());
        assertThat(old.folder()).doesNotExist();
        assertThat(converted.getParent()).as("its converted subtitles too").doesNotExist();
        assertThat(repository.findByInfoHash(old.download().getInfoHash())).isEmpty();
        assertThat(recent.folder().resolve("Film (2001)/film.mp4")).exists();
        assertThat(repository.findByInfoHash(recent.download().getInfoHash())).isPresent();
        repository.delete(recent.download());
    }

    @Test
    void progressIsSavedResumedAndMarksTheFilmWatchedNearTheEnd() throws Exception {
        long film = freeFilm();
        MockHttpSession session = member();
        mvc.perform(post("/films/" + film + "/progress").session(session).with(csrf())
                .param("position", "600").param("duration", "6000")).andExpect(status().isNoContent());
        long member = jdbc.queryForObject("select member_id from watch_progress where film_id = ? order by updated_at desc limit 1",
                Long.class, film);
        assertThat(history.resumeAt(member, film)).isEqualTo(600);
        String home = mvc.perform(get("/").session(session)).andReturn().getResponse().getContentAsString();
        assertThat(home).contains("continue-heading").contains("href=\"/films/" + film + "\"");

        mvc.perform(post("/films/" + film + "/progress").session(session).with(csrf())
                .param("position", "5500").param("duration", "6000")).andExpect(status().isNoContent());
        assertThat(history.marks(member, java.util.List.of(film)).get(film).watched()).isTrue();
        assertThat(history.resumeAt(member, film)).isZero();

        mvc.perform(post("/films/" + film + "/progress").session(session).with(csrf())
                .param("position", "-3").param("duration", "6000")).andExpect(status().isUnprocessableContent());
        mvc.perform(post("/films/" + film + "/progress").session(session)
                .param("position", "30").param("duration", "6000")).andExpect(status().isForbidden());
    }

    /**
     * The player saves twice at once when a page closes (pause and page-hide): concurrent first saves of
     * one member and film, over Tomcat as a browser sends them, all answer 204 and leave one row.
     */
    @Test
    void concurrentFirstSavesOfProgressAllSucceedAndLeaveOneRow() throws Exception {
        String username = uniqueName("v");
        signUp(username);
        var http = java.net.http.HttpClient.newBuilder().followRedirects(java.net.http.HttpClient.Redirect.NEVER).build();
        String[] session = browserSignIn(http, username);
        long member = jdbc.queryForObject("select id from members where username = ?", Long.class, username);
        java.util.List<Long> films = catalog.popular(1).films().stream().map(f -> f.getId()).limit(8).toList();
        assertThat(films).hasSizeGreaterThanOrEqualTo(5);
        int savers = 8;
        var pool = java.util.concurrent.Executors.newFixedThreadPool(savers);
        try {
            for (int round = 0; round < films.size(); round++) {
                long film = films.get(round);
                int position = 100 + round;
                var start = new java.util.concurrent.CyclicBarrier(savers);
                var answers = new java.util.ArrayList<java.util.concurrent.Future<Integer>>();
                for (int i = 0; i < savers; i++) {
                    answers.add(pool.submit(() -> {
                        var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                                        "http://127.0.0.1:" + port + "/films/" + film + "/progress"))
                                .header("Cookie", session[0]).header(session[1], session[2])
                                .header("Content-Type", "application/x-www-form-urlencoded")
                                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                                        "position=" + position + ".0&duration=6000.0")).build();
                        start.await(10, java.util.concurrent.TimeUnit.SECONDS);
                        return http.send(request, java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode();
                    }));
                }
                for (var answer : answers) {
                    assertThat(answer.get(30, java.util.concurrent.TimeUnit.SECONDS)).as("round %d", round).isEqualTo(204);
                }
                assertThat(jdbc.queryForObject("select count(*) from watch_progress where member_id = ? and film_id = ?",
                        Integer.class, member, film)).isEqualTo(1);
                assertThat(history.resumeAt(member, film)).isEqualTo(position);
            }
        } finally {
            pool.shutdownNow();
        }
        // and a later save still moves the one row on
        long film = films.getFirst();
        var later = java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                        "http://127.0.0.1:" + port + "/films/" + film + "/progress"))
                .header("Cookie", session[0]).header(session[1], session[2])
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("position=700&duration=6000")).build();
        assertThat(http.send(later, java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(204);
        assertThat(history.resumeAt(member, film)).isEqualTo(700);
    }

    /**
     * Signs in over HTTP as a browser does; returns the session cookie, then the CSRF header's name and
     * value that the pages give their scripts.
     */
    String[] browserSignIn(java.net.http.HttpClient http, String username) throws Exception {
        var session = org.hypertube.MemberHttp.signIn(port, username, password(username));
        return new String[] {session.cookie(), session.csrfHeader(), session.csrfToken()};
    }

    @Test
    void playPicksTheCandidateWhoseSwarmHasSeedersNowOverAStaleClaim() throws Exception {
        long film = freeFilm();
        catalog.details(film);  // fetched now, so the sources' torrents are not fetched again during the test
        jdbc.update("delete from film_torrents where film_id = ?", film);
        try (var tracker = org.hypertube.torrent.tracker.TrackerServer.start(java.net.InetAddress.getByName("127.0.0.1"), 0,
                Duration.ofSeconds(60), java.time.Clock.systemUTC())) {
            String dead = "aa".repeat(20);
            String live = "bb".repeat(20);
            // One seeder announces the live torrent; nobody the dead one, whatever its source claims.
            var seeder = org.hypertube.torrent.tracker.Tracker.forUrl(tracker.announceUrl(), Duration.ofSeconds(5),
                    java.time.Clock.systemUTC(), org.hypertube.torrent.OutsideAddressPolicy.of(true));
            seeder.announce(new org.hypertube.torrent.tracker.AnnounceRequest(InfoHash.parse(live),
                    "-XX0001-123456789012".getBytes(), Swarm.freePort(), 0, 0, 0,
                    org.hypertube.torrent.tracker.AnnounceRequest.Event.STARTED, 10, 1));
            String tr = java.net.URLEncoder.encode(tracker.announceUrl(), java.nio.charset.StandardCharsets.UTF_8);
            jdbc.update("insert into film_torrents (film_id, source, info_hash, name, quality, size_bytes, seeds, peers, uri,"
                    + " updated_at) values (?, 'yts', ?, 'Stale', '1080p', 1000000, 500, 10, ?, current_timestamp)",
                    film, dead, "magnet:?xt=urn:btih:" + dead + "&tr=" + tr);
            jdbc.update("insert into film_torrents (film_id, source, info_hash, name, quality, size_bytes, seeds, peers, uri,"
                    + " updated_at) values (?, 'yts', ?, 'Alive', '720p', 1000000, 3, 1, ?, current_timestamp)",
                    film, live, "magnet:?xt=urn:btih:" + live + "&tr=" + tr);

            String json = mvc.perform(post("/films/" + film + "/play").session(member()).with(csrf()))
                    .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
            assertThat(json).contains("\"phase\":\"FINDING_PEERS\"");
            Download chosen = repository.findByFilmIdOrderByAddedAtDesc(film).getFirst();
            assertThat(chosen.getInfoHash()).isEqualTo(live);
            repository.findByFilmIdOrderByAddedAtDesc(film).forEach(d -> engine.remove(d.getInfoHash(), true));
            repository.deleteAll(repository.findByFilmIdOrderByAddedAtDesc(film));
        }
    }

    @Test
    void aCandidateWithoutAnyPeerGivesWayToTheNextOne() throws Exception {
        long film = freeFilm();
        catalog.details(film);
        jdbc.update("delete from film_torrents where film_id = ?", film);
        String lonely = "cc".repeat(20);
        String next = "dd".repeat(20);
        jdbc.update("insert into film_torrents (film_id, source, info_hash, name, quality, size_bytes, seeds, peers, uri,"
                + " updated_at) values (?, 'yts', ?, 'Lonely', '1080p', 1000000, 90, 0, ?, current_timestamp)",
                film, lonely, "magnet:?xt=urn:btih:" + lonely);
        jdbc.update("insert into film_torrents (film_id, source, info_hash, name, quality, size_bytes, seeds, peers, uri,"
                + " updated_at) values (?, 'yts', ?, 'Next', '720p', 1000000, 5, 0, ?, current_timestamp)",
                film, next, "magnet:?xt=urn:btih:" + next);

        mvc.perform(post("/films/" + film + "/play").session(member()).with(csrf())).andExpect(status().isOk());
        assertThat(repository.findByFilmIdOrderByAddedAtDesc(film)).extracting(Download::getInfoHash).containsExactly(lonely);

        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline && !repository.findByFilmIdOrderByAddedAtDesc(film).stream()
                .map(Download::getInfoHash).toList().equals(java.util.List.of(next))) {
            Thread.sleep(200);
        }
        assertThat(repository.findByFilmIdOrderByAddedAtDesc(film)).extracting(Download::getInfoHash).containsExactly(next);
        assertThat(engine.torrent(lonely)).isEmpty();
        repository.findByFilmIdOrderByAddedAtDesc(film).forEach(d -> engine.remove(d.getInfoHash(), true));
        repository.deleteAll(repository.findByFilmIdOrderByAddedAtDesc(film));
    }
}
