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
 * itself: the WebVTT index, whose cues name sheets relative to it ({@code thumbnails/0.jpg#xywh=...}), and
 * the sheets. 404 while none are made. A sheet is named by a number of at most three digits, never a path.
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

    /** Revalidated on each use: the film may be deleted and fetched again from another torrent. */
    @GetMapping("/films/{id}/thumbnails.vtt")
    ResponseEntity<Resource> index(@PathVariable long id) {
        return file(id, thumbnails.index(id), VTT, CacheControl.noCache().cachePrivate());
    }

    /** A sheet does not change while its index stands: kept by the browser for a day. */
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
