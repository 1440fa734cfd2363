package org.hypertube.playback.subtitle;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.hypertube.playback.subtitle.EmbeddedSubtitles.Track;
import org.hypertube.playback.subtitle.OpenSubtitles.SubtitleFile;
import org.hypertube.playback.subtitle.SidecarSubtitles.Sidecar;

/**
 * One film's subtitle list for one viewer, from the torrent's files, the video's text tracks and
 * OpenSubtitles. The viewer's language comes first, then English, then the others by name. English
 * and the viewer's language each get one default track (the first non-forced one: the torrent's
 * file, else the embedded track, else the best OpenSubtitles file); other languages are listed, not
 * default. OpenSubtitles gives at most two files per language (one when the torrent has its own),
 * chosen by: not machine-translated, not for the hearing impaired (unless nothing else), matching
 * the file's hash, from a trusted uploader, most downloaded.
 */
public final class SubtitleTracks {

    /** At most this many OpenSubtitles files per language. */
    static final int OPENSUBTITLES_PER_LANGUAGE = 2;
    private static final Pattern INFO_HASH = Pattern.compile("[0-9a-fA-F]{40}");

    /**
     * A track for the player. {@code id} is stable and URL-safe ({@code [a-z0-9-]}), {@code label} the
     * language's name in the viewer's language, {@code detail} a title, file-name hint or null;
     * {@code ref} the torrent file index (SIDECAR), the N of {@code 0:s:N} (EMBEDDED) or the file id
     * (OPENSUBTITLES). In HTML only one {@code <track>} may carry {@code default}: use the first default one.
     */
    public record SubtitleTrack(String id, String language, String label, String detail, SubtitleSource source, long ref,
                                boolean isDefault, boolean forced, boolean hearingImpaired) {
    }

    private SubtitleTracks() {
    }

    /**
     * @param infoHash     the torrent the sidecar and embedded tracks come from (its first 8 digits go in their ids)
     * @param userLanguage the viewer's preferred language tag ({@code fr}); null or English: English only
     * @param reader       the locale labels are written in
     */
    public static List<SubtitleTrack> merge(String infoHash, List<Sidecar> sidecars, List<Track> embedded,
                                            List<SubtitleFile> online, String userLanguage, Locale reader) {
        String torrent = infoHash != null && INFO_HASH.matcher(infoHash).matches() ? infoHash.substring(0, 8).toLowerCase(Locale.ROOT) : "0";
        List<SubtitleTrack> tracks = new ArrayList<>();
        for (Sidecar s : sidecars) {
            tracks.add(new SubtitleTrack("sidecar-" + torrent + "-" + s.fileIndex(), s.language(),
                    SubtitleLanguages.displayName(s.language(), reader), s.labelHint(), SubtitleSource.SIDECAR, s.fileIndex(),
                    false, s.forced(), s.hearingImpaired()));
        }
        for (Track t : embedded) {
            if (t.isText()) {
                tracks.add(new SubtitleTrack("embedded-" + torrent + "-" + t.subtitleIndex(), t.language(),
                        SubtitleLanguages.displayName(t.language(), reader), t.title(), SubtitleSource.EMBEDDED,
                        t.subtitleIndex(), false, t.forced(), t.hearingImpaired()));
            }
        }
        Map<String, List<SubtitleFile>> byLanguage = new LinkedHashMap<>();
        for (SubtitleFile f : online) {
            byLanguage.computeIfAbsent(f.language(), l -> new ArrayList<>()).add(f);
        }
        byLanguage.forEach((language, files) -> {
            boolean local = tracks.stream().anyMatch(t -> t.language().equals(language) && !t.forced());
            for (SubtitleFile f : best(files, local ? 1 : OPENSUBTITLES_PER_LANGUAGE)) {
                tracks.add(new SubtitleTrack("opensubtitles-" + f.fileId(), language, SubtitleLanguages.displayName(language, reader),
                        f.release().isBlank() ? null : f.release(), SubtitleSource.OPENSUBTITLES, f.fileId(), false, false,
                        f.hearingImpaired()));
            }
        });

        String user = userLanguage == null || userLanguage.isBlank() ? "en" : SubtitleLanguages.base(userLanguage.toLowerCase(Locale.ROOT));
        List<String> preferred = user.equals("en") ? List.of("en") : List.of(user, "en");
        Comparator<SubtitleTrack> order = Comparator
                .comparingInt((SubtitleTrack t) -> {
                    int i = preferred.indexOf(SubtitleLanguages.base(t.language()));
                    return i < 0 ? preferred.size() : i;
                })
                .thenComparing(SubtitleTrack::label, String.CASE_INSENSITIVE_ORDER)
                .thenComparing(SubtitleTrack::language)
                .thenComparing(SubtitleTrack::forced)
                .thenComparing(SubtitleTrack::hearingImpaired)
                .thenComparing(SubtitleTrack::source);
        tracks.sort(order);
        List<SubtitleTrack> result = new ArrayList<>(tracks.size());
        List<String> defaulted = new ArrayList<>();
        for (SubtitleTrack t : tracks) {
            String base = SubtitleLanguages.base(t.language());
            boolean isDefault = preferred.contains(base) && !t.forced() && !defaulted.contains(base);
            if (isDefault) {
                defaulted.add(base);
            }
            result.add(isDefault ? new SubtitleTrack(t.id(), t.language(), t.label(), t.detail(), t.source(), t.ref(), true,
                    t.forced(), t.hearingImpaired()) : t);
        }
        return List.copyOf(result);
    }

    /** The track with this id, if listed. */
    public static Optional<SubtitleTrack> find(List<SubtitleTrack> tracks, String id) {
        return tracks.stream().filter(t -> t.id().equals(id)).findFirst();
    }

    static List<SubtitleFile> best(List<SubtitleFile> files, int limit) {
        boolean anyForAll = files.stream().anyMatch(f -> !f.hearingImpaired());
        return files.stream()
                .filter(f -> !anyForAll || !f.hearingImpaired())
                .sorted(Comparator.comparing(SubtitleFile::machineTranslated)
                        .thenComparing(f -> !f.moviehashMatch())
                        .thenComparing(f -> !f.fromTrusted())
                        .thenComparing(Comparator.comparingLong(SubtitleFile::downloadCount).reversed())
                        .thenComparingLong(SubtitleFile::fileId))
                .limit(limit)
                .toList();
    }
}
