package org.hypertube.catalog;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.hypertube.catalog.source.FilmQuery;
import org.hypertube.system.RenderedFragments;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * The home page: popular films when nothing is searched, search results otherwise, with filters and
 * sorting held in the URL. Further pages arrive as fragments while the person scrolls.
 */
@Controller
class DiscoverController {

    /** Everything the film grid ({@code catalog/discover :: results}) shows, for {@link RenderedFragments}. */
    private record Grid(List<Film> films, Map<Long, WatchMarks.Mark> marks, boolean hasMore, String nextUrl) {
    }

    private final Catalog catalog;
    private final WatchMarks marks;
    private final RenderedFragments fragments;

    DiscoverController(Catalog catalog, WatchMarks marks, RenderedFragments fragments) {
        this.catalog = catalog;
        this.marks = marks;
        this.fragments = fragments;
    }

    @GetMapping("/")
    String discover(@RequestParam(required = false) String q, @RequestParam(required = false) String genre,
                    @RequestParam(required = false) String yearFrom, @RequestParam(required = false) String yearTo,
                    @RequestParam(required = false) String minRating, @RequestParam(required = false) String maxRating,
                    @RequestParam(required = false) String sort, @RequestParam(required = false) String page,
                    @RequestHeader(name = "HX-Request", required = false) String htmx,
                    java.security.Principal member, Model model) {
        String text = q == null || q.isBlank() ? null : q.strip().substring(0, Math.min(200, q.strip().length()));
        var genreChoice = genre == null ? null : Genres.bySlug(genre);
        FilmQuery.Sort order = parseSort(sort, text != null);
        var query = new FilmQuery(text, genreChoice == null ? null : genreChoice.name(), year(yearFrom), year(yearTo),
                rating(minRating), rating(maxRating), order);
        int number = pageNumber(page);
        var result = catalog.browse(query, number);

        model.addAttribute("query", query);
        model.addAttribute("genreSlug", genreChoice == null ? "" : genreChoice.slug());
        model.addAttribute("sortName", order.name().toLowerCase(Locale.ROOT));
        model.addAttribute("genres", Genres.ALL);
        model.addAttribute("sorts", FilmQuery.Sort.values());
        model.addAttribute("result", result);
        model.addAttribute("pageNumber", number);
        List<Long> continuing = number == 1 && text == null ? marks.continueWatching(member, 12) : List.of();
        List<Film> continueRow = catalog.films(continuing);
        var shown = new java.util.ArrayList<Long>(continuing);
        result.films().forEach(f -> shown.add(f.getId()));
        Map<Long, WatchMarks.Mark> marked = marks.marks(member, shown);
        model.addAttribute("marks", marked);
        model.addAttribute("continueRow", continueRow);
        String nextUrl = ServletUriComponentsBuilder.fromCurrentRequest()
                .replaceQueryParam("page", number + 1).build().toUriString();
        model.addAttribute("nextUrl", nextUrl);
        if (htmx != null && number > 1) {
            return "catalog/discover :: results";
        }
        // The grid is the same HTML for everyone seeing these films with the same marks: rendered once.
        Map<Long, WatchMarks.Mark> gridMarks = new HashMap<>();
        result.films().forEach(f -> Optional.ofNullable(marked.get(f.getId())).ifPresent(m -> gridMarks.put(f.getId(), m)));
        model.addAttribute("resultsHtml", fragments.render("catalog/discover :: results",
                new Grid(result.films(), gridMarks, result.hasMore(), nextUrl), model.asMap()));
        return "catalog/discover";
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
