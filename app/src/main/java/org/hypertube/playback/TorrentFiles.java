package org.hypertube.playback;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.hypertube.system.OutsideFetch;
import org.hypertube.torrent.InfoHash;
import org.hypertube.torrent.Metainfo;
import org.hypertube.torrent.MetainfoException;
import org.springframework.stereotype.Component;

/**
 * .torrent files: fetched from a source's URL (bounded in size and time, never from an inside address:
 * {@link OutsideFetch}) or uploaded by an operator,
 * and kept as {@code <media>/.torrents/<info-hash>.torrent} so a restart re-adds them without asking again.
 */
@Component
class TorrentFiles {

    /** Larger than any film's torrent; a bigger answer is not a torrent we want. */
    static final int MAX_BYTES = 8 << 20;

    private final Engine engine;
    private final OutsideFetch http;

    TorrentFiles(Engine engine, OutsideFetch http) {
        this.engine = engine;
        this.http = http;
    }

    /** Downloads a .torrent from a source and checks it parses; the failure names what went wrong. */
    byte[] fetch(String url) throws IOException {
        URI uri = URI.create(url);
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
            throw new IOException("not an http(s) torrent URL");
        }
        OutsideFetch.Answer response;
        try {
            response = http.get(uri, Map.of("User-Agent", "Hypertube"), Duration.ofSeconds(20), MAX_BYTES);
        } catch (OutsideFetch.TooLargeException e) {
            throw new IOException("torrent file larger than " + (MAX_BYTES >> 20) + " MiB");
        }
        if (response.status() != 200) {
            throw new IOException("torrent URL answered HTTP " + response.status());
        }
        parse(response.body());
        return response.body();
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
