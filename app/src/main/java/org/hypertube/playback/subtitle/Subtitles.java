package org.hypertube.playback.subtitle;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import org.hypertube.playback.subtitle.EmbeddedSubtitles.Extracted;
import org.hypertube.playback.subtitle.EmbeddedSubtitles.Track;
import org.hypertube.playback.subtitle.OpenSubtitles.SubtitleFile;
import org.hypertube.playback.subtitle.SidecarSubtitles.TorrentFile;
import org.hypertube.playback.subtitle.SubtitleTracks.SubtitleTrack;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * What the film page and the subtitle endpoint need: the track list of a film for a viewer, and
 * the WebVTT text of one track, converted once and then read from {@link SubtitleCache}.
 * OpenSubtitles failures (off, quota, down) never fail the list: its tracks are just missing.
 */
@Component
public class Subtitles {

    private static final Logger log = LoggerFactory.getLogger(Subtitles.class);
    private static final Pattern INFO_HASH = Pattern.compile("[0-9a-fA-F]{40}");
    /** Search answers are kept this long: a film page view must not cost an OpenSubtitles request. */
    static final Duration SEARCH_TTL = Duration.ofHours(6);

    /** Reads a torrent file's bytes (at most {@code maxBytes}); it may wait for the pieces. */
    @FunctionalInterface
    public interface SidecarReader {
        byte[] read(int fileIndex, long maxBytes) throws IOException;
    }

    /**
     * The ffmpeg to run, the film it reads (a loopback URL or a local path) and its subtitle streams
     * as {@link EmbeddedSubtitles#probe} listed them.
     */
    public record EmbeddedSource(Path ffmpeg, String input, List<Track> tracks) {
    }

    private final SidecarSubtitles sidecars;
    private final EmbeddedSubtitles embedded;
    private final OpenSubtitles openSubtitles;
    private final SubtitleCache cache;
    private final WebVtt webVtt;
    private final Cache<String, List<SubtitleFile>> searches = Caffeine.newBuilder()
            .expireAfterWrite(SEARCH_TTL).maximumSize(2_000).build();

    public Subtitles(SidecarSubtitles sidecars, EmbeddedSubtitles embedded, OpenSubtitles openSubtitles, SubtitleCache cache,
                     WebVtt webVtt) {
        this.sidecars = sidecars;
        this.embedded = embedded;
        this.openSubtitles = openSubtitles;
        this.cache = cache;
        this.webVtt = webVtt;
    }

    /**
     * The subtitle tracks of a film for a viewer.
     *
     * @param infoHash       the torrent being played (40 hex digits)
     * @param files          its files, for subtitle files beside the film
     * @param embeddedTracks the video's subtitle streams (see {@link EmbeddedSubtitles#probe}); picture ones are left out
     * @param imdbId         for OpenSubtitles ({@code tt0133093}); null: no OpenSubtitles search
     * @param moviehash      the film file's {@link OpenSubtitlesHash}, when known: matching files rank first
     * @param userLanguage   the viewer's preferred language ({@code fr}); OpenSubtitles is asked for it and English
     * @param reader         the locale of the labels
     */
    public List<SubtitleTrack> tracks(String infoHash, List<TorrentFile> files, List<Track> embeddedTracks, String imdbId,
                                      Optional<String> moviehash, String userLanguage, Locale reader) {
        List<SubtitleFile> online = List.of();
        if (imdbId != null && openSubtitles.enabled()) {
            List<String> languages = new ArrayList<>(List.of("en"));
            if (userLanguage != null && SubtitleLanguages.isTag(userLanguage) && !userLanguage.equals("en")) {
                languages.add(userLanguage);
            }
            String key = imdbId + " " + languages + " " + moviehash.orElse("");
            online = searches.getIfPresent(key);
            if (online == null) {
                try {
                    online = openSubtitles.search(imdbId, languages, moviehash);
                    searches.put(key, online);
                } catch (SubtitleException e) {
                    log.info("no OpenSubtitles tracks for {}: {}", imdbId, e.getMessage());
                    online = List.of();
                }
            }
        }
        return SubtitleTracks.merge(infoHash, sidecars.find(files), embeddedTracks, online, userLanguage, reader);
    }

