package org.hypertube.catalog;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.ClassPathResource;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ResponseStatusException;

/**
 * Film covers and backdrops, served from our own address (for the site and the API): members' browsers never contact the
 * image hosts (their addresses stay private), and the content security policy can stay 'self'.
 * Images are fetched once (redirects followed, never from https to http; size-capped; checked to decode
 * as an image) and
 * kept in a bounded memory cache.
 */
@Component
public class Covers {

    private static final Logger log = LoggerFactory.getLogger(Covers.class);
    private static final int MAX_BYTES = 3 * 1024 * 1024;

    private record Image(byte[] bytes, MediaType type) {
    }

    private final Catalog catalog;
    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(3)).followRedirects(HttpClient.Redirect.NORMAL).build();
    private final Cache<String, Optional<Image>> images = Caffeine.newBuilder()
            .maximumWeight(64L * 1024 * 1024)
            .weigher((String url, Optional<Image> image) -> image.map(i -> i.bytes().length).orElse(0) + 100)
            .expireAfterWrite(Duration.ofHours(6))
            .build();

    Covers(Catalog catalog) {
        this.catalog = catalog;
    }

    /** The film's cover (a placeholder when it has none or it cannot be fetched); 404 for an unknown film. */
    public ResponseEntity<?> cover(long id) {
        return serve(catalog.find(id).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND)).getCoverUrl());
    }

    public ResponseEntity<?> backdrop(long id) {
        return serve(catalog.find(id).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND)).getBackdropUrl());
    }

    private ResponseEntity<?> serve(String url) {
        Optional<Image> image = url == null ? Optional.empty() : images.get(url, this::fetch);
        if (image.isEmpty()) {
            return ResponseEntity.ok().contentType(MediaType.valueOf("image/svg+xml"))
                    .cacheControl(CacheControl.maxAge(10, TimeUnit.MINUTES).cachePrivate())
                    .body(new ClassPathResource("static/img/no-cover.svg"));
        }
        return ResponseEntity.ok().contentType(image.get().type())
                .cacheControl(CacheControl.maxAge(1, TimeUnit.DAYS).cachePrivate())
                .body(image.get().bytes());
    }

    private Optional<Image> fetch(String url) {
        try {
            var request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(6)).GET().build();
            HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = response.body()) {
                String type = response.headers().firstValue("Content-Type").orElse("");
                if (response.statusCode() != 200 || !type.startsWith("image/") || type.contains("svg")) {
                    log.info("cover {} not usable: HTTP {} {}", url, response.statusCode(), type);
                    return Optional.empty();
                }
                byte[] bytes = body.readNBytes(MAX_BYTES + 1);
                if (bytes.length > MAX_BYTES || ImageIO.read(new ByteArrayInputStream(bytes)) == null) {
                    log.info("cover {} refused: too large or not an image", url);
                    return Optional.empty();
                }
                return Optional.of(new Image(bytes, MediaType.parseMediaType(type.split(";")[0])));
            }
        } catch (IOException | IllegalArgumentException e) {
            log.info("cover {} could not be fetched: {}", url, e.getMessage());
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
