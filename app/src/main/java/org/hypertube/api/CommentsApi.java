package org.hypertube.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.time.Instant;
import java.util.Set;
import org.hypertube.account.AccountService;
import org.hypertube.catalog.Catalog;
import org.hypertube.comment.Comment;
import org.hypertube.comment.CommentService;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

@RestController
@Tag(name = "comments")
@SecurityRequirement(name = "oauth2")
class CommentsApi {

    private final CommentService comments;
    private final AccountService accounts;
    private final Catalog catalog;

    CommentsApi(CommentService comments, AccountService accounts, Catalog catalog) {
        this.comments = comments;
        this.accounts = accounts;
        this.catalog = catalog;
    }

    record CommentView(long id, @JsonProperty("movie_id") long movieId, String author, Instant date, String content) {
    }

    record NewComment(@NotBlank @Size(max = 1000) String comment, @NotNull @JsonProperty("movie_id") Long movieId) {
    }

    record CommentText(@NotBlank @Size(max = 1000) String comment) {
    }

    @GetMapping("/api/comments")
    @Operation(summary = "The latest comments, newest first")
    PageOf<CommentView> latest(@RequestParam(defaultValue = "0") @Min(0) @Max(100_000) int page,
                               @RequestParam(defaultValue = "20") @Min(1) @Max(100) int size) {
        return views(comments.latest(page, size));
    }

    @GetMapping("/api/comments/{id}")
    @Operation(summary = "One comment")
    CommentView get(@PathVariable long id) {
        return view(find(id));
    }

    @PostMapping("/api/comments")
    @Operation(summary = "Comment on a film")
    ResponseEntity<CommentView> post(@Valid @RequestBody NewComment body, @AuthenticationPrincipal Jwt jwt) {
        return created(body.movieId(), body.comment(), jwt);
    }

    @GetMapping("/api/movies/{movieId}/comments")
    @Operation(summary = "A film's comments, newest first")
    PageOf<CommentView> forMovie(@PathVariable long movieId, @RequestParam(defaultValue = "0") @Min(0) @Max(100_000) int page,
                                 @RequestParam(defaultValue = "20") @Min(1) @Max(100) int size) {
        if (!catalog.exists(movieId)) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND, "No such film.");
        }
        return views(comments.forFilm(movieId, page, size));
    }

    @PostMapping("/api/movies/{movieId}/comments")
    @Operation(summary = "Comment on this film")
    ResponseEntity<CommentView> postOnMovie(@PathVariable long movieId, @Valid @RequestBody CommentText body,
                                            @AuthenticationPrincipal Jwt jwt) {
        return created(movieId, body.comment(), jwt);
    }

    @PatchMapping("/api/comments/{id}")
    @Operation(summary = "Change one's own comment")
    CommentView edit(@PathVariable long id, @Valid @RequestBody CommentText body, @AuthenticationPrincipal Jwt jwt) {
        find(id);
        return view(comments.edit(id, Caller.of(jwt).member(), body.comment()));
    }

    @DeleteMapping("/api/comments/{id}")
    @Operation(summary = "Delete a comment (its author or an administrator)")
    ResponseEntity<Void> delete(@PathVariable long id, @AuthenticationPrincipal Jwt jwt) {
        find(id);
        var caller = Caller.of(jwt);
        comments.delete(id, caller.member(), caller.admin());
        return ResponseEntity.noContent().build();
    }

    private ResponseEntity<CommentView> created(long movieId, String text, Jwt jwt) {
        Comment comment = comments.post(movieId, Caller.of(jwt).member(), text);
        return ResponseEntity.created(URI.create("/api/comments/" + comment.getId())).body(view(comment));
    }

    private PageOf<CommentView> views(org.springframework.data.domain.Page<Comment> found) {
        var names = accounts.usernames(Set.copyOf(found.map(Comment::getMemberId).toList()));
        return PageOf.of(found.map(c -> view(c, names.getOrDefault(c.getMemberId(), "?"))));
    }

    private Comment find(long id) {
        return comments.find(id).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "No such comment."));
    }

    private CommentView view(Comment c) {
        return view(c, accounts.usernames(Set.of(c.getMemberId())).getOrDefault(c.getMemberId(), "?"));
    }

    private static CommentView view(Comment c, String author) {
        return new CommentView(c.getId(), c.getFilmId(), author, c.getCreatedAt(), c.getBody());
    }
}
