package org.hypertube.playback;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Optional;
import org.hypertube.torrent.InfoHash;
import org.hypertube.torrent.Metainfo;
import org.hypertube.torrent.MetainfoException;
import org.springframework.stereotype.Component;

/**
 * .torrent files: fetched from a source's URL (bounded in size and time) or uploaded by an operator,
 * and kept as {@code <media>/.torrents/<info-hash>.torrent} so a restart re-adds them without asking again.
 */
@Component
class TorrentFiles {

    /** Larger than any film's torrent; a bigger answer is not a torrent we want. */
    static final int MAX_BYTES = 8 << 20;

    private final Engine engine;
    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();

    TorrentFiles(Engine engine) {
        this.engine = engine;
    }

    /** Downloads a .torrent from a source and checks it parses; the failure names what went wrong. */
    byte[] fetch(String url) throws IOException {
        URI uri = URI.create(url);
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
            throw new IOException("not an http(s) torrent URL");
        }
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20))
                .header("User-Agent", "Hypertube").GET().build();
        try {
            HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = response.body()) {
                if (response.statusCode() != 200) {
                    throw new IOException("torrent URL answered HTTP " + response.statusCode());
                }
                byte[] bytes = body.readNBytes(MAX_BYTES + 1);
                if (bytes.length > MAX_BYTES) {
                    throw new IOException("torrent file larger than " + (MAX_BYTES >> 20) + " MiB");
                }
                parse(bytes);
                return bytes;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while fetching the torrent file", e);
        }
    }

    static Metainfo parse(byte[] bytes) throws IOException {
        try {
            return Metainfo.parse(bytes);
        } catch (MetainfoException | IllegalArgumentException e) {
            throw new IOException("not a valid torrent file: " + e.getMessage(), e);
        }
    }

    void keep(Metainfo metainfo, byte[] bytes) throws IOException {
        Path file = path(metainfo.infoHash());
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.write(tmp, bytes);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    Optional<Metainfo> kept(String infoHash) {
        Path file = path(InfoHash.parse(infoHash));
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(parse(Files.readAllBytes(file)));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    void forget(String infoHash) {
        try {
            Files.deleteIfExists(path(InfoHash.parse(infoHash)));
        } catch (IOException e) {
            // retention tries again next time
        }
    }

    private Path path(InfoHash hash) {
        return engine.mediaDir().resolve(".torrents").resolve(hash.hex() + ".torrent");
    }
}
