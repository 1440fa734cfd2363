package org.hypertube.api;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.util.List;
import org.hypertube.catalog.Catalog;
import org.hypertube.comment.CommentService;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

@RestController
@RequestMapping("/api/movies")
@Tag(name = "movies")
@SecurityRequirement(name = "oauth2")
class MoviesApi {

    private final Catalog catalog;
    private final CommentService comments;
    private final org.hypertube.playback.AvailableSubtitles subtitles;

    MoviesApi(Catalog catalog, CommentService comments, org.hypertube.playback.AvailableSubtitles subtitles) {
        this.catalog = catalog;
        this.comments = comments;
        this.subtitles = subtitles;
    }

    record MovieSummary(long id, String name) {
    }

    /** {@code subtitles}: languages available; empty until the film has been prepared for playing here. */
    record Movie(long id, String name, Double imdbRating, Integer year, Integer length, List<String> subtitles,
                 long comments) {
    }

    record FrontPage(List<MovieSummary> items, int page, boolean incomplete, boolean hasMore) {
    }

    @GetMapping
    @Operation(summary = "The front page's films (popular first), page by page")
    FrontPage list(@RequestParam(defaultValue = "1") @Min(1) @Max(50) int page) {
        var result = catalog.popular(page);
        return new FrontPage(result.films().stream().map(f -> new MovieSummary(f.getId(), f.getTitle())).toList(), page,
                result.incomplete(), result.hasMore());
    }

    @GetMapping("/{id}")
    @Operation(summary = "One film")
    Movie get(@PathVariable long id) {
        var film = catalog.find(id).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "No such film."));
        return new Movie(film.getId(), film.getTitle(), film.getRating(), film.getYear(), film.getRuntimeMinutes(),
                subtitles.languages(id), comments.countForFilm(id));
    }
}
