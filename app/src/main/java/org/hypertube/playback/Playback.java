package org.hypertube.playback;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.hypertube.playback.media.Decision;
import org.hypertube.playback.media.Delivery;
import org.hypertube.playback.media.MediaException;
import org.hypertube.playback.media.HlsSession;
import org.hypertube.playback.media.MediaProbe;
import org.hypertube.playback.media.Plan;
import org.hypertube.playback.media.Prober;
import org.hypertube.playback.media.Quality;
import org.hypertube.playback.media.Transcoder;
import org.hypertube.torrent.Torrent;
import org.hypertube.torrent.TorrentState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * One film's way to the screen: the download behind it, the probe of its file, the decision (direct,
 * remux or transcode) and the address the player loads. Probes run once per file in the background
 * while the page shows progress.
 */
@Service
class Playback {

    private static final Logger log = LoggerFactory.getLogger(Playback.class);
    /** A failed probe is tried again after this long (the swarm may have come back). */
    private static final Duration PROBE_RETRY = Duration.ofSeconds(30);

    /**
     * LIMITED: the member's Play limit is reached (until retryAt); DISK_FULL: the disk quota, and nothing to
     * delete; PAUSED: an administrator paused the film's download.
     */
    enum Phase { UNAVAILABLE, FAILED, PAUSED, LIMITED, DISK_FULL, FINDING_PEERS, METADATA, PREPARING, READY }

    record AudioOption(int index, String language, String title, int channels, boolean selected) {}

    record SubtitleOption(String id, String language, String label, boolean isDefault, String src) {}

    record Status(Phase phase, int peers, long rate, double progress, int buffer, String mode, String src,
                  double duration, int resumeAt, List<AudioOption> audio, String quality, boolean qualityChoice,
                  String error, List<SubtitleOption> subtitles, Long retryAt) {

        Status(Phase phase, int peers, long rate, double progress, int buffer, String mode, String src, double duration,
               int resumeAt, List<AudioOption> audio, String quality, boolean qualityChoice, String error,
               List<SubtitleOption> subtitles) {
            this(phase, peers, rate, progress, buffer, mode, src, duration, resumeAt, audio, quality, qualityChoice, error,
                    subtitles, null);
        }
    }

    private record ProbeState(MediaProbe probe, String error, Instant at, boolean running) {}

    private final Downloads downloads;
    private final Prober prober;
    private final Transcoder transcoder;
    private final InternalMedia internal;
    private final WatchHistory history;
    private final FilmSubtitles filmSubtitles;
    private final ClusterClient cluster;
    private final LeaseTerms leaseTerms;
    private final Clock clock;
    private final Map<String, ProbeState> probes = new ConcurrentHashMap<>();
    private final Map<String, Instant> lastUse = new ConcurrentHashMap<>();
    private final Map<String, String> variants = new ConcurrentHashMap<>();
    private static final Duration IN_USE = Duration.ofMinutes(10);
    /** A converted variant's name in URLs: the audio stream and the quality ({@link #variant}). */
    private static final java.util.regex.Pattern VARIANT = java.util.regex.Pattern.compile("a(\\d{1,3})-([A-Z0-9]{1,10})");

    Playback(Downloads downloads, Prober prober, Transcoder transcoder, InternalMedia internal, WatchHistory history,
             @org.springframework.context.annotation.Lazy FilmSubtitles filmSubtitles, ClusterClient cluster,
             LeaseTerms leaseTerms, Clock clock) {
        this.cluster = cluster;
        this.leaseTerms = leaseTerms;
        this.filmSubtitles = filmSubtitles;
        this.downloads = downloads;
        this.prober = prober;
        this.transcoder = transcoder;
        this.internal = internal;
        this.history = history;
        this.clock = clock;
    }

