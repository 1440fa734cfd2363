package org.hypertube.catalog;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.hypertube.catalog.source.FilmQuery;
import org.hypertube.system.SharedFragments;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * The full library ("browse all"): popular films when nothing is searched, search results otherwise, with
 * filters and sorting held in the URL. Further pages arrive as fragments while the person scrolls.
 */
@Controller
class DiscoverController {

    private final Catalog catalog;
    private final WatchMarks marks;
    private final Watchlist watchlist;
    private final FilmCards cards;
    private final SharedFragments fragments;
    private final PageFrame frame;

    /** Everything the filter form shows but the language. */
    private record Filters(FilmQuery query, String genreSlug, String sortName) {
    }

    /** Everything the page shows but the language, the token, the filter form and the cards. */
    private record Whole(PageFrame.Key frame, FilmQuery query, boolean filtered, boolean incomplete,
                         boolean noSourceAnswered, boolean empty, boolean hasMore, String nextUrl) {
    }

    DiscoverController(Catalog catalog, WatchMarks marks, Watchlist watchlist, FilmCards cards, SharedFragments fragments,
                       PageFrame frame) {
        this.fragments = fragments;
        this.frame = frame;
        this.catalog = catalog;
        this.marks = marks;
        this.watchlist = watchlist;
        this.cards = cards;
    }

    /**
     * The filters and the page come from the request itself, not from {@code @RequestParam}s: Spring resolves
     * each such name through a lock-guarded expression cache on every request, and under load on virtual
     * threads requests queued behind that lock (bench/catalog, docs/BENCHMARKS.md).
     */
    @GetMapping("/browse")
    String discover(jakarta.servlet.http.HttpServletRequest request,
                    java.security.Principal member,
                    @org.springframework.security.core.annotation.AuthenticationPrincipal org.hypertube.account.MemberPrincipal me,
                    Model model) {
        String q = request.getParameter("q");
        String genre = request.getParameter("genre");
        String yearFrom = request.getParameter("yearFrom");
        String yearTo = request.getParameter("yearTo");
        String minRating = request.getParameter("minRating");
        String maxRating = request.getParameter("maxRating");
        String sort = request.getParameter("sort");
        String page = request.getParameter("page");
        String htmx = request.getHeader("HX-Request");
        String text = q == null || q.isBlank() ? null : q.strip().substring(0, Math.min(200, q.strip().length()));
        var genreChoice = genre == null ? null : Genres.bySlug(genre);
        FilmQuery.Sort order = parseSort(sort, text != null);
        var query = new FilmQuery(text, genreChoice == null ? null : genreChoice.name(), year(yearFrom), year(yearTo),
                rating(minRating), rating(maxRating), order);
        int number = pageNumber(page);
        var result = catalog.browse(query, number);

        model.addAttribute("query", query);
        String genreSlug = genreChoice == null ? "" : genreChoice.slug();
        String sortName = order.name().toLowerCase(Locale.ROOT);
        String filters = fragments.withToken(fragments.html("catalog/filters :: filters", new Filters(query, genreSlug, sortName),
                () -> Map.of("query", query, "genreSlug", genreSlug, "sortName", sortName, "genres", Genres.ALL,
                        "sorts", FilmQuery.Sort.values())), request);
        model.addAttribute("result", result);
        model.addAttribute("pageNumber", number);
        List<Long> shown = result.films().stream().map(Film::getId).toList();
        String cardsHtml = cards.html(result.films(), marks.marks(member, shown), watchlist.among(me.id(), shown),
                (String) model.getAttribute("currentPath"), request);
        boolean filtered = genreChoice != null || query.yearFrom() != null || query.yearTo() != null
                || query.minRating() != null || query.maxRating() != null;
        model.addAttribute("filtered", filtered);
        String nextUrl = ServletUriComponentsBuilder.fromCurrentContextPath().path("/browse")
                .query(java.util.Objects.requireNonNullElse(request.getQueryString(), ""))
                .replaceQueryParam("page", number + 1).build().toUriString();
        model.addAttribute("nextUrl", nextUrl);
        if (htmx != null && number > 1) {
            model.addAttribute("cards", cardsHtml);
            return "catalog/discover :: results";
        }
        // The whole page kept per member, address and what it shows (SharedFragments.page): most of a
        // page's rendering under load was its frame once the cards were shared (bench/catalog).
        var key = new Whole(frame.key(me, model, request), query, filtered, result.incomplete(),
                result.noSourceAnswered(), result.films().isEmpty(), result.hasMore(), nextUrl);
        Map<String, Object> withHoles = new java.util.HashMap<>(model.asMap());
        withHoles.put("filters", fragments.part("filters"));
        withHoles.put("cards", fragments.part("cards"));
        model.addAttribute("page", fragments.page("catalog/discover", key, () -> withHoles,
                Map.of("filters", filters, "cards", cardsHtml), request));
        return "fragments/page";
    }

    private static FilmQuery.Sort parseSort(String sort, boolean searching) {
        if (sort != null) {
            for (FilmQuery.Sort s : FilmQuery.Sort.values()) {
                if (s.name().equalsIgnoreCase(sort)) {
                    return s;
                }
            }
        }
        return searching ? FilmQuery.Sort.TITLE : FilmQuery.Sort.POPULARITY;
    }

    private static Integer year(String value) {
        Integer y = integer(value);
        return y != null && y >= 1870 && y <= 2100 ? y : null;
    }

    private static Double rating(String value) {
        if (value == null || value.isBlank() || value.length() > 10) {
            return null;
        }
        try {
            double r = Double.parseDouble(value);
            return r >= 0 && r <= 10 ? r : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static int pageNumber(String value) {
        Integer p = integer(value);
        return p == null || p < 1 ? 1 : Math.min(p, 1000);
    }

    private static Integer integer(String value) {
        try {
            return value == null || value.isBlank() || value.length() > 9 ? null : Integer.valueOf(value.strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
