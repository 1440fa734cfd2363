package org.hypertube.playback;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;
import org.hypertube.account.MemberPrincipal;
import org.hypertube.catalog.Catalog;
import org.hypertube.playback.media.HlsSession;
import org.hypertube.playback.media.MediaException;
import org.hypertube.playback.media.Playable;
import org.hypertube.playback.media.Quality;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * What the player on a film page talks to (all behind the session, like the page): the state of the
 * film's download and the address to play, the file itself (HTTP ranges), its converted HLS variant,
 * and the watch position. ffprobe and ffmpeg read the same file on the internal listener ({@link InternalMedia}).
 */
@RestController
class PlayerController {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(PlayerController.class);

    private final Playback playback;
    private final Catalog catalog;
    private final WatchHistory history;
    private final InternalMedia internal;
    private final Downloads downloads;

    private final PlayAdmission admission;
    private final Viewers viewers;
    private final StatusEvents events;
    private final ConversionAccess conversions;

    PlayerController(Playback playback, Catalog catalog, WatchHistory history, InternalMedia internal,
                     Downloads downloads, PlayAdmission admission, Viewers viewers, StatusEvents events,
                     ConversionAccess conversions) {
        this.events = events;
        this.conversions = conversions;
        this.admission = admission;
        this.viewers = viewers;
        this.playback = playback;
        this.catalog = catalog;
        this.history = history;
        this.internal = internal;
        this.downloads = downloads;
    }

