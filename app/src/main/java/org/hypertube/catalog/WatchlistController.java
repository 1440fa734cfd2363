package org.hypertube.catalog;

import org.hypertube.account.MemberPrincipal;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The signed-in member's watchlist: its page, and adding or removing a film from any card or film page.
 * A plain form post (back to the page it came from), or an htmx one answered with the button's new state.
 * Only ever the member's own list: the member comes from the session, never from the request.
 */
@Controller
class WatchlistController {

    static final int PAGE = 60;

    private final Watchlist watchlist;
    private final Catalog catalog;
    private final WatchMarks marks;

    WatchlistController(Watchlist watchlist, Catalog catalog, WatchMarks marks) {
        this.watchlist = watchlist;
        this.catalog = catalog;
        this.marks = marks;
    }

    @GetMapping("/watchlist")
    String page(@RequestParam(defaultValue = "0") int page, @AuthenticationPrincipal MemberPrincipal me,
                java.security.Principal member, Model model) {
        int number = Math.max(0, Math.min(page, Watchlist.MAX_FILMS / PAGE));
        var shelf = watchlist.films(me.id(), number, PAGE);
        model.addAttribute("films", shelf.films());
        model.addAttribute("nextPage", shelf.hasMore() ? number + 1 : -1);
        model.addAttribute("marks", marks.marks(member, shelf.films().stream().map(Film::getId).toList()));
        model.addAttribute("listed", shelf.films().stream().map(Film::getId).collect(java.util.stream.Collectors.toSet()));
        return "catalog/watchlist";
    }

    /** {@code in}: true to add, false to remove (so a repeated post changes nothing). */
    @PostMapping("/films/{id}/watchlist")
    String change(@PathVariable long id, @RequestParam boolean in, @RequestParam(required = false) String back,
                  @RequestParam(defaultValue = "false") boolean labelled,
                  @RequestHeader(name = "HX-Request", required = false) String htmx,
                  @AuthenticationPrincipal MemberPrincipal me, Model model, RedirectAttributes redirect) {
        Film film = catalog.films(java.util.List.of(id)).stream().findFirst()
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND));
        boolean listed = in ? watchlist.add(me.id(), id) : remove(me.id(), id);
        if (htmx != null) {
            model.addAttribute("film", film);
            model.addAttribute("inList", listed);
            model.addAttribute("labelled", labelled);
            model.addAttribute("full", in && !listed);
            model.addAttribute("currentPath", org.hypertube.system.SiteLinks.localPath(back));
            return "catalog/cards :: toggle";
        }
        if (in && !listed) {
            redirect.addFlashAttribute("watchlistFull", true);
        }
        return "redirect:" + org.hypertube.system.SiteLinks.localPath(back);
    }

    private boolean remove(long member, long film) {
        watchlist.remove(member, film);
        return false;
    }
}
