package org.hypertube.playback;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.hypertube.catalog.Catalog;
import org.hypertube.catalog.Film;
import org.hypertube.playback.media.FfmpegBinaries;
import org.hypertube.playback.media.MediaProbe;
import org.hypertube.playback.subtitle.EmbeddedSubtitles;
import org.hypertube.playback.subtitle.OpenSubtitlesHash;
import org.hypertube.playback.subtitle.SidecarSubtitles;
import org.hypertube.playback.subtitle.SubtitleException;
import org.hypertube.playback.subtitle.SubtitleLanguages;
import org.hypertube.playback.subtitle.SubtitleSource;
import org.hypertube.playback.subtitle.SubtitleTracks.SubtitleTrack;
import org.hypertube.playback.subtitle.Subtitles;
import org.hypertube.torrent.FileInfo;
import org.hypertube.torrent.Torrent;
import org.hypertube.torrent.InfoHash;
import org.hypertube.torrent.Metainfo;
import org.hypertube.torrent.TorrentFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * The subtitles of the film a download plays, from its three sources (files beside the film in the
 * torrent, text tracks inside the video, OpenSubtitles), and the WebVTT text of each. Text tracks inside
 * a Matroska film are offered while it downloads too: ffmpeg reads the film's verified beginning from
 * disk (never through the engine: no reader waits, no piece is wished for) and gives the cues that are
 * in it; the page fetches them again as that beginning grows by a step ({@link #step}). Once the film is
 * complete, each track is extracted from all of it and cached on disk.
 */
@Service
class FilmSubtitles implements AvailableSubtitles {

    private static final Logger log = LoggerFactory.getLogger(FilmSubtitles.class);

    private final Subtitles subtitles;
    private final Downloads downloads;
    private final Engine engine;
    private final TorrentFiles torrentFiles;
    private final Catalog catalog;
    private final FfmpegBinaries binaries;
    private final InternalMedia internal;
    private final Cache<String, List<SubtitleTrack>> lists = Caffeine.newBuilder()
            .expireAfterWrite(Duration.ofMinutes(10)).maximumSize(1_000).build();
    private final Cache<String, String> hashes = Caffeine.newBuilder().maximumSize(1_000).build();
    /** Tracks read from a film's verified beginning, by info hash and length of that beginning. */
    private final Cache<String, java.util.Map<Integer, String>> parts = Caffeine.newBuilder()
            .expireAfterAccess(Duration.ofMinutes(10)).maximumSize(50).build();
    /** The smallest growth of the verified beginning that is read again: 2 MiB. */
    static final long MIN_STEP = 2L << 20;

    FilmSubtitles(Subtitles subtitles, Downloads downloads, Engine engine, TorrentFiles torrentFiles, Catalog catalog,
                  FfmpegBinaries binaries, InternalMedia internal) {
        this.subtitles = subtitles;
        this.downloads = downloads;
        this.engine = engine;
        this.torrentFiles = torrentFiles;
        this.catalog = catalog;
        this.binaries = binaries;
        this.internal = internal;
    }

    private Playback playback;

    @org.springframework.beans.factory.annotation.Autowired
    void setPlayback(@org.springframework.context.annotation.Lazy Playback playback) {
        this.playback = playback;
    }

    @Override
    public List<String> languages(long filmId) {
        Optional<Download> d = downloads.existingForFilm(filmId);
        if (d.isEmpty()) {
            return List.of();
        }
        Optional<MediaFile> file = playback.media(d.get());
        Optional<MediaProbe> probe = playback.probed(d.get().getInfoHash());
        if (file.isEmpty() || probe.isEmpty()) {
            return List.of();
        }
        return tracks(d.get(), file.get(), probe.get(), "en", Locale.ENGLISH).stream().map(SubtitleTrack::language)
                .distinct().toList();
    }

    /** A file of the torrent: where it is on disk, and whether it is all there. */
    private record Part(int index, String path, long length, Path location) {}

    /**
     * The tracks for a viewer, and whether those inside the film come from its verified beginning
     * ({@code growing}, read up to {@code prefix} bytes).
     */
    record Listed(List<SubtitleTrack> tracks, boolean growing, long prefix) {}

    /** The tracks for a viewer; the list is kept a few minutes. */
    List<SubtitleTrack> tracks(Download d, MediaFile file, MediaProbe probe, String language, Locale reader) {
        return listed(d, file, probe, language, reader).tracks();
    }

    Listed listed(Download d, MediaFile file, MediaProbe probe, String language, Locale reader) {
        boolean complete = file.readableFrom(0) >= file.length();
        long prefix = complete ? file.length() : prefix(file, probe);
        boolean growing = !complete && readsPart(file, probe);
        boolean withEmbedded = complete || prefix > 0;
        String key = d.getInfoHash() + "/" + language + "/" + reader.toLanguageTag() + "/" + withEmbedded;
        return new Listed(lists.get(key, k -> list(d, file, probe, withEmbedded, language, reader)), growing, prefix);
    }

    /**
     * The verified beginning of a Matroska film with text tracks, rounded down to a {@link #step}; 0 when
     * there is less than a step, or nothing to read from it.
     */
    static long prefix(MediaFile file, MediaProbe probe) {
        if (!readsPart(file, probe)) {
            return 0;
        }
        long step = step(file.length());
        long readable = file.readableFrom(0);
        return readable - readable % step;
    }

    /** Whether text tracks inside this film are read from its verified beginning while it downloads. */
    static boolean readsPart(MediaFile file, MediaProbe probe) {
        return file instanceof MediaFile.InTorrent && probe.isMatroska()
                && embedded(probe).stream().anyMatch(EmbeddedSubtitles.Track::isText);
    }

    /** A fortieth of the film, at least {@link #MIN_STEP}: the page reloads the tracks at most some 40 times. */
    static long step(long length) {
        return Math.max(MIN_STEP, length / 40);
    }

    private List<SubtitleTrack> list(Download d, MediaFile file, MediaProbe probe, boolean complete, String language,
                                     Locale reader) {
        List<SidecarSubtitles.TorrentFile> files = parts(d).stream()
                .map(p -> new SidecarSubtitles.TorrentFile(p.index(), p.path(), p.length())).toList();
        List<EmbeddedSubtitles.Track> embedded = complete ? embedded(probe) : List.of();
        String imdb = d.getFilmId() == null ? null : catalog.find(d.getFilmId()).map(Film::getImdbId).orElse(null);
        return subtitles.tracks(d.getInfoHash(), files, embedded, imdb, moviehash(file), language, reader);
    }

    /** The video's subtitle streams as the probe saw them; N counts subtitle streams only ({@code 0:s:N}). */
    static List<EmbeddedSubtitles.Track> embedded(MediaProbe probe) {
        List<EmbeddedSubtitles.Track> tracks = new ArrayList<>();
        int n = 0;
        for (MediaProbe.SubtitleStream s : probe.subtitles()) {
            tracks.add(new EmbeddedSubtitles.Track(n++, s.index(), s.codec(), SubtitleLanguages.normalise(s.language()),
                    s.title(), s.isDefault(), s.forced(), false));
        }
        return tracks;
    }

    /** The OpenSubtitles hash needs the first and last 64 KiB, which arrive first anyway. */
    private Optional<String> moviehash(MediaFile file) {
        if (file.length() < 2L * OpenSubtitlesHash.CHUNK || file.readableFrom(0) < OpenSubtitlesHash.CHUNK
                || file.readableFrom(file.length() - OpenSubtitlesHash.CHUNK) < OpenSubtitlesHash.CHUNK) {
            return Optional.empty();
        }
        String known = hashes.getIfPresent(file.infoHash());
        if (known != null) {
            return Optional.of(known);
        }
        try (SeekableByteChannel channel = file.open()) {
            String hash = OpenSubtitlesHash.of(channel);
            hashes.put(file.infoHash(), hash);
            return Optional.of(hash);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The WebVTT of one track, converted once and cached on disk. */
    Optional<String> vtt(Download d, MediaFile file, MediaProbe probe, String trackId, String language, Locale reader)
            throws SubtitleException {
        Optional<SubtitleTrack> track = tracks(d, file, probe, language, reader).stream()
                .filter(t -> t.id().equals(trackId)).findFirst();
        if (track.isEmpty()) {
            return Optional.empty();
        }
        String filmKey = d.getFilmId() == null ? "t" + d.getInfoHash()
                : catalog.find(d.getFilmId()).map(Film::getImdbId).filter(i -> i != null && i.matches("[a-z0-9]{1,64}"))
                        .orElse("f" + d.getFilmId());
        List<Part> parts = parts(d);
        Subtitles.SidecarReader reader2 = (index, max) -> read(d, parts, index, max);
        Subtitles.EmbeddedSource video = new Subtitles.EmbeddedSource(binaries.ffmpeg(), internal.url(d.getInfoHash()),
                embedded(probe));
        long prefix = track.get().source() == SubtitleSource.EMBEDDED && file.readableFrom(0) < file.length()
                ? prefix(file, probe) : 0;
        String vtt;
        if (prefix > 0) {
            vtt = part(d.getInfoHash(), prefix, video).get((int) track.get().ref());
            if (vtt == null) {
                throw new SubtitleException("track " + track.get().ref() + " gave nothing from the film's first " + prefix + " bytes");
            }
        } else {
            vtt = subtitles.vtt(filmKey, d.getInfoHash(), track.get(), reader2, video);
        }
        // Tracks inside the film carry the container's times; the player's timeline starts at the film's
        // first frame (HLS is written with -start_at_zero), so they move back by the film's start time.
        if (track.get().source() == SubtitleSource.EMBEDDED && probe.startTime() > 0) {
            vtt = shift(vtt, -probe.startTime());
        }
        return Optional.of(vtt);
    }

    /** The text tracks in the film's first {@code prefix} bytes, read once per length (one ffmpeg at a time per length). */
    private java.util.Map<Integer, String> part(String infoHash, long prefix, Subtitles.EmbeddedSource video)
            throws SubtitleException {
        try {
            return parts.get(infoHash + "/" + prefix, k -> {
                long started = System.nanoTime();
                try {
                    java.util.Map<Integer, String> read = subtitles.extractPart(new Subtitles.EmbeddedSource(
                            video.ffmpeg(), internal.prefixUrl(infoHash, prefix), video.tracks()));
                    log.info("{} subtitle tracks {} read from the first {} bytes in {} ms", infoHash, read.keySet(), prefix,
                            (System.nanoTime() - started) / 1_000_000);
                    return read;
                } catch (SubtitleException e) {
                    throw new IllegalStateException(e.getMessage(), e);
                }
            });
        } catch (IllegalStateException e) {
            throw new SubtitleException(e.getMessage(), e);
        }
    }

    private static final java.util.regex.Pattern TIME =
            java.util.regex.Pattern.compile("(?m)^(\\d{2,}):(\\d{2}):(\\d{2})\\.(\\d{3}) --> (\\d{2,}):(\\d{2}):(\\d{2})\\.(\\d{3})");

    /** Moves every cue of a WebVTT text by {@code seconds} (never before 0). */
    static String shift(String vtt, double seconds) {
        long delta = Math.round(seconds * 1000);
        java.util.regex.Matcher m = TIME.matcher(vtt);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            long start = millis(m, 1) + delta;
            long end = millis(m, 5) + delta;
            m.appendReplacement(out, format(Math.max(0, start)) + " --> " + format(Math.max(0, end)));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static long millis(java.util.regex.Matcher m, int group) {
        return ((Long.parseLong(m.group(group)) * 60 + Long.parseLong(m.group(group + 1))) * 60
                + Long.parseLong(m.group(group + 2))) * 1000 + Long.parseLong(m.group(group + 3));
    }

    private static String format(long millis) {
        return String.format(Locale.ROOT, "%02d:%02d:%02d.%03d", millis / 3_600_000, millis / 60_000 % 60,
                millis / 1000 % 60, millis % 1000);
    }

    /** Reads a subtitle file of the torrent: through the engine while it runs (waiting for its pieces), else from disk. */
    private byte[] read(Download d, List<Part> parts, int index, long max) throws IOException {
        Optional<Torrent> torrent = downloads.torrent(d).filter(t -> t.info().isPresent());
        Part part = parts.stream().filter(p -> p.index() == index).findFirst()
                .orElseThrow(() -> new IOException("no file " + index + " in the torrent"));
        if (part.length() > max) {
            throw new IOException("subtitle file larger than " + max + " bytes");
        }
        try (SeekableByteChannel channel = torrent.isPresent() ? torrent.get().openStream(index)
                : Files.newByteChannel(part.location())) {
            ByteBuffer buffer = ByteBuffer.allocate((int) part.length());
            while (buffer.hasRemaining() && channel.read(buffer) >= 0) {
                // keep reading: a torrent stream returns what is verified, waiting for the rest
            }
            return buffer.array();
        }
    }

    /** The torrent's files (pad files left out, as the engine numbers them) and where each is on disk. */
    private List<Part> parts(Download d) {
        Optional<Torrent> torrent = downloads.torrent(d).filter(t -> t.info().isPresent());
        List<Part> parts = new ArrayList<>();
        if (torrent.isPresent()) {
            List<FileInfo> files = torrent.get().files();
            for (int i = 0; i < files.size(); i++) {
                parts.add(new Part(i, files.get(i).path(), files.get(i).length(), files.get(i).location()));
            }
            return parts;
        }
        Optional<Metainfo> metainfo = torrentFiles.kept(d.getInfoHash()).or(() -> savedMetadata(d));
        if (metainfo.isEmpty()) {
            return parts;
        }
        Path folder = engine.folder(InfoHash.parse(d.getInfoHash()));
        var info = metainfo.get().info();
        Path root = folder.resolve(info.name()).normalize();
        int i = 0;
        for (TorrentFile f : info.files()) {
            if (f.pad()) {
                continue;
            }
            Path location = info.multiFile() ? root.resolve(String.join("/", f.path())).normalize() : root;
            if (location.startsWith(folder)) {
                parts.add(new Part(i, f.displayPath(), f.length(), location));
            }
            i++;
        }
        return parts;
    }

    /** The info dictionary the engine saved for a magnet download. */
    private Optional<Metainfo> savedMetadata(Download d) {
        Path saved = engine.mediaDir().resolve(".hypertube").resolve(InfoHash.parse(d.getInfoHash()).hex() + ".torrent");
        try {
            return Files.isRegularFile(saved) ? Optional.of(TorrentFiles.parse(Files.readAllBytes(saved))) : Optional.empty();
        } catch (IOException e) {
            log.info("{} saved metadata unreadable: {}", d.getInfoHash(), e.getMessage());
            return Optional.empty();
        }
    }
}
