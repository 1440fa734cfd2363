package org.hypertube.playback;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.hypertube.torrent.FileInfo;
import org.hypertube.torrent.Torrent;

/**
 * Which file of a torrent is the film: the largest video file; the torrent's other files are skipped except
 * subtitles, which are small. The film must lie under the torrent's own folder.
 */
final class FilmFileChoice {

    static final Set<String> VIDEO_EXTENSIONS = Set.of("mp4", "m4v", "mkv", "webm", "mov", "avi", "ts", "m2ts", "mpg",
            "mpeg", "wmv", "flv", "ogv");
    static final Set<String> SUBTITLE_EXTENSIONS = Set.of("srt", "vtt", "ass", "ssa", "sub");

    /** What a choice came to for the download. */
    enum Outcome {
        /** The engine has not placed the files yet: asked again by upkeep and Play. */
        NOT_YET,
        /** The download already names this file. */
        UNCHANGED,
        /** The download now names the film file (to be saved). */
        CHOSEN,
        /** No video file in the torrent. */
        NO_VIDEO,
        /** The engine placed the film outside the torrent's folder: the download failed (to be saved). */
        OUTSIDE
    }

    private FilmFileChoice() {
    }

    /** Chooses the film among the torrent's files (skipping the others there) and names it in {@code d}. */
    static Outcome choose(Download d, Torrent t, Path folder) {
        List<FileInfo> files = t.files();
        if (files.isEmpty() || files.stream().anyMatch(f -> f.location() == null)) {
            return Outcome.NOT_YET;
        }
        int best = -1;
        for (int i = 0; i < files.size(); i++) {
            FileInfo f = files.get(i);
            if (VIDEO_EXTENSIONS.contains(extension(f.path())) && (best < 0 || f.length() > files.get(best).length())) {
                best = i;
            }
        }
        for (int i = 0; i < files.size(); i++) {
            String ext = extension(files.get(i).path());
            boolean keep = i == best || SUBTITLE_EXTENSIONS.contains(ext);
            if (!keep && files.get(i).priority() != 0) {
                t.setFilePriority(i, 0);
            }
        }
        if (best < 0) {
            return Outcome.NO_VIDEO;
        }
        FileInfo f = files.get(best);
        Path location = f.location().toAbsolutePath().normalize();
        if (!location.startsWith(folder)) {
            d.failed("the engine placed the file outside the torrent's folder");
            return Outcome.OUTSIDE;
        }
        String relative = folder.relativize(location).toString();
        if (d.getFileIndex() == null || d.getFileIndex() != best || !relative.equals(d.getFilePath())) {
            d.chooseFile(best, relative, f.length());
            t.info().ifPresent(info -> d.setName(info.name()));
            return Outcome.CHOSEN;
        }
        return Outcome.UNCHANGED;
    }

    static String extension(String path) {
        int dot = path.lastIndexOf('.');
        return dot < 0 ? "" : path.substring(dot + 1).toLowerCase(Locale.ROOT);
    }
}