    /**
     * Starts or joins the film's download and says how far it is; READY carries the address to play.
     * A download an administrator paused stays paused (PAUSED) unless {@code administrator}.
     */
    Status status(long filmId, long memberId, boolean administrator, Admission admission, Integer audioChoice,
                  Quality quality, String language, java.util.Locale reader) {
        Optional<Download> found;
        try {
            found = downloads.forFilm(filmId, admission, administrator);
        } catch (PlayRefused e) {
            log.info("film {}: no new download for member {}: {}", filmId, memberId, e.getMessage());
            Phase phase = "play.limit".equals(e.messageKey) ? Phase.LIMITED : Phase.DISK_FULL;
            return new Status(phase, 0, 0, 0, 0, null, null, 0, 0, List.of(), null, false, null, List.of(),
                    e.retryAt == null ? null : e.retryAt.toEpochMilli());
        }
        if (found.isEmpty()) {
            return simple(Phase.UNAVAILABLE, null);
        }
        Download d = found.get();
        if (d.getState() == Download.State.PAUSED) {
            return simple(Phase.PAUSED, null);
        }
        if (d.getState() == Download.State.FAILED) {
            return simple(Phase.FAILED, d.getError());
        }
        Optional<Torrent> torrent = downloads.torrent(d);
        int peers = torrent.map(t -> t.peers().size()).orElse(0);
        long rate = torrent.map(Torrent::downloadRate).orElse(0L);
        double progress = d.getState() == Download.State.COMPLETE ? 1 : torrent.map(Torrent::progress).orElse(0.0);
        if (torrent.isPresent() && torrent.get().state() == TorrentState.FETCHING_METADATA) {
            return new Status(peers == 0 ? Phase.FINDING_PEERS : Phase.METADATA, peers, rate, 0, 0, null, null, 0, 0,
                    List.of(), null, false, null, List.of());
        }
        downloads.ensureFile(d);
        Optional<MediaFile> file = media(d);
        if (file.isEmpty()) {
            return new Status(Phase.FINDING_PEERS, peers, rate, progress, 0, null, null, 0, 0, List.of(), null, false, null,
                    List.of());
        }
        long readable;
        if (file.get() instanceof RemoteMedia remote) {
            // Another instance runs the torrent: its engine's view, in one request.
            RemoteMedia.Status owner = remote.status(0);
            peers = owner.peers();
            rate = owner.rate();
            progress = owner.progress();
            readable = owner.readable();
        } else {
            readable = -1;
        }
        ProbeState probe = probe(file.get());
        if (probe.probe() == null) {
            long head = Math.min(file.get().length(), 2L << 20);
            long readableHead = readable >= 0 ? readable : file.get().readableFrom(0);
            int buffer = head == 0 ? 0 : (int) Math.min(99, 100 * readableHead / head);
            Phase phase = peers == 0 && buffer == 0 && d.getState() != Download.State.COMPLETE ? Phase.FINDING_PEERS
                    : Phase.PREPARING;
            return new Status(phase, peers, rate, progress, buffer, null, null, 0, 0, List.of(), null, false,
                    probe.running() ? null : probe.error(), List.of());
        }
        MediaProbe p = probe.probe();
        Plan plan;
        try {
            plan = Decision.decide(p, audioChoice == null ? -1 : audioChoice, quality);
        } catch (MediaException e) {
            return simple(Phase.FAILED, e.getMessage());
        }
        String src = switch (plan.mode()) {
            case DIRECT -> "/films/" + filmId + "/stream";
            case REMUX, TRANSCODE -> "/films/" + filmId + "/hls/" + variant(plan, quality) + "/index.m3u8";
        };
        List<AudioOption> audio = p.audio().stream()
                .map(a -> new AudioOption(a.index(), a.language() == null ? null
                        : org.hypertube.playback.subtitle.SubtitleLanguages.normalise(a.language()), a.title(), a.channels(),
                        a.index() == plan.audioStream()))
                .toList();
        double duration = p.duration();
        int resumeAt = history.resumeAt(memberId, filmId);
        List<SubtitleOption> subtitles = List.of();
        try {
            subtitles = filmSubtitles.tracks(d, file.get(), p, language, reader).stream()
                    .map(t -> new SubtitleOption(t.id(), t.language(), t.detail() == null ? t.label() : t.label() + " (" + t.detail() + ")",
                            t.isDefault(), "/films/" + filmId + "/subtitles/" + t.id() + ".vtt"))
                    .toList();
        } catch (RuntimeException e) {
            log.warn("{} subtitles unavailable: {}", d.getInfoHash(), e.toString());
        }
        return new Status(Phase.READY, peers, rate, progress, 100, plan.mode().name().toLowerCase(), src, duration,
                resumeAt, audio, quality.name(), plan.mode() == Delivery.TRANSCODE, null, subtitles);
    }

