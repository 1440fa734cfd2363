package org.hypertube.catalog;

import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hypertube.system.SharedFragments;
import org.springframework.stereotype.Component;

/**
 * The film cards of the grid and the home rows ({@code catalog/cards :: card}), each rendered once per
 * language and what it shows, then served again: forty cards through Thymeleaf were most of a page's work
 * under load (bench/catalog). A card shows the member's watch mark and watchlist state, which are part of
 * its key, and the session's CSRF token in its watchlist form, which is put in per request
 * ({@link SharedFragments}): no member's token or list reaches another.
 */
@Component
class FilmCards {

    /** Everything a card shows but the language: keep in step with {@code templates/catalog/cards.html}. */
    private record Card(long film, String title, Integer year, Double rating, WatchMarks.Mark mark, boolean listed,
                        String back) {
    }

    private final SharedFragments fragments;

    FilmCards(SharedFragments fragments) {
        this.fragments = fragments;
    }

    /**
     * The cards of these films, in order, for the member whose marks and listed films are given, with
     * {@code back} (the page's address) as where the watchlist form returns without JavaScript.
     */
    String html(List<Film> films, Map<Long, WatchMarks.Mark> marks, Set<Long> listed, String back,
                HttpServletRequest request) {
        StringBuilder out = new StringBuilder(films.size() * 1600);
        for (Film f : films) {
            long id = f.getId();
            WatchMarks.Mark mark = marks.get(id);
            boolean in = listed.contains(id);
            var card = new Card(id, f.getLocalTitle(), f.getYear(), f.getRating(), mark, in, back);
            out.append(fragments.html("catalog/cards :: card", card, () -> Map.of(
                    "f", f, "marks", mark == null ? Map.of() : Map.of(id, mark),
                    "listed", in ? Set.of(id) : Set.of(), "currentPath", back)));
        }
        return fragments.withToken(out.toString(), request);
    }
}
