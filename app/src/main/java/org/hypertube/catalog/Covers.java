package org.hypertube.catalog;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.hypertube.system.OutsideFetch;
import org.hypertube.system.PictureDecoder;
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
 * Images are fetched once through {@link OutsideFetch} (never from an inside address, redirects included,
 * never from https to http; size-capped; checked to decode as an image within {@link PictureDecoder}'s bounds) and
 * kept in a bounded memory cache.
 */
@Component
public class Covers {

    private static final Logger log = LoggerFactory.getLogger(Covers.class);
    private static final int MAX_BYTES = 3 * 1024 * 1024;

    private record Image(byte[] bytes, MediaType type) {
    }

    private final Catalog catalog;
    private final OutsideFetch http;
    private final PictureDecoder decoder;
    private final Cache<String, Optional<Image>> images = Caffeine.newBuilder()
            .maximumWeight(64L * 1024 * 1024)
            .weigher((String url, Optional<Image> image) -> image.map(i -> i.bytes().length).orElse(0) + 100)
            .expireAfterWrite(Duration.ofHours(6))
            .build();

    Covers(Catalog catalog, OutsideFetch http, PictureDecoder decoder) {
        this.catalog = catalog;
        this.http = http;
        this.decoder = decoder;
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
            OutsideFetch.Answer response = http.get(URI.create(url), Map.of(), Duration.ofSeconds(6), MAX_BYTES);
            String type = response.contentType();
            if (response.status() != 200 || !type.startsWith("image/") || type.contains("svg")) {
                log.info("cover {} not usable: HTTP {} {}", url, response.status(), type);
                return Optional.empty();
            }
            byte[] bytes = response.body();
            decoder.decode(bytes);
            return Optional.of(new Image(bytes, MediaType.parseMediaType(type.split(";")[0])));
        } catch (PictureDecoder.RefusedPicture e) {
            log.info("cover {} refused: {}", url, e.getMessage());
            return Optional.empty();
        } catch (OutsideFetch.InsideAddressException e) {
            log.warn("cover {} refused: {}", url, e.getMessage());
            return Optional.empty();
        } catch (IOException | IllegalArgumentException e) {
            log.info("cover {} could not be fetched: {}", url, e.getMessage());
            return Optional.empty();
        }
    }
}
