package org.hypertube.playback;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.hypertube.playback.media.Decision;
import org.hypertube.playback.media.Delivery;
import org.hypertube.playback.media.HlsSession;
import org.hypertube.playback.media.MediaProbe;
import org.hypertube.playback.media.Plan;
import org.hypertube.playback.media.Quality;
import org.hypertube.playback.media.Transcoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Who gets which conversion of a film: the converted variants a Play or status hands a member
 * ({@link HandedVariants}), how many films one member watches converted ({@link MemberConversions}), the
 * conversion started ahead of the player, and a member's switch to another variant. Every address of a converted
 * stream goes through {@link #hls}.
 */
@Component
class ConversionAccess {

    private static final Logger log = LoggerFactory.getLogger(ConversionAccess.class);
    /** A converted variant's name in URLs: the audio stream and the quality ({@link #variant}). */
    private static final java.util.regex.Pattern VARIANT = java.util.regex.Pattern.compile("a(\\d{1,3})-([A-Z0-9]{1,10})");
    private static final String REMUX_VARIANT = "COPY";

    private final Downloads downloads;
    private final FilmProbes probes;
    private final Transcoder transcoder;
    private final InternalMedia internal;
    private final FilmUse filmUse;
    private final HandedVariants handed;
    private final MemberConversions conversions;
    /**
     * The conversion each page watches of each film ("{@link PlayerPage#viewer}-<info-hash>" to its key): a page,
     * not a member, so a member's two devices on two variants do not stop each other's. Bounded: an entry
     * forgotten only means the next switch leaves the old ffmpeg to its idle timeout instead of stopping it.
     */
    private final Map<String, String> variants = com.github.benmanes.caffeine.cache.Caffeine.newBuilder()
            .expireAfterAccess(java.time.Duration.ofHours(6)).maximumSize(100_000).<String, String>build().asMap();
    /** Conversions being opened ahead of the player ("film/variant"). */
    private final Set<String> preparing = ConcurrentHashMap.newKeySet();

    ConversionAccess(Downloads downloads, FilmProbes probes, Transcoder transcoder, InternalMedia internal, FilmUse filmUse,
                     HandedVariants handed, MemberConversions conversions) {
        this.downloads = downloads;
        this.probes = probes;
        this.transcoder = transcoder;
        this.internal = internal;
        this.filmUse = filmUse;
        this.handed = handed;
        this.conversions = conversions;
    }

    /**
     * A status of the film READY with this plan hands the member its variants ({@link #offered}); false (nothing
     * handed: BUSY) when it needs a conversion and the member already watches as many other films converted as allowed.
     */
    boolean hand(long memberId, long filmId, Plan plan, Quality quality) {
        if (plan.mode() != Delivery.DIRECT && !conversions.makeRoom(memberId, filmId)) {
            log.info("film {}: member {} already watches {} other films converted", filmId, memberId, MemberConversions.LIMIT);
            return false;
        }
        handed.hand(memberId, filmId, offered(plan, quality));
        return true;
    }

    /**
     * Opens the conversion and starts its ffmpeg where the player will ask first, in the background, as
     * soon as the film is ready: the page's own requests (player, playlist, init) then find it at work.
     * Counted against the member ({@link MemberConversions}) only when it starts the conversion's first ffmpeg:
     * the READY statuses a paused page's stream keeps pushing do not keep the film counted.
     */
    void prepare(long filmId, PlayerPage page, String variant, double at) {
        long memberId = page.memberId();
        String key = filmId + "/" + variant;
        if (!preparing.add(key)) {
            return;
        }
        Thread.ofVirtual().name("prepare-" + key).start(() -> {
            try {
                converted(filmId, memberId, variant).map(this::open).filter(s -> s.ffmpegStarts() == 0 && !s.converting())
                        .ifPresent(session -> {
                            conversions.admit(memberId, filmId);
                            session.prepare(at, page.viewer());
                        });
            } catch (RuntimeException e) {
                log.info("film {}: conversion {} not started ahead of the player: {}", filmId, variant, e.toString());
            } finally {
                preparing.remove(key);
            }
        });
    }

    /**
     * "a1-P720" (a transcode at 720 lines) or "a1-COPY" (a remux): the audio stream and the conversion of a
     * converted variant, only numbers and enum names. The address says which conversion, since it follows
     * what the browser plays, which the requests for segments do not carry.
     */
    static String variant(Plan plan, Quality quality) {
        return "a" + plan.audioStream() + "-" + (plan.mode() == Delivery.TRANSCODE ? quality.name() : REMUX_VARIANT);
    }

    /**
     * The converted variants a status hands out with this plan: none for a direct play, the remux, or the
     * transcode in every quality its quality menu offers (the same audio).
     */
    static java.util.Set<String> offered(Plan plan, Quality quality) {
        return switch (plan.mode()) {
            case DIRECT -> java.util.Set.of();
            case REMUX -> java.util.Set.of(variant(plan, quality));
            case TRANSCODE -> java.util.Arrays.stream(Quality.values()).map(q -> variant(plan, q))
                    .collect(java.util.stream.Collectors.toUnmodifiableSet());
        };
    }

    /**
     * The converted stream of a film for a member's page and variant, started on first use: only a variant the
     * member's Plays or statuses handed out ({@link HandedVariants}), else empty. For the player's requests:
     * each counts the film against the member, and a request for another variant of the film from the same
     * page is a switch.
     *
     * @throws MemberConversions.Refused when the member already watches as many other films converted as allowed
     */
    Optional<HlsSession> hls(long filmId, PlayerPage page, String variant) {
        long memberId = page.memberId();
        Optional<Converted> converted = converted(filmId, memberId, variant);
        if (converted.isEmpty()) {
            return Optional.empty();
        }
        conversions.admit(memberId, filmId);
        String hash = converted.get().hash();
        String viewer = page.viewer();
        filmUse.used(hash);
        // A page plays one variant of a film at a time: switching audio or quality frees the old
        // conversion's slot at once (unless another viewer uses it) instead of when it goes idle, and the old
        // variant's requests still waiting (hls.js keeps one per variant it loaded) no longer hold its ffmpeg.
        // The member's other pages (another device, another tab) are other viewers: they keep theirs.
        String key = Transcoder.key(hash, converted.get().plan());
        String previous = variants.put(viewer + "-" + hash, key);
        if (previous != null && !previous.equals(key)) {
            transcoder.leave(previous, viewer);
        }
        return Optional.of(open(converted.get()));
    }

    /** A converted variant a member may have: the film's download, what was probed of its file, and the plan. */
    private record Converted(String hash, MediaProbe probe, Plan plan) {}

    /** The variant's conversion when the member was handed it and the film can be converted so, else empty. */
    private Optional<Converted> converted(long filmId, long memberId, String variant) {
        java.util.regex.Matcher m = VARIANT.matcher(variant);
        if (!m.matches()) {
            return Optional.empty();
        }
        if (!handed.handed(memberId, filmId, variant)) {
            log.info("film {}: conversion {} refused to member {}: not handed out to them", filmId, variant, memberId);
            return Optional.empty();
        }
        Optional<Download> d = downloads.existingForFilm(filmId);
        if (d.isEmpty()) {
            return Optional.empty();
        }
        String hash = d.get().getInfoHash();
        // ffprobe's view when there is one; a remux also goes from our readers' (PLAYBACK.md, first frame)
        Optional<MediaProbe> full = probes.full(hash).or(() -> probes.probed(hash));
        if (full.isEmpty()) {
            return Optional.empty();
        }
        boolean remux = m.group(2).equals(REMUX_VARIANT);
        Quality quality = Quality.DEFAULT;
        if (!remux) {
            try {
                quality = Quality.valueOf(m.group(2));
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
        }
        Optional<Plan> converted = Decision.converted(full.get(), Integer.parseInt(m.group(1)), remux, quality);
        if (converted.isEmpty() || !variant.equals(variant(converted.get(), quality))) {
            return Optional.empty();
        }
        return Optional.of(new Converted(hash, full.get(), converted.get()));
    }

    /** The conversion, opened on first use: one per film and variant, shared by every viewer (its key names no member). */
    private HlsSession open(Converted c) {
        return transcoder.open(c.hash(), internal.url(c.hash()), c.probe(), c.plan());
    }

}
