package org.hypertube.catalog;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.server.ResponseStatusException;

/** A film's page: what it is, who made it, which torrents offer it, and (loaded after) its comments. */
@Controller
class FilmController {

    private final Catalog catalog;

    FilmController(Catalog catalog) {
        this.catalog = catalog;
    }

    @GetMapping("/films/{id}")
    String film(@PathVariable long id, Model model) {
        var details = catalog.details(id).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND));
        model.addAttribute("film", details.film());
        model.addAttribute("torrents", details.torrents());
        model.addAttribute("incomplete", details.incomplete());
        return "catalog/film";
    }

    /** The subject's addresses, for a browser (programs get the API there): the library and a film's page. */
    @GetMapping("/movies")
    String movies() {
        return "redirect:/";
    }

    @GetMapping("/movies/{id}")
    String movie(@PathVariable long id) {
        return "redirect:/films/" + id;
    }
}
