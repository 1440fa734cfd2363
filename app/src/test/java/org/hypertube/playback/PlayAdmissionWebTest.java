package org.hypertube.playback;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.hypertube.AppTestBase;
import org.hypertube.WebSession;
import org.hypertube.catalog.Catalog;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * What bounds the downloads a Play starts, over real HTTP: the per-member limit (HYPERTUBE_PLAY_LIMIT,
 * 5 an hour in these tests as by default), the disk quota's room making, and that one film's slow
 * source does not hold up another film's Play.
 */
class PlayAdmissionWebTest extends AppTestBase {

    @LocalServerPort
    int port;
    @Autowired
    Catalog catalog;
    @Autowired
    DownloadRepository repository;
    @Autowired
    Engine engine;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    Retention retention;
    @Autowired
    Playback playback;

    /** Films with no download, each left with one torrent of our own (a magnet nobody seeds, no tracker). */
    List<Long> filmsWithOneMagnet(int count) {
        List<Long> films = catalog.popular(1).films().stream().map(f -> f.getId())
                .filter(id -> repository.findByFilmIdOrderByAddedAtDesc(id).isEmpty()).limit(count).toList();
        assertThat(films).hasSize(count);
        for (long film : films) {
            catalog.details(film);  // fetched now, so the sources' torrents are not fetched again during the test
            jdbc.update("delete from film_torrents where film_id = ?", film);
            String hash = randomHash();
            jdbc.update("insert into film_torrents (film_id, source, info_hash, name, quality, size_bytes, seeds, peers,"
                    + " uri, updated_at) values (?, 'yts', ?, 'Only', '720p', 1000000, 5, 0, ?, current_timestamp)",
                    film, hash, "magnet:?xt=urn:btih:" + hash);
        }
        return films;
    }