    /**
     * The WebVTT text of a track listed by {@link #tracks}: from the cache, else converted (and cached).
     *
     * @param filmKey  the film's key for OpenSubtitles files, {@code [a-z0-9]{1,64}} (e.g. {@code tt0133093})
     * @param infoHash the torrent of the sidecar and embedded tracks
     * @param files    reads the torrent's subtitle files (SIDECAR)
     * @param video    ffmpeg, the film and its streams (EMBEDDED); all its text tracks are extracted and
     *                 cached at once. ffmpeg reads the whole film, so for a torrent still downloading this
     *                 waits for all of it: offer embedded tracks once the file is complete, or extract
     *                 windows with {@link EmbeddedSubtitles#extract(Path, String, List, Path, EmbeddedSubtitles.Window)}
     */
    public String vtt(String filmKey, String infoHash, SubtitleTrack track, SidecarReader files, EmbeddedSource video)
            throws SubtitleException {
        String id = Long.toString(track.ref());
        return switch (track.source()) {
            case SIDECAR -> cache.getOrCreate(torrentKey(infoHash), SubtitleSource.SIDECAR, id, track.language(), () -> {
                byte[] data;
                try {
                    data = files.read((int) track.ref(), webVtt.maxBytes());
                } catch (IOException e) {
                    throw new SubtitleException("cannot read subtitle file " + track.ref() + " of the torrent: " + e.getMessage(), e);
                }
                return webVtt.toWebVtt(data, "torrent file " + track.ref());
            });
            case EMBEDDED -> cache.getOrCreate(torrentKey(infoHash), SubtitleSource.EMBEDDED, id, track.language(),
                    () -> extractAll(torrentKey(infoHash), track, video));
            case OPENSUBTITLES -> cache.getOrCreate(filmKey, SubtitleSource.OPENSUBTITLES, id, track.language(),
                    () -> webVtt.toWebVtt(openSubtitles.download(track.ref()), "OpenSubtitles file " + track.ref()));
        };
    }

    /**
     * Every text track's WebVTT from the film as {@code video.input()} holds it now (the verified beginning
     * of a film still downloading), by subtitle index; not cached, since that part grows. Tracks that
     * failed alone are left out.
     */
    public java.util.Map<Integer, String> extractPart(EmbeddedSource video) throws SubtitleException {
        java.util.Map<Integer, String> out = new java.util.HashMap<>();
        for (Extracted result : embedded.extract(video.ffmpeg(), video.input(), video.tracks(), cache.root().resolve(".work"))) {
            if (result.ok()) {
                out.put(result.track().subtitleIndex(), result.vtt());
            }
        }
        return out;
    }

    /**
     * Extracts every text track in one ffmpeg run (one read of the film), caches each and returns the
     * asked one; a track that failed alone is not cached, so it is tried again next time.
     */
    private String extractAll(String key, SubtitleTrack track, EmbeddedSource video) throws SubtitleException {
        if (video == null) {
            throw new SubtitleException("no video to extract embedded track " + track.ref() + " from");
        }
        List<Extracted> results = embedded.extract(video.ffmpeg(), video.input(), video.tracks(), cache.root().resolve(".work"));
        String asked = null;
        String failure = "the video has no text subtitle track " + track.ref();
        for (Extracted result : results) {
            Track stream = result.track();
            if (!result.ok()) {
                if (stream.subtitleIndex() == track.ref()) {
                    failure = result.failure();
                }
                continue;
            }
            String vtt = result.vtt();
            if (stream.subtitleIndex() == track.ref()) {
                asked = vtt; // stored by getOrCreate
            } else {
                cache.write(key, SubtitleSource.EMBEDDED, Integer.toString(stream.subtitleIndex()), stream.language(), vtt);
            }
        }
        if (asked == null) {
            throw new SubtitleException(failure);
        }
        return asked;
    }

    private static String torrentKey(String infoHash) throws SubtitleException {
        if (infoHash == null || !INFO_HASH.matcher(infoHash).matches()) {
            throw new SubtitleException("not an info hash: " + infoHash);
        }
        return infoHash.toLowerCase(Locale.ROOT);
    }
}
