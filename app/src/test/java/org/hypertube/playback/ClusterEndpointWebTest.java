package org.hypertube.playback;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import org.hypertube.AppTestBase;
import org.hypertube.catalog.Catalog;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The cluster listener, on which the owner of a download serves its film to the other instances: only
 * requests signed with the shared secret get bytes, only there, and only by info-hash.
 */
class ClusterEndpointWebTest extends AppTestBase {

    @LocalServerPort
    int port;
    @Autowired
    ClusterListener listener;
    @Autowired
    DownloadRepository repository;
    @Autowired
    Downloads downloads;
    @Autowired
    Catalog catalog;
    @Autowired
    InternalMedia internalMedia;
    @Autowired
    Retention retention;
    @Autowired
    net.javacrumbs.shedlock.core.LockProvider lockProvider;
    @Autowired
    org.springframework.jdbc.core.JdbcTemplate jdbc;

    private final HttpClient http = HttpClient.newHttpClient();
    private final byte[] film = new byte[300_000];
    private String hash;

    @BeforeEach
    void aFinishedFilm() throws Exception {
        new Random(7).nextBytes(film);
        byte[] h = new byte[20];
        new Random().nextBytes(h);
        hash = HexFormat.of().formatHex(h);
        Path file = DATA_DIR.resolve("media").resolve(hash).resolve("film.mp4");
        Files.createDirectories(file.getParent());
        Files.write(file, film);
        Download d = new Download(hash, TestFilms.unplayedFilm(catalog, repository), null, "Cluster film", null, Instant.now());
        d.chooseFile(0, "film.mp4", film.length);
        d.completed(Instant.now());
        repository.save(d);
    }

    @AfterEach
    void removeIt() {
        jdbc.update("delete from download_leases where info_hash = ?", hash);
        repository.findByInfoHash(hash).ifPresent(d -> downloads.remove(d, "test over"));
    }

    @Test
    void retentionSparesAFilmAnotherInstanceIsStreaming() {
        // Another instance's viewer read the film just now: only the database knows.
        jdbc.update("insert into film_use (info_hash, used_at) values (?, current_timestamp)", hash);
        assertThat(retentionOfThisFilmOnly()).isEmpty();
        assertThat(repository.findByInfoHash(hash)).isPresent();
    }

    @Test
    void aPlayMakingRoomDeletesNothingWhileAnotherInstanceHoldsTheQuotaLock() {
        var held = lockProvider.lock(new net.javacrumbs.shedlock.core.LockConfiguration(Instant.now(), Retention.QUOTA_LOCK,
                Duration.ofMinutes(1), Duration.ZERO)).orElseThrow();
        try {
            assertThat(retention.makeRoom(new DiskQuota(0, 1))).isFalse();   // over a 1-byte quota, and not ours to shrink
            assertThat(repository.findByInfoHash(hash)).isPresent();
        } finally {
            held.unlock();
        }
    }

    /**
     * A year-late retention run that may delete only this test's film: the other tests' films are marked in
     * use for the run.
     */
    private java.util.List<String> retentionOfThisFilmOnly() {
        java.util.List<String> marked = jdbc.queryForList("select info_hash from downloads where info_hash <> ? and "
                + "info_hash not in (select info_hash from film_use)", String.class, hash);
        for (String h : marked) {
            jdbc.update("insert into film_use (info_hash, used_at) values (?, current_timestamp)", h);
        }
        try {
            return retention.run(Instant.now().plus(Duration.ofDays(400)));
        } finally {
            for (String h : marked) {
                jdbc.update("delete from film_use where info_hash = ?", h);
            }
        }
    }

    @Test
    void keptSegmentsStayWhileTheRemovalIsOnlyAskedOfTheOwnerAndGoWhenTheDownloadIsRemoved() throws Exception {
        Path kept = DATA_DIR.resolve("media").resolve(".hls").resolve(hash).resolve("a0-HIGH").resolve("seg-00000.m4s");
        Files.createDirectories(kept.getParent());
        Files.write(kept, new byte[100]);
        jdbc.update("insert into download_leases (info_hash, owner, address, expires_at) values (?, 'elsewhere', "
                + "'http://127.0.0.1:9', current_timestamp + interval '1' hour)", hash);
        assertThat(retentionOfThisFilmOnly()).isEmpty();   // another live instance runs it: only asked of it
        assertThat(kept).exists();
        assertThat(repository.findByInfoHash(hash)).isPresent();

        jdbc.update("delete from download_leases where info_hash = ?", hash);   // the owner is gone
        assertThat(retentionOfThisFilmOnly()).containsExactly(hash);
        assertThat(kept.getParent().getParent()).doesNotExist();
    }

    @Test
    void aSignedRequestOnTheClusterListenerGetsTheRangeAsked() throws Exception {
        HttpResponse<byte[]> r = get(listener.address(), "/cluster/media/" + hash,
                sign(CLUSTER_SECRET, 0, "/cluster/media/" + hash, "bytes=1000-1999"), "bytes=1000-1999");
        assertThat(r.statusCode()).isEqualTo(206);
        assertThat(r.body()).isEqualTo(Arrays.copyOfRange(film, 1000, 2000));

        HttpResponse<byte[]> status = get(listener.address(), "/cluster/media/" + hash + "/status?from=1000",
                sign(CLUSTER_SECRET, 0, "/cluster/media/" + hash + "/status?from=1000"), null);
        assertThat(new String(status.body())).startsWith((film.length - 1000) + " ");
    }

