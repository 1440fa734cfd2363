package org.hypertube.playback;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.hypertube.catalog.Catalog;
import org.springframework.core.io.FileSystemResource;
import org.springframework.core.io.Resource;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * A film's seek-bar thumbnails for the player ({@link FilmThumbnails}), behind the session like the film
 * itself: the WebVTT index, whose cues name sheets relative to it with their version
 * ({@code thumbnails/0.jpg?v=1a2b3c4d#xywh=...}), and the sheets. While a film downloads, the index lists the
 * sheets made from its verified beginning so far. 404 while none are made. A sheet is named by a number of at
 * most three digits, never a path; its version is only for the browser's cache.
 */
@RestController
class ThumbnailsController {

    private static final MediaType VTT = MediaType.parseMediaType("text/vtt;charset=UTF-8");

    private final FilmThumbnails thumbnails;
    private final Catalog catalog;

    ThumbnailsController(FilmThumbnails thumbnails, Catalog catalog) {
        this.thumbnails = thumbnails;
        this.catalog = catalog;
    }

    /** Revalidated on each use: more sheets come while the film downloads, and it may be fetched again. */
    @GetMapping("/films/{id}/thumbnails.vtt")
    ResponseEntity<Resource> index(@PathVariable long id) {
        return file(id, thumbnails.index(id), VTT, CacheControl.noCache().cachePrivate());
    }

    /** Kept by the browser for a day: the index names it with a version that changes with its bytes. */
    @GetMapping("/films/{id}/thumbnails/{sheet:\\d{1,3}}.jpg")
    ResponseEntity<Resource> sheet(@PathVariable long id, @PathVariable int sheet) {
        return file(id, thumbnails.sheet(id, sheet), MediaType.IMAGE_JPEG,
                CacheControl.maxAge(Duration.ofDays(1)).cachePrivate());
    }

    private ResponseEntity<Resource> file(long id, Optional<Path> found, MediaType type, CacheControl cache) {
        if (!catalog.exists(id) || found.isEmpty()) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND);
        }
        Path path = found.get();
        long modified;
        try {
            modified = Files.getLastModifiedTime(path).toMillis();
        } catch (java.io.IOException e) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND);   // deleted with its film meanwhile
        }
        return ResponseEntity.ok().contentType(type).cacheControl(cache).lastModified(modified)
                .body(new FileSystemResource(path));
    }
}
