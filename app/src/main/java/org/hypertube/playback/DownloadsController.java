package org.hypertube.playback;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import org.hypertube.account.MemberPrincipal;
import org.hypertube.catalog.Catalog;
import org.hypertube.torrent.Torrent;
import org.hypertube.torrent.TorrentState;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The operator's downloads page (administrators only, see SecurityConfig): add a film by magnet link or
 * .torrent file, watch the active torrents, pause, resume or remove them.
 */
@Controller
class DownloadsController {

    /** One row of the page: the download, and the engine's live numbers when it runs. */
    record Row(long id, String infoHash, String name, Long filmId, String filmTitle, String state, double progress,
               int peers, long downloadRate, long uploadRate, double ratio, String error, boolean canPause,
               boolean canResume) {}

    private final Downloads downloads;
    private final Catalog catalog;
    private final Engine engine;

    DownloadsController(Downloads downloads, Catalog catalog, Engine engine) {
        this.downloads = downloads;
        this.catalog = catalog;
        this.engine = engine;
    }

    @GetMapping("/admin/downloads")
    String list(Model model) {
        List<Download> all = downloads.all();
        var titles = catalog.titles(all.stream().map(Download::getFilmId).filter(java.util.Objects::nonNull).toList());
        List<Row> rows = new ArrayList<>();
        for (Download d : all) {
            Optional<Torrent> t = downloads.torrent(d);
            String state = t.map(x -> x.paused() ? "PAUSED" : x.state().name()).orElse(
                    d.getState() == Download.State.ACTIVE ? "QUEUED" : d.getState().name());
            double progress = d.getState() == Download.State.COMPLETE ? 1 : t.map(Torrent::progress).orElse(0.0);
            boolean running = t.isPresent() && !t.get().paused() && t.get().state() != TorrentState.CLOSED;
            rows.add(new Row(d.getId(), d.getInfoHash(), d.getName(), d.getFilmId(),
                    d.getFilmId() == null ? null : titles.get(d.getFilmId()), state, progress,
                    t.map(x -> x.peers().size()).orElse(0), t.map(Torrent::downloadRate).orElse(0L),
                    t.map(Torrent::uploadRate).orElse(0L), t.map(SeedLimits::ratio).orElse(0.0), d.getError(),
                    running && d.getState() == Download.State.ACTIVE,
                    d.getState() == Download.State.PAUSED || d.getState() == Download.State.FAILED));
        }
        model.addAttribute("rows", rows);
        model.addAttribute("dhtEnabled", engine.dhtEnabled());
        OptionalInt dhtNodes = engine.dhtNodes();
        model.addAttribute("dhtNodes", dhtNodes.isPresent() ? dhtNodes.getAsInt() : null);
        return "playback/downloads";
    }

    @PostMapping("/admin/downloads")
    String add(@RequestParam(required = false) String magnet, @RequestParam(required = false) MultipartFile torrent,
               @RequestParam(required = false) String film, @AuthenticationPrincipal MemberPrincipal me,
               RedirectAttributes redirect) {
        Long filmId = null;
        if (film != null && !film.isBlank()) {
            filmId = filmId(film.strip());
            if (filmId == null) {
                redirect.addFlashAttribute("downloadError", "downloads.noSuchFilm");
                return "redirect:/admin/downloads";
            }
        }
        try {
            byte[] bytes = torrent == null || torrent.isEmpty() ? null : torrent.getBytes();
            if (bytes != null && bytes.length > TorrentFiles.MAX_BYTES) {
                throw new Downloads.Refused("downloads.badTorrent", "too large");
            }
            Download d = downloads.add(magnet, bytes, filmId, me.id());
            redirect.addFlashAttribute("downloadAdded", d.getInfoHash());
        } catch (Downloads.Refused e) {
            redirect.addFlashAttribute("downloadError", e.messageKey);
        } catch (IOException e) {
            redirect.addFlashAttribute("downloadError", "downloads.badTorrent");
        }
        return "redirect:/admin/downloads";
    }

    /** A film id, or a film page's address ("/films/12" or "https://host/films/12"). */
    private Long filmId(String text) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?:.*/films/)?(\\d{1,18})/?").matcher(text);
        if (!m.matches()) {
            return null;
        }
        long id = Long.parseLong(m.group(1));
        return catalog.exists(id) ? id : null;
    }

    @PostMapping("/admin/downloads/{id}/{action:pause|resume|remove}")
    String act(@PathVariable long id, @PathVariable String action) {
        Download d = downloads.find(id).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND));
        switch (action.toLowerCase(Locale.ROOT)) {
            case "pause" -> downloads.pause(d);
            case "resume" -> downloads.resume(d);
            // Kept segments go when the download is actually removed (Downloads.onRemoved), here or by its owner.
            default -> downloads.remove(d, "removed by an operator");
        }
        return "redirect:/admin/downloads";
    }
}
