package org.hypertube.catalog;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.hypertube.account.MemberPrincipal;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.server.ResponseStatusException;

/**
 * A film's page: what it is, who made it, which torrents offer it and which of them this server holds,
 * and (loaded after) its comments.
 */
@Controller
class FilmController {

    /** A torrent row of the page; {@code copy} is the server's state of it, null when it holds none. */
    record Offer(FilmTorrent torrent, ServerCopies.State copy) {
    }

    private final Catalog catalog;
    private final ServerCopies copies;
    private final Watchlist watchlist;

    FilmController(Catalog catalog, ServerCopies copies, Watchlist watchlist) {
        this.catalog = catalog;
        this.copies = copies;
        this.watchlist = watchlist;
    }

    @GetMapping("/films/{id}")
    String film(@PathVariable long id, @AuthenticationPrincipal MemberPrincipal me, Model model) {
        var details = catalog.details(id).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND));
        Map<String, ServerCopies.Copy> held = new HashMap<>();
        List<ServerCopies.Copy> server = copies.copies(id);
        server.forEach(c -> held.putIfAbsent(c.infoHash(), c));
        List<Offer> offers = new ArrayList<>();
        java.util.Set<String> listed = new java.util.HashSet<>();
        for (FilmTorrent t : details.torrents()) {
            // Two sources may list one torrent: each of their rows says the server holds it.
            String hash = t.getInfoHash() == null ? null : t.getInfoHash().toLowerCase(Locale.ROOT);
            ServerCopies.Copy copy = hash == null ? null : held.get(hash);
            if (hash != null) {
                listed.add(hash);
            }
            offers.add(new Offer(t, copy == null ? null : copy.state()));
        }
        model.addAttribute("film", details.film());
        model.addAttribute("offers", offers);
        // Copies no source lists (added by an operator, or a source that no longer offers them).
        model.addAttribute("otherCopies", held.values().stream().filter(c -> !listed.contains(c.infoHash())).toList());
        model.addAttribute("ready", server.stream().anyMatch(c -> c.state() == ServerCopies.State.READY));
        model.addAttribute("incomplete", details.incomplete());
        model.addAttribute("inList", !watchlist.among(me.id(), List.of(id)).isEmpty());
        return "catalog/film";
    }

    /** The subject's addresses, for a browser (programs get the API there): the library and a film's page. */
    @GetMapping("/movies")
    String movies() {
        return "redirect:/";
    }

    @GetMapping("/movies/{id}")
    String movie(@PathVariable long id) {
        return "redirect:/films/" + id;
    }
}
