package org.hypertube.catalog;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.hypertube.system.SharedFragments;
import org.springframework.context.i18n.LocaleContextHolder;
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

    /** Everything a card shows: keep in step with {@code templates/catalog/cards.html}. */
    private record Key(long film, String title, Integer year, Double rating, Locale locale, WatchMarks.Mark mark,
                       boolean listed, String back) {
    }

    private final SharedFragments fragments;
    private final Cache<Key, String> cards = Caffeine.newBuilder()
            .maximumSize(20_000).expireAfterAccess(Duration.ofMinutes(10)).build();

    FilmCards(SharedFragments fragments) {
        this.fragments = fragments;
    }

    /**
     * The cards of these films, in order, for the member whose marks and listed films are given, with
     * {@code back} (the page's address) as where the watchlist form returns without JavaScript.
     */
    String html(List<Film> films, Map<Long, WatchMarks.Mark> marks, Set<Long> listed, String back,
                HttpServletRequest request) {
        Locale locale = LocaleContextHolder.getLocale();
        StringBuilder out = new StringBuilder(films.size() * 1600);
        for (Film f : films) {
            long id = f.getId();
            WatchMarks.Mark mark = marks.get(id);
            boolean in = listed.contains(id);
            var key = new Key(id, f.getLocalTitle(), f.getYear(), f.getRating(), locale, mark, in, back);
            out.append(cards.get(key, k -> fragments.render("catalog/cards :: card", Map.of(
                    "f", f, "marks", mark == null ? Map.of() : Map.of(id, mark),
                    "listed", in ? Set.of(id) : Set.of(), "currentPath", back))));
        }
        return fragments.withToken(out.toString(), request);
    }
}
