package org.hypertube.playback;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.hypertube.playback.media.Decision;
import org.hypertube.playback.media.Delivery;
import org.hypertube.playback.media.MediaException;
import org.hypertube.playback.media.MediaProbe;
import org.hypertube.playback.media.Plan;
import org.hypertube.playback.media.Playable;
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

    /**
     * LIMITED: the member's Play limit is reached (until retryAt); DISK_FULL: the disk quota, and nothing to
     * delete; PAUSED: an administrator paused the film's download; BUSY: the film needs a conversion and the
     * member already watches as many other films converted as allowed ({@link MemberConversions}).
     */
    enum Phase { UNAVAILABLE, FAILED, PAUSED, LIMITED, DISK_FULL, BUSY, FINDING_PEERS, METADATA, PREPARING, READY }

    record AudioOption(int index, String language, String title, int channels, boolean selected) {}

    record SubtitleOption(String id, String language, String label, boolean isDefault, String src) {}

    /**
     * @param waiting   what the server waits for, with figures (null once ready or when there is nothing to wait for)
     * @param subtitlesGrowing tracks inside the film are offered from its verified beginning, which grows:
     *                  the page asks again now and then for their newer addresses
     * @param thumbnails the film's seek-bar thumbnails are made, all or the first sheets: {@code /films/{id}/thumbnails.vtt} answers
     * @param thumbnailsVersion names the set of thumbnails that index lists (changes when more are made), or null
     * @param thumbnailsGrowing more thumbnails will come while the film downloads: the page asks again now and then
     *                  (a finished film's, still to be made, show at its next Play)
     * @param have      the parts of the film file the server holds, as [start, end) fractions ({@link VerifiedRanges}):
     *                  the seek bar shows them; empty while the file is not known
     */
    record Status(Phase phase, int peers, long rate, double progress, int buffer, String mode, String src,
                  double duration, int resumeAt, List<AudioOption> audio, String quality, boolean qualityChoice,
                  String error, List<SubtitleOption> subtitles, Long retryAt, Waiting.Wait waiting,
                  boolean subtitlesGrowing, boolean thumbnails, String thumbnailsVersion, boolean thumbnailsGrowing,
                  List<List<Double>> have) {

        Status(Phase phase, int peers, long rate, double progress, int buffer, String mode, String src, double duration,
               int resumeAt, List<AudioOption> audio, String quality, boolean qualityChoice, String error,
               List<SubtitleOption> subtitles, Long retryAt, Waiting.Wait waiting, boolean subtitlesGrowing) {
            this(phase, peers, rate, progress, buffer, mode, src, duration, resumeAt, audio, quality, qualityChoice, error,
                    subtitles, retryAt, waiting, subtitlesGrowing, false, null, false, List.of());
        }

        Status(Phase phase, int peers, long rate, double progress, int buffer, String mode, String src, double duration,
               int resumeAt, List<AudioOption> audio, String quality, boolean qualityChoice, String error,
               List<SubtitleOption> subtitles) {
            this(phase, peers, rate, progress, buffer, mode, src, duration, resumeAt, audio, quality, qualityChoice, error,
                    subtitles, null, null, false, false, null, false, List.of());
        }

        /** The phase alone, with what is awaited. */
        static Status waiting(Phase phase, int peers, long rate, double progress, int buffer, String error,
                              Waiting.Wait wait) {
            return new Status(phase, peers, rate, progress, buffer, null, null, 0, 0, List.of(), null, false, error,
                    List.of(), null, wait, false, false, null, false, List.of());
        }

        /** The same status with the parts of the file the server holds. */
        Status holding(List<List<Double>> parts) {
            return new Status(phase, peers, rate, progress, buffer, mode, src, duration, resumeAt, audio, quality, qualityChoice,
                    error, subtitles, retryAt, waiting, subtitlesGrowing, thumbnails, thumbnailsVersion, thumbnailsGrowing, parts);
        }
    }

    private final Downloads downloads;
    private final Transcoder transcoder;
    private final WatchHistory history;
    private final FilmSubtitles filmSubtitles;
    private final ClusterClient cluster;
    private final LeaseTerms leaseTerms;
    private final FilmUse filmUse;
    private final Clock clock;
    private final FilmProbes probes;
    private final FilmThumbnails thumbnails;
    private final ConversionAccess access;
    private record FoundOwner(Lease lease, long atNanos) {}
    private static final Duration OWNER_KEPT = Duration.ofSeconds(2);
    private final Map<String, FoundOwner> owners = new ConcurrentHashMap<>();

    Playback(Downloads downloads, FilmProbes probes, Transcoder transcoder, WatchHistory history,
             @org.springframework.context.annotation.Lazy FilmSubtitles filmSubtitles, ClusterClient cluster,
             LeaseTerms leaseTerms, FilmUse filmUse, Clock clock, FilmThumbnails thumbnails, ConversionAccess access) {
        this.thumbnails = thumbnails;
        this.access = access;
        this.cluster = cluster;
        this.filmUse = filmUse;
        this.leaseTerms = leaseTerms;
        this.filmSubtitles = filmSubtitles;
        this.downloads = downloads;
        downloads.onRemoved(this::forget);
        downloads.onFileKnown(this::fileKnown);
        this.probes = probes;
        this.transcoder = transcoder;
        this.history = history;
        this.clock = clock;
    }

    /**
     * Starts or joins the film's download and says how far it is; READY carries the address to play.
     * A download an administrator paused stays paused (PAUSED) unless {@code administrator}.
     */
    Status status(long filmId, PlayerPage page, boolean administrator, Admission admission, Integer audioChoice,
                  Quality quality, Playable browser, String language, java.util.Locale reader) {
        long memberId = page.memberId();
        Optional<Download> found;
        try {
            found = downloads.forFilm(filmId, admission, administrator);
        } catch (PlayRefused e) {
            log.info("film {}: no new download for member {}: {}", filmId, memberId, e.getMessage());
            Phase phase = "play.limit".equals(e.messageKey) ? Phase.LIMITED : Phase.DISK_FULL;
            return new Status(phase, 0, 0, 0, 0, null, null, 0, 0, List.of(), null, false, null, List.of(),
                    e.retryAt == null ? null : e.retryAt.toEpochMilli(), null, false, false, null, false, List.of());
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
        // From the first Play on (before the metadata too): the headers are read as soon as the file is known.
        probes.asked(d.getInfoHash());
        Optional<Torrent> torrent = downloads.torrent(d);
        int peers = torrent.map(t -> t.peers().size()).orElse(0);
        long rate = torrent.map(Torrent::downloadRate).orElse(0L);
        double progress = d.getState() == Download.State.COMPLETE ? 1 : torrent.map(Torrent::progress).orElse(0.0);
        if (torrent.isPresent() && torrent.get().state() == TorrentState.FETCHING_METADATA) {
            return Status.waiting(peers == 0 ? Phase.FINDING_PEERS : Phase.METADATA, peers, rate, 0, 0, null,
                    Waiting.forPeers(torrent.get()));
        }
        downloads.ensureFile(d);
        Optional<MediaFile> file = media(d);
        if (file.isEmpty()) {
            return Status.waiting(Phase.FINDING_PEERS, peers, rate, progress, 0, null,
                    torrent.map(Waiting::forPeers).orElse(null));
        }
        List<List<Double>> have;
        if (file.get() instanceof RemoteMedia remote) {
            // Another instance runs the torrent: its engine's view, in one request.
            RemoteMedia.Status owner = remote.status(0);
            peers = owner.peers();
            rate = owner.rate();
            progress = owner.progress();
            have = VerifiedRanges.prefix(owner.readable(), remote.length());
        } else {
            have = file.get().verified();
        }
        FilmProbes.State probe = probes.probe(file.get(), false);
        if (probe.probe() == null) {
            return preparing(d, file.get(), probe, torrent, peers, rate, progress).holding(have);
        }
        Plan plan;
        try {
            plan = Decision.decide(probe.probe(), audioChoice == null ? -1 : audioChoice, quality, browser);
        } catch (MediaException e) {
            return simple(Phase.FAILED, e.getMessage());
        }
        if (plan.mode() == Delivery.TRANSCODE && probe.fromHeaders()) {
            // A transcode was asked for (another quality): it needs ffprobe's view of the film.
            return preparing(d, file.get(), probes.probe(file.get(), true), torrent, peers, rate, progress).holding(have);
        }
        if (!access.hand(memberId, filmId, plan, quality)) {
            return simple(Phase.BUSY, null);
        }
        MediaProbe p = probe.probe();
        String src = switch (plan.mode()) {
            case DIRECT -> "/films/" + filmId + "/stream";
            case REMUX, TRANSCODE -> "/films/" + filmId + "/hls/" + ConversionAccess.variant(plan, quality) + "/index.m3u8";
        };
        List<AudioOption> audio = p.audio().stream()
                .map(a -> new AudioOption(a.index(), a.language() == null ? null
                        : org.hypertube.playback.subtitle.SubtitleLanguages.normalise(a.language()), a.title(), a.channels(),
                        a.index() == plan.audioStream()))
                .toList();
        double duration = p.duration();
        int resumeAt = history.resumeAt(memberId, filmId);
        List<SubtitleOption> subtitles = List.of();
        boolean growing = false;
        try {
            FilmSubtitles.Listed listed = filmSubtitles.listed(d, file.get(), p, language, reader);
            growing = listed.growing();
            String version = growing ? "?upto=" + listed.prefix() : "";
            subtitles = listed.tracks().stream()
                    .map(t -> new SubtitleOption(t.id(), t.language(), t.detail() == null ? t.label() : t.label() + " (" + t.detail() + ")",
                            t.isDefault(), "/films/" + filmId + "/subtitles/" + t.id() + ".vtt"
                            + (t.source() == org.hypertube.playback.subtitle.SubtitleSource.EMBEDDED ? version : "")))
                    .toList();
        } catch (RuntimeException e) {
            log.warn("{} subtitles unavailable: {}", d.getInfoHash(), e.toString());
        }
        Waiting.Wait wait = plan.mode() == Delivery.DIRECT ? null : Waiting.converting();
        FilmThumbnails.Shown shown = thumbnails.shown(d);
        if (plan.mode() != Delivery.DIRECT) {
            access.prepare(filmId, page, ConversionAccess.variant(plan, quality), resumeAt);
        }
        return new Status(Phase.READY, peers, rate, progress, 100, plan.mode().name().toLowerCase(), src, duration,
                resumeAt, audio, quality.name(), plan.mode() == Delivery.TRANSCODE, null, subtitles, null, wait, growing,
                shown.version() != null, shown.version(), shown.growing(), have);
    }

    /**
     * A download's film file became known (its metadata came): when someone has pressed Play on it, its
     * headers are read now rather than when the page next asks for the status.
     */
    private void fileKnown(Download d) {
        if (probes.wasAsked(d.getInfoHash())) {
            localMedia(d).ifPresent(file -> probes.probe(file, false));
        }
    }

    /**
     * The status a stream pushes ({@link StatusEvents}): like {@link #status}, but a download removed since the
     * stream opened (by an administrator, or the quota) is not started again by a page that may be gone: the
     * stream says UNAVAILABLE and ends; a Play of the viewer starts one again.
     */
    Status streamed(long filmId, PlayerPage page, boolean administrator, Admission admission, Integer audioChoice,
                    Quality quality, Playable browser, String language, java.util.Locale reader) {
        if (downloads.existingForFilm(filmId).isEmpty()) {
            return simple(Phase.UNAVAILABLE, null);
        }
        return status(filmId, page, administrator, admission, audioChoice, quality, browser, language, reader);
    }

    /** Still reading the film's headers (ours or ffprobe): how much of what they need is here. */
    private Status preparing(Download d, MediaFile file, FilmProbes.State probe, Optional<Torrent> torrent, int peers,
                             long rate, double progress) {
        long head = Math.min(file.length(), org.hypertube.torrent.TorrentStream.HEAD_TAIL_BYTES);
        int buffer = head == 0 ? 0 : (int) Math.min(99, 100 * file.readableFrom(0) / head);
        Phase phase = peers == 0 && buffer == 0 && d.getState() != Download.State.COMPLETE ? Phase.FINDING_PEERS
                : Phase.PREPARING;
        Waiting.Wait wait = phase == Phase.FINDING_PEERS ? torrent.map(Waiting::forPeers).orElse(null)
                : Waiting.forHeaders(file, probes.reading(file.infoHash()).orElse(null), rate);
        return Status.waiting(phase, peers, rate, progress, buffer, probe.running() ? null : probe.error(), wait);
    }

    private static Status simple(Phase phase, String error) {
        return new Status(phase, 0, 0, 0, 0, null, null, 0, 0, List.of(), null, false, error, List.of());
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
        Optional<Lease> owner = recentOwner(d.getInfoHash());
        if (owner.isEmpty()) {
            owner = downloads.runHereOrFindOwner(d);
            if (owner.isEmpty()) {
                owners.remove(d.getInfoHash());
                return localMedia(d);
            }
            owners.put(d.getInfoHash(), new FoundOwner(owner.get(), System.nanoTime()));
        }
        if (owner.get().address() == null) {
            log.warn("{} is run by {}, which has no cluster listener (HYPERTUBE_CLUSTER_LISTEN)", d.getInfoHash(),
                    owner.get().owner());
            return Optional.empty();
        }
        return Optional.of(new RemoteMedia(d.getInfoHash(), fileName(d.getFilePath()), d.getFileLength(),
                owner.get().address(), cluster, this::freshMediaForHash, leaseTerms.patience()));
    }

    /**
     * The owner found for a download another instance runs, for {@link #OWNER_KEPT}: each range request of a
     * remote reader would otherwise take the Downloads lock and query the lease.
     */
    private Optional<Lease> recentOwner(String infoHash) {
        FoundOwner found = owners.get(infoHash);
        if (found == null || System.nanoTime() - found.atNanos() > OWNER_KEPT.toNanos()) {
            return Optional.empty();
        }
        return Optional.of(found.lease());
    }

    /** For a reader whose owner failed: the owner is looked up again, never taken from {@link #recentOwner}. */
    private Optional<MediaFile> freshMediaForHash(String infoHash) {
        owners.remove(infoHash);
        return mediaForHash(infoHash);
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
            long bitrate = probes.probed(d.getInfoHash()).map(p -> p.bitRate() / 8).orElse(0L);
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

    /**
     * The verified beginning of a download's film, at most {@code upTo} bytes, read from its file on disk:
     * for ffmpeg reading what has arrived without waiting for the rest or wishing for any piece.
     */
    Optional<MediaFile> verifiedPrefix(String infoHash, long upTo) {
        return mediaForHash(infoHash).flatMap(file -> {
            long length = Math.min(upTo, file.readableFrom(0));
            return switch (file) {
                case MediaFile.OnDisk disk -> Optional.of(new MediaFile.OnDisk(infoHash, disk.path(), length));
                case MediaFile.InTorrent t -> t.torrent().files().size() > t.fileIndex()
                        ? Optional.<MediaFile>of(new MediaFile.OnDisk(infoHash, t.torrent().files().get(t.fileIndex()).location(), length))
                        : Optional.empty();
                default -> Optional.empty();
            };
        });
    }

    private static String fileName(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? path : path.substring(slash + 1);
    }

    /** Someone is reading this download's film now (a range or a segment request). */
    void used(String infoHash) {
        filmUse.used(infoHash);
    }

    /** Whether anyone read the film in the last few minutes, on any instance (retention spares it). */
    boolean inUse(String infoHash) {
        return filmUse.inUse(infoHash);
    }

    /** What ffprobe or our container readers said of a download's film, once they have. */
    Optional<MediaProbe> probed(String infoHash) {
        return probes.probed(infoHash);
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

    /** Bytes of seek-bar thumbnails kept for no download, until the sweep deletes them (they count in the disk quota). */
    long strayBytes(List<Download> all) {
        return thumbnails.strayBytes(all);
    }

    /** Bytes of the converted segments and seek-bar thumbnails kept for a download's film (they count in the disk quota). */
    long keptBytes(String infoHash) {
        return transcoder.keptBytes(infoHash.toLowerCase(java.util.Locale.ROOT)) + thumbnails.keptBytes(infoHash);
    }

    /** Forgets what was probed of a download that is gone, and deletes its converted segments. */
    void forget(String infoHash) {
        probes.forget(infoHash);
        owners.remove(infoHash);
        transcoder.evict(infoHash.toLowerCase(java.util.Locale.ROOT));
    }
}