    /**
     * Starts or joins the download and says where it is. The page uses {@link #playEvents} (the same answer,
     * then the changes pushed) and this one when streams fail.
     */
    @PostMapping(path = "/films/{id}/play", produces = MediaType.APPLICATION_JSON_VALUE)
    Playback.Status play(@PathVariable long id, @RequestParam(required = false) Integer audio,
                         @RequestParam(required = false) String quality, @RequestParam(required = false) String plays,
                         @RequestParam(required = false) String p, @AuthenticationPrincipal MemberPrincipal me) {
        if (!catalog.exists(id)) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND);
        }
        Integer audioChoice = audio != null && audio >= 0 && audio < 1000 ? audio : null;
        return playback.status(id, page(me, p), me.admin(), admission.of(me), audioChoice, quality(quality),
                Playable.parse(plays), me.language(),
                org.springframework.context.i18n.LocaleContextHolder.getLocale());
    }

    /**
     * The same status as {@link #play}, pushed whenever it changes (server-sent events, {@link StatusEvents}),
     * for a film whose download Play has started (an {@code EventSource}; the film page uses {@link #playEvents},
     * Play and this stream in one request).
     */
    @GetMapping(path = "/films/{id}/play/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    org.springframework.web.servlet.mvc.method.annotation.SseEmitter events(
            @PathVariable long id, @RequestParam(required = false) Integer audio,
            @RequestParam(required = false) String quality, @RequestParam(required = false) String plays,
            @AuthenticationPrincipal MemberPrincipal me) {
        if (!catalog.exists(id) || downloads.existingForFilm(id).isEmpty()) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND);
        }
        var emitter = events.open(me.id(), id, streamed(id, audio, quality, plays, null, me));
        if (emitter == null) {
            throw new ResponseStatusException(HttpStatus.TOO_MANY_REQUESTS, "too many status streams");
        }
        return emitter;
    }

    /**
     * Play, answered as the first event of the status stream (server-sent events on this POST's own answer,
     * read by the page with fetch): what {@link #play} answers, then what {@link #events} would push, without
     * a second request between them. Past the server's stream limit, the answer alone.
     */
    @PostMapping(path = "/films/{id}/play/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    org.springframework.web.servlet.mvc.method.annotation.SseEmitter playEvents(
            @PathVariable long id, @RequestParam(required = false) Integer audio,
            @RequestParam(required = false) String quality, @RequestParam(required = false) String plays,
            @RequestParam(required = false) String p, @AuthenticationPrincipal MemberPrincipal me) {
        Playback.Status first = play(id, audio, quality, plays, p, me);
        return events.open(me.id(), id, first, streamed(id, audio, quality, plays, p, me));
    }

    /** The status a stream computes for this member, film and choices ({@link Playback#streamed}). */
    private java.util.function.Supplier<Playback.Status> streamed(long id, Integer audio, String quality, String plays,
                                                                  String p, MemberPrincipal me) {
        PlayerPage page = page(me, p);
        Integer audioChoice = audio != null && audio >= 0 && audio < 1000 ? audio : null;
        Quality chosen = quality(quality);
        Playable browser = Playable.parse(plays);
        java.util.Locale reader = org.springframework.context.i18n.LocaleContextHolder.getLocale();
        Admission admission = this.admission.of(me);
        return () -> playback.streamed(id, page, me.admin(), admission, audioChoice, chosen, browser, me.language(), reader);
    }

    static Quality quality(String value) {
        if (value != null) {
            for (Quality q : Quality.values()) {
                if (q.name().equals(value)) {
                    return q;
                }
            }
        }
        return Quality.P720;
    }

    @PostMapping("/films/{id}/progress")
    ResponseEntity<Void> progress(@PathVariable long id, @RequestParam double position, @RequestParam double duration,
                                  @AuthenticationPrincipal MemberPrincipal me) {
        if (!catalog.exists(id)) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND);
        }
        String hash = downloads.existingForFilm(id).map(Download::getInfoHash).orElse(null);
        try {
            history.record(me.id(), id, hash, position, duration);
        } catch (IllegalArgumentException e) {
            throw new ResponseStatusException(HttpStatus.UNPROCESSABLE_CONTENT, e.getMessage());
        }
        return ResponseEntity.noContent().build();
    }

    /** One subtitle track as WebVTT, for a {@code <track>} of the player. */
    @GetMapping(path = "/films/{id}/subtitles/{track:[a-z0-9-]{1,80}}.vtt")
    ResponseEntity<String> subtitle(@PathVariable long id, @PathVariable String track,
                                    @AuthenticationPrincipal MemberPrincipal me) {
        try {
            return playback.subtitle(id, track, me.language(), org.springframework.context.i18n.LocaleContextHolder.getLocale())
                    .map(vtt -> ResponseEntity.ok().cacheControl(CacheControl.maxAge(java.time.Duration.ofHours(1)).cachePrivate())
                            .contentType(MediaType.parseMediaType("text/vtt;charset=UTF-8")).body(vtt))
                    .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND));
        } catch (org.hypertube.playback.subtitle.SubtitleException e) {
            log.info("film {} subtitle {} refused: {}", id, track, e.getMessage());
            // A file that cannot be read as subtitles: an empty track, so the player still plays.
            return ResponseEntity.ok().contentType(MediaType.parseMediaType("text/vtt;charset=UTF-8"))
                    .body("WEBVTT\n\nNOTE " + e.getMessage().replaceAll("-->|\\R", " ") + "\n");
        }
    }

    /** The film file itself, for direct play. */
    @RequestMapping(path = "/films/{id}/stream", method = {RequestMethod.GET, RequestMethod.HEAD})
    void stream(@PathVariable long id, HttpServletRequest request, HttpServletResponse response,
                @AuthenticationPrincipal MemberPrincipal me) throws IOException {
        MediaFile file = playback.mediaForFilm(id).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND));
        viewers.seen(me.id(), id);
        RangeResponse.serve(request, response, file);
    }

    /**
     * The same bytes for ffprobe and ffmpeg on this machine: a secret token, on the loopback-only listener
     * ({@link InternalOnly} refuses this path on the public one), never judged by the caller's address.
     */
    @RequestMapping(path = "/internal/media/{token}", method = {RequestMethod.GET, RequestMethod.HEAD})
    void internal(@PathVariable String token, @RequestParam(required = false) Long prefix, HttpServletRequest request,
                  HttpServletResponse response) throws IOException {
        if (!internal.internal(request)) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND);
        }
        Optional<String> hash = internal.infoHash(token);
        MediaFile file = (prefix == null ? hash.flatMap(playback::mediaForHash)
                : hash.flatMap(h -> playback.verifiedPrefix(h, Math.max(0, prefix))))
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND));
        RangeResponse.serve(request, response, file);
    }

    /**
     * The variant's playlist. {@code p} is the page's own id ({@link PlayerPage}): the init and segment addresses
     * carry it on, so each page of a member is a viewer of its own.
     */
    @GetMapping(path = "/films/{id}/hls/{variant}/index.m3u8")
    ResponseEntity<String> playlist(@PathVariable long id, @PathVariable String variant,
                                    @RequestParam(name = "p", required = false) String p,
                                    @AuthenticationPrincipal MemberPrincipal me) {
        PlayerPage page = page(me, p);
        HlsSession session = session(id, variant, page);
        return ResponseEntity.ok().cacheControl(CacheControl.noCache())
                .contentType(MediaType.parseMediaType("application/vnd.apple.mpegurl"))
                .body(session.playlist(page::address));
    }

    @GetMapping(path = "/films/{id}/hls/{variant}/init.mp4")
    ResponseEntity<byte[]> init(@PathVariable long id, @PathVariable String variant,
                                @RequestParam(name = "p", required = false) String p,
                                @AuthenticationPrincipal MemberPrincipal me) throws IOException, InterruptedException {
        return segmentBody(session(id, variant, page(me, p)).initBytes());
    }

    @GetMapping(path = "/films/{id}/hls/{variant}/seg{segment:\\d{1,6}}.m4s")
    ResponseEntity<byte[]> segment(@PathVariable long id, @PathVariable String variant, @PathVariable int segment,
                                   @RequestParam(name = "p", required = false) String p,
                                   @AuthenticationPrincipal MemberPrincipal me) throws IOException, InterruptedException {
        PlayerPage page = page(me, p);
        HlsSession session = session(id, variant, page);
        try {
            return segmentBody(session.segmentBytes(segment, page.viewer()));
        } catch (IllegalArgumentException e) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND);
        }
    }

    /**
     * A conversion that failed (ffmpeg ended with an error, or the segment timeout passed): the player asks
     * again (hls.js retries), so this is a "try later", logged as the session's own failure where it
     * happened. A seek never causes it: a request a seek superseded waits for its segment.
     */
    @org.springframework.web.bind.annotation.ExceptionHandler(MediaException.class)
    ResponseEntity<String> conversionFailed(MediaException e) {
        log.info("conversion: {}", e.getMessage());
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).header("Retry-After", "2")
                .contentType(MediaType.TEXT_PLAIN).body("conversion not ready");
    }

    /** A member who already watches as many other films converted as allowed ({@link MemberConversions}). */
    @org.springframework.web.bind.annotation.ExceptionHandler(MemberConversions.Refused.class)
    ResponseEntity<String> tooManyConversions(MemberConversions.Refused e) {
        log.info("conversion refused: {}", e.getMessage());
        return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS).contentType(MediaType.TEXT_PLAIN)
                .body("too many films converted at once");
    }

    /**
     * A segment request a newer one of the same viewer superseded: hls.js aborted it when it seeked,
     * so nobody reads this answer. It is a redirect to the same address, not an error: a client that
     * did not give it up (no abort) simply asks again, and its new request is then the newest.
     */
    @org.springframework.web.bind.annotation.ExceptionHandler(org.hypertube.playback.media.SupersededException.class)
    ResponseEntity<Void> superseded(org.hypertube.playback.media.SupersededException e,
                                    jakarta.servlet.http.HttpServletRequest request) {
        log.debug("{}", e.getMessage());
        String again = request.getRequestURI() + (request.getQueryString() == null ? "" : "?" + request.getQueryString());
        return ResponseEntity.status(HttpStatus.TEMPORARY_REDIRECT).cacheControl(CacheControl.noStore())
                .location(java.net.URI.create(again)).build();
    }

    private HlsSession session(long id, String variant, PlayerPage page) {
        HlsSession session = conversions.hls(id, page, variant)
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND));
        viewers.seen(page.memberId(), id);
        return session;
    }

    /** The member's page that asks ({@code ?p=}); a malformed id is refused (400), none is the member's one viewer. */
    private static PlayerPage page(MemberPrincipal me, String p) {
        try {
            return new PlayerPage(me.id(), p);
        } catch (IllegalArgumentException e) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, e.getMessage());
        }
    }

    private static ResponseEntity<byte[]> segmentBody(byte[] body) {
        return ResponseEntity.ok().cacheControl(CacheControl.noCache()).contentType(MediaType.parseMediaType("video/mp4"))
                .body(body);
    }
}