    @Test
    void noSecretAWrongOneOrAnOldSignatureGetsNothing() throws Exception {
        String path = "/cluster/media/" + hash;
        assertThat(get(listener.address(), path, null, null).statusCode()).isEqualTo(401);
        assertThat(get(listener.address(), path, sign("another-secret-of-enough-length-000000", 0), null).statusCode())
                .isEqualTo(401);
        assertThat(get(listener.address(), path, sign(CLUSTER_SECRET, -120), null).statusCode()).isEqualTo(401);
        // A signature is for one path: the same one on another film's path is refused.
        assertThat(get(listener.address(), "/cluster/media/" + "0".repeat(40), sign(CLUSTER_SECRET, 0), null)
                .statusCode()).isEqualTo(401);
    }

    @Test
    void aSignatureIsForOneRangeToOneInstance() throws Exception {
        String path = "/cluster/media/" + hash;
        String signed = sign(CLUSTER_SECRET, 0, path, "bytes=0-99");
        assertThat(get(listener.address(), path, signed, "bytes=0-99").statusCode()).isEqualTo(206);
        // Replayed with another range, or made for another instance: refused.
        assertThat(get(listener.address(), path, signed, "bytes=100-199999").statusCode()).isEqualTo(401);
        assertThat(get(listener.address(), path, signed, null).statusCode()).isEqualTo(401);
        String elsewhere = sign(CLUSTER_SECRET, 0, "http://10.0.0.9:8081", path, "bytes=0-99");
        assertThat(get(listener.address(), path, elsewhere, "bytes=0-99").statusCode()).isEqualTo(401);
    }

    @Test
    void thePublicPortHasNoClusterRoutesAndTheClusterListenerNothingElse() throws Exception {
        String path = "/cluster/media/" + hash;
        assertThat(get("http://127.0.0.1:" + port, path, sign(CLUSTER_SECRET, 0), null).statusCode()).isEqualTo(404);
        assertThat(get(listener.address(), "/login", null, null).statusCode()).isEqualTo(404);
        assertThat(get(listener.address(), "/films/1/stream", null, null).statusCode()).isEqualTo(404);
    }

    @Test
    void encodedPathsOnThePublicPortReachNeitherTheClusterNorTheInternalRoutes() throws Exception {
        String token = internalMedia.url(hash).substring(internalMedia.url(hash).lastIndexOf('/') + 1);
        String publicBase = "http://127.0.0.1:" + port;
        for (String path : new String[] {"/%63luster/media/" + hash, "/%63luster/media/" + hash + "/status",
                "/cl%75ster/media/" + hash, "/;x/cluster/media/" + hash, "/cluster;x/media/" + hash,
                "/%69nternal/media/" + token, "/;x/internal/media/" + token, "/internal;x/media/" + token}) {
            // Signed as the owner would sign it: only the port keeps it out, not the missing signature.
            HttpResponse<byte[]> r = get(publicBase, path, sign(CLUSTER_SECRET, 0, path, "bytes=0-99"), "bytes=0-99");
            assertThat(r.statusCode()).as(path).isIn(400, 404);
            assertThat(r.body()).as(path).isNotEqualTo(Arrays.copyOfRange(film, 0, 100));
        }
    }

    @Test
    void onlyAnInfoHashNamesAFileNeverAPath() throws Exception {
        // Correctly signed for the path sent: refused for what the path is, not for the signature.
        for (String path : new String[] {"/cluster/media/" + hash + "/../../../etc/passwd", "/cluster/media/..%2F..%2Fetc%2Fpasswd",
                "/cluster/media/" + hash.toUpperCase(), "/cluster/media/%2e%2e/%2e%2e/etc/passwd"}) {
            HttpResponse<byte[]> r = get(listener.address(), path, sign(CLUSTER_SECRET, 0, path), null);
            assertThat(r.statusCode()).as(path).isIn(400, 404);
        }
    }

    private String sign(String secret, long shiftSeconds) {
        return sign(secret, shiftSeconds, "/cluster/media/" + hash);
    }

    private String sign(String secret, long shiftSeconds, String path) {
        return sign(secret, shiftSeconds, path, null);
    }

    /** Signed as an instance signs a request to this one (its cluster address) for {@code path} and {@code range}. */
    private String sign(String secret, long shiftSeconds, String path, String range) {
        return sign(secret, shiftSeconds, listener.address(), path, range);
    }

    private static String sign(String secret, long shiftSeconds, String target, String path, String range) {
        Clock at = Clock.offset(Clock.systemUTC(), Duration.ofSeconds(shiftSeconds));
        return new ClusterAuth(new LeaseProperties(null, "", "", secret), at).sign("GET", target, path, range);
    }

    private HttpResponse<byte[]> get(String base, String path, String signature, String range) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).GET();
        if (signature != null) {
            b.header(ClusterAuth.HEADER, signature);
        }
        if (range != null) {
            b.header("Range", range);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }
}
