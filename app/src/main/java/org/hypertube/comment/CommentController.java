package org.hypertube.comment;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import org.hypertube.account.AccountService;
import org.hypertube.account.MemberPrincipal;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** The comments under a film: read (newest first, page by page), post, edit and delete one's own. */
@Controller
class CommentController {

    private final CommentService comments;
    private final AccountService accounts;
    private final org.hypertube.catalog.Catalog catalog;

    CommentController(CommentService comments, AccountService accounts, org.hypertube.catalog.Catalog catalog) {
        this.comments = comments;
        this.accounts = accounts;
        this.catalog = catalog;
    }

    /** A comment as shown: author's name, date in the reader's locale, and what the reader may do with it. */
    record Shown(long id, long authorId, String author, String date, boolean edited, String body, boolean mine, boolean deletable) {
    }

    @GetMapping("/films/{filmId}/comments")
    String list(@PathVariable long filmId, @RequestParam(defaultValue = "0") int page,
                @RequestHeader(name = "HX-Request", required = false) String htmx,
                @AuthenticationPrincipal MemberPrincipal me, Locale locale, Model model) {
        var found = comments.forFilm(filmId, Math.min(page, 10_000));
        var names = accounts.usernames(new HashSet<>(found.map(Comment::getMemberId).toList()));
        var format = DateTimeFormatter.ofLocalizedDateTime(FormatStyle.MEDIUM, FormatStyle.SHORT)
                .withLocale(locale).withZone(ZoneId.of("UTC"));
        List<Shown> shown = found.map(c -> new Shown(c.getId(), c.getMemberId(),
                names.getOrDefault(c.getMemberId(), "?"), format.format(c.getCreatedAt()) + " UTC",
                c.getEditedAt() != null, c.getBody(), c.getMemberId() == me.id(),
                c.getMemberId() == me.id() || me.admin())).toList();
        model.addAttribute("filmId", filmId);
        model.addAttribute("comments", shown);
        model.addAttribute("total", found.getTotalElements());
        model.addAttribute("nextPage", found.hasNext() ? page + 1 : -1);
        model.addAttribute("firstPage", page == 0);
        model.addAttribute("maxLength", CommentService.MAX_LENGTH);
        if (htmx == null) {
            return "comment/page";
        }
        return page == 0 ? "comment/comments :: section" : "comment/comments :: items";
    }

    /** A member's latest comments, shown on their profile (loaded by the profile page). */
    @GetMapping("/users/{memberId}/comments")
    String byMember(@PathVariable long memberId, Locale locale, Model model) {
        var format = DateTimeFormatter.ofLocalizedDateTime(FormatStyle.MEDIUM, FormatStyle.SHORT)
                .withLocale(locale).withZone(ZoneId.of("UTC"));
        var latest = comments.byMember(memberId, 10).getContent();
        var titles = catalog.titles(latest.stream().map(Comment::getFilmId).collect(java.util.stream.Collectors.toSet()));
        model.addAttribute("memberComments", latest.stream().map(c -> new OnFilm(c.getFilmId(),
                titles.getOrDefault(c.getFilmId(), "?"), format.format(c.getCreatedAt()) + " UTC", c.getBody())).toList());
        return "comment/comments :: byMember";
    }

    /** A comment as a member's profile lists it: on which film, when, what. */
    record OnFilm(long filmId, String film, String date, String body) {
    }

    @PostMapping("/films/{filmId}/comments")
    String post(@PathVariable long filmId, @RequestParam(defaultValue = "") String body,
                @AuthenticationPrincipal MemberPrincipal me, RedirectAttributes redirect) {
        try {
            comments.post(filmId, me.id(), body);
        } catch (CommentService.Refused e) {
            redirect.addFlashAttribute("commentError", e.code);
        }
        return "redirect:/films/" + filmId + "#comments";
    }

    @GetMapping("/comments/{id}/edit")
    String editForm(@PathVariable long id, @AuthenticationPrincipal MemberPrincipal me, Model model) {
        Comment comment = comments.get(id);
        if (comment.getMemberId() != me.id()) {
            throw new ResponseStatusException(HttpStatus.FORBIDDEN);
        }
        model.addAttribute("comment", comment);
        model.addAttribute("maxLength", CommentService.MAX_LENGTH);
        return "comment/edit";
    }

    @PostMapping("/comments/{id}")
    String edit(@PathVariable long id, @RequestParam(defaultValue = "") String body,
                @AuthenticationPrincipal MemberPrincipal me, Model model) {
        try {
            Comment comment = comments.edit(id, me.id(), body);
            return "redirect:/films/" + comment.getFilmId() + "#comments";
        } catch (CommentService.Refused e) {
            if ("comment.notFound".equals(e.code)) {
                throw e;
            }
            model.addAttribute("comment", comments.get(id));
            model.addAttribute("maxLength", CommentService.MAX_LENGTH);
            model.addAttribute("commentError", e.code);
            return "comment/edit";
        }
    }

    @PostMapping("/comments/{id}/delete")
    String delete(@PathVariable long id, @AuthenticationPrincipal MemberPrincipal me) {
        long filmId = comments.delete(id, me.id(), me.admin());
        return "redirect:/films/" + filmId + "#comments";
    }

    @ExceptionHandler(CommentService.Forbidden.class)
    @ResponseStatus(HttpStatus.FORBIDDEN)
    String forbidden() {
        return "error/403";
    }

    @ExceptionHandler(CommentService.Refused.class)
    @ResponseStatus(HttpStatus.NOT_FOUND)
    String notFound() {
        return "error/404";
    }
}