    private static Status simple(Phase phase, String error) {
        return new Status(phase, 0, 0, 0, 0, null, null, 0, 0, List.of(), null, false, error, List.of());
    }

    /** "a1-P720": the audio stream and quality of a converted variant (only numbers and enum names). */
    static String variant(Plan plan, Quality quality) {
        return "a" + plan.audioStream() + "-" + (plan.mode() == Delivery.TRANSCODE ? quality : Quality.ORIGINAL).name();
    }

    /**
     * The film file of a download that plays now: in this engine (while it downloads or seeds), else on disk
     * once finished, else from the instance that runs the torrent ({@link RemoteMedia}); a download nobody
     * runs (its owner's lease expired) is taken over here first.
     */
    Optional<MediaFile> media(Download d) {
        Optional<MediaFile> local = localMedia(d);
        if (local.isPresent() || d.getFileIndex() == null || d.getState() != Download.State.ACTIVE) {
            return local;
        }
        Optional<Lease> owner = downloads.runHereOrFindOwner(d);
        if (owner.isEmpty()) {
            return localMedia(d);
        }
        if (owner.get().address() == null) {
            log.warn("{} is run by {}, which has no cluster listener (HYPERTUBE_CLUSTER_LISTEN)", d.getInfoHash(),
                    owner.get().owner());
            return Optional.empty();
        }
        return Optional.of(new RemoteMedia(d.getInfoHash(), fileName(d.getFilePath()), d.getFileLength(),
                owner.get().address(), cluster, this::mediaForHash, leaseTerms.patience()));
    }

    /** The film of a download this instance runs, or finished on disk: never read from another instance. */
    Optional<MediaFile> localMedia(String infoHash) {
        return downloads.byHash(infoHash).flatMap(this::localMedia);
    }

    /** What the owner tells the other instances: readable bytes from an offset, and its swarm. */
    RemoteMedia.Status swarm(String infoHash, MediaFile file, long from) {
        Optional<Torrent> torrent = downloads.byHash(infoHash).flatMap(downloads::torrent);
        return new RemoteMedia.Status(file.readableFrom(from), torrent.map(t -> t.peers().size()).orElse(0),
                torrent.map(Torrent::downloadRate).orElse(0L), torrent.map(Torrent::progress).orElse(1.0));
    }

    private Optional<MediaFile> localMedia(Download d) {
        if (d.getFileIndex() == null) {
            return Optional.empty();
        }
        Optional<Torrent> torrent = downloads.torrent(d);
        if (torrent.isPresent() && torrent.get().info().isPresent()) {
            long bitrate = Optional.ofNullable(probes.get(d.getInfoHash())).map(ProbeState::probe)
                    .map(p -> p.bitRate() / 8).orElse(0L);
            return Optional.of(new MediaFile.InTorrent(torrent.get(), d.getFileIndex(),
                    fileName(d.getFilePath()), d.getFileLength(), bitrate));
        }
        if (d.getState() == Download.State.COMPLETE) {
            return downloads.fileOnDisk(d).filter(java.nio.file.Files::isRegularFile)
                    .map(path -> new MediaFile.OnDisk(d.getInfoHash(), path, d.getFileLength()));
        }
        return Optional.empty();
    }

    Optional<MediaFile> mediaForFilm(long filmId) {
        Optional<MediaFile> file = downloads.existingForFilm(filmId).flatMap(this::media);
        file.ifPresent(f -> used(f.infoHash()));
        return file;
    }

    Optional<MediaFile> mediaForHash(String infoHash) {
        return downloads.byHash(infoHash).flatMap(this::media);
    }

    private static String fileName(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? path : path.substring(slash + 1);
    }

