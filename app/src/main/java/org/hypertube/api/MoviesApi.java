package org.hypertube.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.util.Arrays;
import java.util.List;
import org.hypertube.catalog.Catalog;
import org.hypertube.catalog.Covers;
import org.hypertube.catalog.Film;
import org.hypertube.catalog.FilmTorrent;
import org.hypertube.comment.CommentService;
import org.hypertube.playback.AvailableSubtitles;
import org.hypertube.playback.FilmDownloads;
import org.hypertube.system.SiteLinks;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
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
    private final AvailableSubtitles subtitles;
    private final FilmDownloads downloads;
    private final MovieAdditions additions;
    private final Covers covers;
    private final SiteLinks links;

    MoviesApi(Catalog catalog, CommentService comments, AvailableSubtitles subtitles, FilmDownloads downloads,
              MovieAdditions additions, Covers covers, SiteLinks links) {
        this.catalog = catalog;
        this.comments = comments;
        this.subtitles = subtitles;
        this.downloads = downloads;
        this.additions = additions;
        this.covers = covers;
        this.links = links;
    }

    /** A film as the front page shows it. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record MovieSummary(long id, String name, Integer year, Double imdbRating, String coverUrl) {
    }

    record FrontPage(List<MovieSummary> items, int page, boolean incomplete, boolean hasMore) {
    }

    /** One copy a source offers: {@code seeders} and {@code leechers} as the source last said (-1: unknown). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Copy(String quality, long sizeBytes, int seeders, int leechers, String source) {
    }

    /** Where the calling member is in the film. */
    record Watch(int positionSeconds, boolean watched) {
    }

    /**
     * Everything the film page shows. {@code subtitles}: languages available, empty until the film has been
     * prepared for playing here; {@code watch}: only for a token that acts for a member who started the film.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Movie(long id, String imdbId, String name, Integer year, Integer length, Double imdbRating, String summary,
                 List<String> genres, List<String> directors, List<String> producers, List<String> cast,
                 String coverUrl, List<Copy> copies, List<String> subtitles, long comments, Watch watch,
                 boolean incomplete) {
    }

    @GetMapping
    @Operation(summary = "The front page's films (popular first), page by page (from 1)")
    FrontPage list(@RequestParam(defaultValue = "1") @Min(1) @Max(50) int page) {
        var result = catalog.popular(page);
        return new FrontPage(result.films().stream().map(this::summary).toList(), page, result.incomplete(),
                result.hasMore());
    }

    @GetMapping("/{id}")
    @Operation(summary = "One film, with all the site knows of it")
    Movie get(@PathVariable long id, @AuthenticationPrincipal Jwt jwt) {
        var details = catalog.details(id).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "No such film."));
        Film film = details.film();
        Caller caller = Caller.of(jwt);
        Watch watch = caller.memberId() == null ? null : downloads.watchState(caller.memberId(), id)
                .map(w -> new Watch(w.positionSeconds(), w.watched())).orElse(null);
        return new Movie(film.getId(), film.getImdbId(), film.getLocalTitle(), film.getYear(), film.getRuntimeMinutes(),
                film.getRating(), film.getLocalSummary(), film.getGenres(), names(film.getDirector()), film.getProducers(),
                film.getCast(), coverUrl(id), details.torrents().stream().map(MoviesApi::copy).toList(),
                subtitles.languages(id), comments.countForFilm(id), watch, details.incomplete());
    }

    @GetMapping("/{id}/cover")
    @Operation(summary = "The film's cover image (a placeholder when it has none)")
    ResponseEntity<?> cover(@PathVariable long id) {
        return covers.cover(id);
    }

    @PostMapping
    @Operation(summary = "Add a film and start its download (administrators)", description = """
            Either `magnet` (with `movieId` to add it as a copy of a film of the catalog, else `title` and `year` \
            to make a new entry), or `source` and `sourceId` (a film one source knows by its id; `source` `imdb` \
            asks every source by IMDb id). Answers 202 with the film's address in Location: the download goes on.""")
    ResponseEntity<MovieAdditions.Added> add(@Valid @RequestBody MovieAdditions.NewMovie body, @AuthenticationPrincipal Jwt jwt) {
        long member = admin(jwt);
        MovieAdditions.Added added = additions.add(body, member);
        return ResponseEntity.accepted().location(java.net.URI.create("/api/movies/" + added.id())).body(added);
    }

    @DeleteMapping("/{id}")
    @Operation(summary = "Stop the film's download and delete its files; the catalog entry stays (administrators)")
    ResponseEntity<Void> delete(@PathVariable long id, @AuthenticationPrincipal Jwt jwt) {
        admin(jwt);
        if (!catalog.exists(id)) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND, "No such film.");
        }
        downloads.stop(id, "removed by an administrator through the API");
        return ResponseEntity.noContent().build();
    }

    private static long admin(Jwt jwt) {
        Caller caller = Caller.of(jwt);
        long member = caller.member();
        if (!caller.admin()) {
            throw new ResponseStatusException(HttpStatus.FORBIDDEN, "Only administrators may do that.");
        }
        return member;
    }

    private MovieSummary summary(Film f) {
        return new MovieSummary(f.getId(), f.getLocalTitle(), f.getYear(), f.getRating(), coverUrl(f.getId()));
    }

    private String coverUrl(long id) {
        return links.link("/api/movies/" + id + "/cover");
    }

    private static Copy copy(FilmTorrent t) {
        return new Copy(t.getQuality(), t.getSizeBytes(), t.getSeeds(), t.getPeers(), t.getSource());
    }

    /** Sources give several directors as one text, "A, B". */
    static List<String> names(String joined) {
        return joined == null ? List.of() : Arrays.stream(joined.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }
}
