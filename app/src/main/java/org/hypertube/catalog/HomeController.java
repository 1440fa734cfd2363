package org.hypertube.catalog;

import jakarta.servlet.http.HttpServletRequest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hypertube.account.MemberPrincipal;
import org.hypertube.system.SharedFragments;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * The home page as rows: continue watching, ready now on this server, the watchlist, popular, a few genres.
 * Each row is one bounded statement (popular comes from the sources' cached first page). An address with
 * a search or filters is the full grid ({@link DiscoverController}), which "browse all" opens too.
 */
@Controller
class HomeController {

    static final int ROW = 12;
    /** The genre rows, by slug: broad ones every library has. */
    private static final List<String> GENRE_ROWS = List.of("comedy", "drama", "horror");
    private static final Set<String> GRID_PARAMETERS = Set.of("q", "genre", "yearFrom", "yearTo", "minRating",
            "maxRating", "sort", "page");

    /** A row of the home page: its id (for its heading), its films and where "see all" leads. */
    private record Films(String id, String title, List<Film> films, String more) {
    }

    /** A row as shown: {@code cards} is its films' cards, rendered ({@link FilmCards}), or their stand-in. */
    record Row(String id, String title, boolean empty, String cards, String more) {
    }

    /** Everything the page shows but the language, the token and the rows' cards. */
    private record Whole(PageFrame.Key frame, boolean watchlistFull, List<Row> rows) {
    }

    private final Catalog catalog;
    private final WatchMarks marks;
    private final ServerCopies copies;
    private final Watchlist watchlist;
    private final FilmCards cards;
    private final SharedFragments fragments;
    private final PageFrame frame;

    HomeController(Catalog catalog, WatchMarks marks, ServerCopies copies, Watchlist watchlist, FilmCards cards,
                   SharedFragments fragments, PageFrame frame) {
        this.fragments = fragments;
        this.frame = frame;
        this.catalog = catalog;
        this.marks = marks;
        this.copies = copies;
        this.watchlist = watchlist;
        this.cards = cards;
    }

    @GetMapping("/")
    String home(HttpServletRequest request, @AuthenticationPrincipal MemberPrincipal me, Model model) {
        if (request.getParameterMap().keySet().stream().anyMatch(GRID_PARAMETERS::contains)) {
            return "forward:/browse";  // the library's old addresses (/?q=...) keep working
        }
        long member = me.id();
        List<Films> rows = new ArrayList<>();
        rows.add(new Films("continue", "discover.continue", catalog.films(marks.continueWatching(request.getUserPrincipal(), ROW)), null));
        rows.add(new Films("ready", "home.ready", catalog.films(copies.readyFilms(ROW)), null));
        var listed = watchlist.films(member, 0, ROW);
        rows.add(new Films("watchlist", "home.watchlist", listed.films(), "/watchlist"));
        rows.add(new Films("popular", "home.popular", catalog.popular(1).films().stream().limit(2L * ROW).toList(), "/browse"));
        for (String slug : GENRE_ROWS) {
            Genres.Genre genre = Genres.bySlug(slug);
            rows.add(new Films("genre-" + slug, "genre." + slug, catalog.inGenre(genre, ROW), "/browse?genre=" + slug));
        }
        Set<Long> shown = new HashSet<>();
        rows.forEach(r -> r.films().forEach(f -> shown.add(f.getId())));
        var marked = marks.marks(request.getUserPrincipal(), shown);
        var onList = watchlist.among(member, shown);
        String back = (String) model.getAttribute("currentPath");
        // The whole page kept per member, address and rows (SharedFragments.page), the cards put in per request.
        List<Row> heads = new ArrayList<>();
        Map<String, String> parts = new HashMap<>();
        for (Films r : rows) {
            if (!r.films().isEmpty() || "watchlist".equals(r.id())) {
                String part = "row" + heads.size();
                parts.put(part, cards.html(r.films(), marked, onList, back, request));
                heads.add(new Row(r.id(), r.title(), r.films().isEmpty(), fragments.part(part), r.more()));
            }
        }
        var key = new Whole(frame.key(me, model, request), model.getAttribute("watchlistFull") != null, heads);
        Map<String, Object> withHoles = new HashMap<>(model.asMap());
        withHoles.put("rows", heads);
        model.addAttribute("page", fragments.page("catalog/home", key, () -> withHoles, parts, request));
        return "fragments/page";
    }
}
