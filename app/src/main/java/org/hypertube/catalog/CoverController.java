package org.hypertube.catalog;

import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;

/** A film's cover and backdrop for the site's pages. */
@Controller
class CoverController {

    private final Covers covers;

    CoverController(Covers covers) {
        this.covers = covers;
    }

    @GetMapping("/films/{id}/cover")
    ResponseEntity<?> cover(@PathVariable long id) {
        return covers.cover(id);
    }

    @GetMapping("/films/{id}/backdrop")
    ResponseEntity<?> backdrop(@PathVariable long id) {
        return covers.backdrop(id);
    }
}
