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
        repository.findByInfoHash(hash).ifPresent(d -> downloads.remove(d, "test over"));
    }

    @Test
    void aSignedRequestOnTheClusterListenerGetsTheRangeAsked() throws Exception {
        HttpResponse<byte[]> r = get(listener.address(), "/cluster/media/" + hash, sign(CLUSTER_SECRET, 0), "bytes=1000-1999");
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
    void thePublicPortHasNoClusterRoutesAndTheClusterListenerNothingElse() throws Exception {
        String path = "/cluster/media/" + hash;
        assertThat(get("http://127.0.0.1:" + port, path, sign(CLUSTER_SECRET, 0), null).statusCode()).isEqualTo(404);
        assertThat(get(listener.address(), "/login", null, null).statusCode()).isEqualTo(404);
        assertThat(get(listener.address(), "/films/1/stream", null, null).statusCode()).isEqualTo(404);
    }

    @Test
    void onlyAnInfoHashNamesAFileNeverAPath() throws Exception {
        for (String path : new String[] {"/cluster/media/" + hash + "/../../../etc/passwd", "/cluster/media/..%2F..%2Fetc%2Fpasswd",
                "/cluster/media/" + hash.toUpperCase()}) {
            int status = get(listener.address(), path, sign(CLUSTER_SECRET, 0, path), null).statusCode();
            assertThat(status).as(path).isIn(400, 401, 404);
        }
    }

    private String sign(String secret, long shiftSeconds) {
        return sign(secret, shiftSeconds, "/cluster/media/" + hash);
    }

    private static String sign(String secret, long shiftSeconds, String path) {
        Clock at = Clock.offset(Clock.systemUTC(), Duration.ofSeconds(shiftSeconds));
        return new ClusterAuth(new LeaseProperties(null, "", "", secret), at).sign("GET", path);
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
