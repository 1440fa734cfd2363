package org.hypertube.playback;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import org.hypertube.playback.media.FfmpegBinaries;
import org.hypertube.playback.media.MediaProbe;
import org.hypertube.playback.thumbnails.SpriteSheets;
import org.hypertube.playback.thumbnails.ThumbnailProperties;
import org.hypertube.playback.thumbnails.ThumbnailSchedule;
import org.hypertube.playback.thumbnails.ThumbnailStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The seek-bar thumbnails of a film still downloading ({@link FilmThumbnails}): the whole sheets its verified
 * beginning holds, read by ffmpeg from this instance's disk, when that beginning holds a sheet more than those made
 * ({@link ThumbnailSchedule}, which also spaces the runs). The whole film's replace them once it is here.
 */
final class BeginningThumbnails {

    private static final Logger log = LoggerFactory.getLogger(FilmThumbnails.class);

    private final Downloads downloads;
    private final FilmProbes probes;
    private final InternalMedia internal;
    private final ThumbnailStore store;
    private final SpriteSheets sheets;
    private final ThumbnailProperties properties;
    private final Clock clock;
    /** Films deleted while their thumbnails are being made (shared with {@link FilmThumbnails}). */
    private final Set<String> removed;
    /** A conversion for a viewer runs here: a run gives way. */
    private final BooleanSupplier busy;
    /** What a run leaves goes ({@link FilmThumbnails#afterRun}). */
    private final BiConsumer<String, Path> afterRun;
    /** The last run over each downloading film's verified beginning. */
    private final Map<String, ThumbnailSchedule.Run> runs = new ConcurrentHashMap<>();

    BeginningThumbnails(Downloads downloads, FilmProbes probes, InternalMedia internal, ThumbnailStore store,
                        SpriteSheets sheets, ThumbnailProperties properties, Clock clock, Set<String> removed,
                        BooleanSupplier busy, BiConsumer<String, Path> afterRun) {
        this.downloads = downloads;
        this.probes = probes;
        this.internal = internal;
        this.store = store;
        this.sheets = sheets;
        this.properties = properties;
        this.clock = clock;
        this.removed = removed;
        this.busy = busy;
        this.afterRun = afterRun;
    }

    /** Whether a downloading film's verified beginning holds a sheet more than those made. */
    boolean due(Download d) {
        String hash = d.getInfoHash().toLowerCase(java.util.Locale.ROOT);
        return beginning(d).filter(bytes -> ThumbnailSchedule.due(bytes, d.getFileLength(), duration(hash),
                store.sheetsOfBeginning(hash, d.getFileIndex()), runs.get(hash), clock.instant())).isPresent();
    }

    /** The film's runs are forgotten (its whole thumbnails are made, or it was removed). */
    void forget(String hash) {
        runs.remove(hash);
    }

    /** Bytes from the start of a download's film verified without a gap, when its torrent runs here. */
    private Optional<Long> beginning(Download d) {
        if (d.getFileLength() == null || d.getFilePath() == null) {
            return Optional.empty();
        }
        return downloads.torrent(d).filter(t -> t.info().isPresent())
                .map(t -> new MediaFile.InTorrent(t, d.getFileIndex(), d.getFilePath(), d.getFileLength(), 0).readableFrom(0));
    }

    double duration(String hash) {
        return probes.probed(hash).map(MediaProbe::duration).orElse(0.0);
    }

    /**
     * The whole sheets the verified beginning holds, read by ffmpeg from this instance's disk up to where the
     * verified bytes end (never a byte the engine has not verified, no wish for the swarm), published when they
     * are more than those made before.
     */
    FilmThumbnails.Outcome make(Download d, String hash, int file) {
        Optional<Long> beginning = beginning(d);
        if (beginning.isEmpty()) {
            return FilmThumbnails.Outcome.GONE;
        }
        long bytes = beginning.get();
        store.dropStaleWork(hash, properties.timeout().plusMinutes(10));
        removed.remove(hash);
        runs.put(hash, new ThumbnailSchedule.Run(bytes, clock.instant(),
                ThumbnailSchedule.estimatedSheets(bytes, d.getFileLength(), duration(hash))));
        long started = System.nanoTime();
        Path work = null;
        try {
            work = store.workFolder(hash);
            SpriteSheets.Made made = sheets.makeFromBeginning(internal.prefixUrl(d.getInfoHash(), bytes), work,
                    properties.timeout(), () -> busy.getAsBoolean() || removed.contains(hash));
            if (removed.contains(hash) || downloads.find(d.getId()).isEmpty()) {
                return FilmThumbnails.Outcome.GONE;
            }
            if (made.sheets() == 0 || !store.publishBeginning(hash, file, made.sheets(), work)) {
                return FilmThumbnails.Outcome.NOT_YET;
            }
            log.info("film {} ({}): seek-bar thumbnails of its first {} MB made while it downloads, {} sheet(s), in {} s",
                    d.getFilmId(), hash, bytes / 1_000_000, made.sheets(), FilmThumbnails.seconds(started));
            return FilmThumbnails.Outcome.MADE;
        } catch (FfmpegBinaries.StoppedException e) {
            runs.remove(hash);   // made again once the conversions end
            return FilmThumbnails.Outcome.BUSY;
        } catch (IOException | RuntimeException e) {
            log.info("film {} ({}): no seek-bar thumbnails from its first {} MB yet: {}", d.getFilmId(), hash,
                    bytes / 1_000_000, e.getMessage());
            return FilmThumbnails.Outcome.NOT_YET;
        } finally {
            afterRun.accept(hash, work);
        }
    }

}