    static String randomHash() {
        byte[] b = new byte[20];
        new Random().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    void forget(List<Long> films) {
        for (long film : films) {
            repository.findByFilmIdOrderByAddedAtDesc(film).forEach(d -> engine.remove(d.getInfoHash(), true));
            repository.deleteAll(repository.findByFilmIdOrderByAddedAtDesc(film));
        }
    }

    /** A member signed in over HTTP; an administrator or not. */
    WebSession member(boolean admin) throws Exception {
        return signedIn(port, jdbc, admin);
    }

    /** A new member signed in over HTTP on the application at {@code port}; an administrator or not. */
    static WebSession signedIn(int port, JdbcTemplate jdbc, boolean admin) throws Exception {
        String username = uniqueName("p");
        String password = "amber-lantern-" + username.substring(1, 6);
        try (WebSession signUp = new WebSession("http://127.0.0.1:" + port, null)) {
            signUp.get("/register");
            var registered = signUp.post("/register", Map.of("email", username + "@example.org", "username", username,
                    "firstName", "Pia", "lastName", "Lay", "password", password));
            assertThat(registered.statusCode()).isBetween(300, 399);
        }
        jdbc.update("update members set admin = ? where username = ?", admin, username);
        WebSession session = new WebSession("http://127.0.0.1:" + port, null);
        assertThat(session.signIn(username, password)).endsWith("/");
        session.get("/");
        return session;
    }

    static HttpResponse<String> play(WebSession session, long film) throws Exception {
        HttpResponse<String> response = session.post("/films/" + film + "/play", Map.of("quality", "P720"));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response;
    }

    @Test
    void aMemberStartsFiveDownloadsAnHourThenIsToldWhenToTryAgainWhileAdministratorsAreNotLimited() throws Exception {
        List<Long> films = filmsWithOneMagnet(6);
        try (WebSession member = member(false); WebSession operator = member(true)) {
            Instant before = Instant.now();
            play(member, films.get(0));
            // Playing a film that is already downloading starts nothing new and takes nothing of the limit.
            String again = play(member, films.get(0)).body();
            assertThat(again).doesNotContain("\"phase\":\"LIMITED\"");
            assertThat(repository.findByFilmIdOrderByAddedAtDesc(films.get(0))).hasSizeLessThanOrEqualTo(1);
            for (int i = 1; i < 5; i++) {
                assertThat(play(member, films.get(i)).body()).doesNotContain("LIMITED");
                assertThat(repository.findByFilmIdOrderByAddedAtDesc(films.get(i))).hasSize(1);
            }
            String refused = play(member, films.get(5)).body();
            assertThat(refused).contains("\"phase\":\"LIMITED\"");
            assertThat(repository.findByFilmIdOrderByAddedAtDesc(films.get(5))).as("no torrent was added").isEmpty();
            long retryAt = Long.parseLong(refused.replaceAll(".*\"retryAt\":(\\d+).*", "$1"));
            assertThat(Instant.ofEpochMilli(retryAt)).isBetween(before.plus(Duration.ofMinutes(59)),
                    Instant.now().plus(Duration.ofHours(1)));

            // The player has the message in the member's language, with the time filled in by the page.
            String page = member.get("/films/" + films.get(5)).body();
            assertThat(page).contains("data-msg-limited=\"You have started as many new downloads as allowed for now."
                    + " You can start another one at {0}");

            assertThat(play(operator, films.get(5)).body()).doesNotContain("LIMITED");
            assertThat(repository.findByFilmIdOrderByAddedAtDesc(films.get(5))).hasSize(1);
        } finally {
            forget(films);
        }
    }

    @Test
    void oneFilmsSlowSourceDoesNotHoldUpAnotherFilmsPlay() throws Exception {
        List<Long> films = filmsWithOneMagnet(2);
        long slow = films.get(0);
        long quick = films.get(1);
        CountDownLatch asked = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        // A source whose .torrent link answers only when the test says so.
        HttpServer source = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        source.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        source.createContext("/", exchange -> {
            asked.countDown();
            try {
                release.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
        });
        source.start();
        jdbc.update("update film_torrents set uri = ?, info_hash = null where film_id = ?",
                "http://127.0.0.1:" + source.getAddress().getPort() + "/slow.torrent", slow);
        try (WebSession a = member(false); WebSession b = member(false)) {
            CompletableFuture<HttpResponse<String>> slowPlay = CompletableFuture.supplyAsync(() -> {
                try {
                    return play(a, slow);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            assertThat(asked.await(30, TimeUnit.SECONDS)).as("the slow film's Play reached its source").isTrue();

            CompletableFuture<HttpResponse<String>> quickPlay = CompletableFuture.supplyAsync(() -> {
                try {
                    return play(b, quick);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            // Generous for a busy machine. With one lock for all films the quick Play waited here until the slow
            // film's fetch gave up (20 s), and so the slow Play was over by the time the quick one answered.
            HttpResponse<String> quickAnswer = quickPlay.get(30, TimeUnit.SECONDS);
            assertThat(quickAnswer.body()).contains("\"phase\":\"FINDING_PEERS\"");
            assertThat(slowPlay).as("the slow film is still waiting for its source").isNotDone();

            release.countDown();
            assertThat(slowPlay.get(30, TimeUnit.SECONDS).body()).contains("\"phase\":\"UNAVAILABLE\"");
        } finally {
            release.countDown();
            source.stop(0);
            forget(films);
        }
    }

    /** What the downloads take as the quota counts it: their films and the converted segments kept for them. */
    private long taken() {
        return repository.findAll().stream()
                .mapToLong(d -> (d.getFileLength() == null ? 0 : d.getFileLength()) + playback.keptBytes(d.getInfoHash())).sum();
    }

    /** Converted segments kept for a film count in the quota, and go when the film goes. */
    @Test
    void theSegmentsKeptForAFilmCountInTheQuotaAndAreDeletedWithIt() throws Exception {
        var converted = PlaybackWebTest.finished(repository, engine, null, Instant.parse("1980-01-01T00:00:00Z"));
        var plain = PlaybackWebTest.finished(repository, engine, null, Instant.parse("1980-01-02T00:00:00Z"));
        List<String> created = List.of(converted.download().getInfoHash(), plain.download().getInfoHash());
        java.nio.file.Path kept = engine.mediaDir().resolve(".hls").resolve(converted.download().getInfoHash())
                .resolve("transcode-v0-a1-720");
        // What the server counts before these segments: every film, and what earlier tests kept for theirs.
        long files = taken();
        java.nio.file.Files.createDirectories(kept);
        java.nio.file.Files.write(kept.resolve("seg0.m4s"), new byte[400_000]);
        try {
            // The films alone fit with 100,000 bytes to spare; with the 400,000 bytes of segments they do not.
            assertThat(retention.makeRoom(new DiskQuota(0, files + 100_000))).isTrue();
            assertThat(repository.findByInfoHash(converted.download().getInfoHash())).as("the least recently watched").isEmpty();
            assertThat(kept.getParent()).as("its segments went with it").doesNotExist();
            assertThat(repository.findByInfoHash(plain.download().getInfoHash())).as("room made by then").isPresent();
        } finally {
            created.forEach(h -> repository.findByInfoHash(h).ifPresent(d -> repository.delete(d)));
        }
    }

    @Test
    void roomIsMadeByDeletingTheLeastRecentlyWatchedFinishedFilmAndNeverOneBeingWatched() throws Exception {
        var oldest = PlaybackWebTest.finished(repository, engine, null, Instant.parse("1990-01-01T00:00:00Z"));
        var older = PlaybackWebTest.finished(repository, engine, null, Instant.parse("1990-01-02T00:00:00Z"));
        var watched = PlaybackWebTest.finished(repository, engine, null, Instant.parse("1989-01-01T00:00:00Z"));
        List<String> created = new ArrayList<>(List.of(oldest.download().getInfoHash(), older.download().getInfoHash(),
                watched.download().getInfoHash()));
        try {
            playback.used(watched.download().getInfoHash());   // someone is watching it right now
            long used = taken();
            // Room for one more film once one of ours (300,000 bytes each) is gone.
            assertThat(retention.makeRoom(new DiskQuota(0, used - 200_000))).isTrue();
            assertThat(repository.findByInfoHash(oldest.download().getInfoHash())).isEmpty();
            assertThat(java.nio.file.Files.exists(oldest.folder())).isFalse();
            assertThat(repository.findByInfoHash(older.download().getInfoHash())).isPresent();
            assertThat(repository.findByInfoHash(watched.download().getInfoHash())).as("being watched").isPresent();

            // When every finished film is being watched, nothing is deleted and no room is made.
            repository.findAll().stream().filter(d -> d.getState() == Download.State.COMPLETE)
                    .forEach(d -> playback.used(d.getInfoHash()));
            assertThat(retention.makeRoom(new DiskQuota(0, 1))).isFalse();
            assertThat(repository.findByInfoHash(older.download().getInfoHash())).isPresent();
            assertThat(retention.makeRoom(DiskQuota.NONE)).isTrue();
        } finally {
            created.forEach(h -> repository.findByInfoHash(h).ifPresent(d -> repository.delete(d)));
        }
    }
}