    private ProbeState probe(MediaFile file) {
        String key = file.infoHash();
        ProbeState state = probes.get(key);
        Instant now = clock.instant();
        if (state != null && (state.probe() != null || state.running()
                || Duration.between(state.at(), now).compareTo(PROBE_RETRY) < 0)) {
            return state;
        }
        ProbeState running = new ProbeState(null, null, now, true);
        if (state == null ? probes.putIfAbsent(key, running) != null : !probes.replace(key, state, running)) {
            return probes.get(key);
        }
        String url = internal.url(key);
        Thread.ofVirtual().name("probe-" + key).start(() -> {
            try {
                MediaProbe result = prober.probe(url);
                probes.put(key, new ProbeState(result, null, clock.instant(), false));
                log.info("{} probed: {} {} s, video {}, audio {}", key, result.formats(), Math.round(result.duration()),
                        result.video().stream().map(MediaProbe.VideoStream::codec).toList(),
                        result.audio().stream().map(MediaProbe.AudioStream::codec).toList());
            } catch (RuntimeException e) {
                // The player shows this error, so it names the film, never the internal address ffprobe read.
                String error = String.valueOf(e.getMessage()).replace(url, "the film");
                probes.put(key, new ProbeState(null, error, clock.instant(), false));
                log.warn("{} probe failed: {}", key, error);
            }
        });
        return running;
    }

    /** The converted stream of a film for a member and variant, started on first use. */
    Optional<HlsSession> hls(long filmId, long memberId, String variant) {
        Optional<Download> d = downloads.existingForFilm(filmId);
        if (d.isEmpty()) {
            return Optional.empty();
        }
        String hash = d.get().getInfoHash();
        ProbeState probe = probes.get(hash);
        if (probe == null || probe.probe() == null) {
            return Optional.empty();
        }
        java.util.regex.Matcher m = VARIANT.matcher(variant);
        if (!m.matches()) {
            return Optional.empty();
        }
        Quality quality;
        try {
            quality = Quality.valueOf(m.group(2));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        Plan plan;
        try {
            plan = Decision.decide(probe.probe(), Integer.parseInt(m.group(1)), quality);
        } catch (MediaException e) {
            return Optional.empty();
        }
        if (plan.mode() == Delivery.DIRECT || !variant.equals(variant(plan, quality))) {
            return Optional.empty();
        }
        // One conversion per film and variant, shared by every viewer (its key names no member).
        String key = Transcoder.key(hash, plan);
        String viewer = "m" + memberId;
        used(hash);
        // A member watches one variant of a film at a time: switching audio or quality frees the old
        // conversion's slot at once (unless another viewer uses it) instead of when it goes idle.
        String previous = variants.put(viewer + "-" + hash, key);
        if (previous != null && !previous.equals(key)) {
            transcoder.leave(previous, viewer);
        }
        return Optional.of(transcoder.open(hash, internal.url(hash), probe.probe(), plan));
    }

    /** Someone is reading this download's film now (a range or a segment request). */
    void used(String infoHash) {
        lastUse.put(infoHash, clock.instant());
    }

    /** Whether anyone read the film in the last few minutes (retention spares it). */
    boolean inUse(String infoHash) {
        Instant last = lastUse.get(infoHash);
        return last != null && Duration.between(last, clock.instant()).compareTo(IN_USE) < 0;
    }

    /** What ffprobe said of a download's film, once it has. */
    Optional<MediaProbe> probed(String infoHash) {
        return Optional.ofNullable(probes.get(infoHash)).map(ProbeState::probe);
    }

    /** The WebVTT of one subtitle track of the film being played. */
    Optional<String> subtitle(long filmId, String trackId, String language, java.util.Locale reader)
            throws org.hypertube.playback.subtitle.SubtitleException {
        Optional<Download> d = downloads.existingForFilm(filmId);
        if (d.isEmpty()) {
            return Optional.empty();
        }
        Optional<MediaFile> file = media(d.get());
        Optional<MediaProbe> probe = probed(d.get().getInfoHash());
        if (file.isEmpty() || probe.isEmpty()) {
            return Optional.empty();
        }
        return filmSubtitles.vtt(d.get(), file.get(), probe.get(), trackId, language, reader);
    }

    /** Forgets what was probed of a download that is gone, and deletes its converted segments. */
    void forget(String infoHash) {
        probes.remove(infoHash);
        transcoder.evict(infoHash.toLowerCase(java.util.Locale.ROOT));
    }
}
