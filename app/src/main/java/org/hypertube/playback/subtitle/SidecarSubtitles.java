package org.hypertube.playback.subtitle;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The subtitle files a torrent carries beside its film ({@code .srt .vtt .ass .ssa .sub}), each
 * with the language its name tells. A {@code .sub} with an {@code .idx} of the same name is a VobSub
 * (pictures), not text, and is skipped, as is any file over the size cap.
 *
 * <p>The language is read from the end of the file name, skipping words that describe the file
 * ({@code forced}, {@code SDH}, {@code full}, numbers...): a two- or three-letter ISO 639 code
 * ({@code Movie.2019.fr.srt}, {@code movie.eng.forced.srt}), a code with a region ({@code pt-BR}),
 * or a language name in English or in the language ({@code 2_French.srt}, {@code Français.srt}).
 * The first word that is neither ends the search; then the folder's name is tried the same way
 * ({@code Subs/English/1.srt}); else the language is {@code und}.
 */
public final class SidecarSubtitles {

    /** A file of a torrent: its index in the torrent, its path ('/' between folders) and its size. */
    public record TorrentFile(int index, String path, long length) {
    }

    /**
     * A subtitle file found: {@code labelHint} is a short text to tell it apart ({@code SDH}) or,
     * when the language is unknown, the file's name without extension; null otherwise.
     */
    public record Sidecar(int fileIndex, String path, String extension, String language, String labelHint,
                          boolean forced, boolean hearingImpaired) {
    }

    static final Set<String> EXTENSIONS = Set.of("srt", "vtt", "ass", "ssa", "sub");
    private static final Pattern WORDS = Pattern.compile("[.\\s\\[\\](){}+,;]+");
    private static final Pattern PARTS = Pattern.compile("[-_]+");
    private static final Pattern REGION = Pattern.compile("(?i)[a-z]{2,3}[-_][a-z]{2}");
    private static final Set<String> FORCED = Set.of("forced", "foreign");
    private static final Set<String> HEARING_IMPAIRED = Set.of("sdh", "hi", "cc", "hearing", "impaired", "deaf");
    private static final Set<String> NEUTRAL = Set.of("full", "default", "sub", "subs", "subtitle", "subtitles", "srt",
            "track", "dialog", "dialogue", "signs", "songs", "text", "utf8", "utf", "normal", "complete");

    private final long maxFileSize;

    public SidecarSubtitles(long maxFileSize) {
        this.maxFileSize = maxFileSize;
    }

    /** The subtitle files among a torrent's files, in path order. */
    public List<Sidecar> find(List<TorrentFile> files) {
        Set<String> idx = new HashSet<>();
        for (TorrentFile file : files) {
            String path = normalisedPath(file.path());
            if (extension(path).equals("idx")) {
                idx.add(withoutExtension(path).toLowerCase(Locale.ROOT));
            }
        }
        List<Sidecar> found = new ArrayList<>();
        for (TorrentFile file : files) {
            String path = normalisedPath(file.path());
            String ext = extension(path);
            if (!EXTENSIONS.contains(ext) || file.length() <= 0 || file.length() > maxFileSize) {
                continue;
            }
            if (ext.equals("sub") && idx.contains(withoutExtension(path).toLowerCase(Locale.ROOT))) {
                continue;
            }
            found.add(describe(file.index(), path, ext));
        }
        found.sort(Comparator.comparing(Sidecar::path));
        return found;
    }

    /** What a file name says about a subtitle (public for tests and for files found elsewhere). */
    public static Sidecar describe(int fileIndex, String path, String extension) {
        String normalised = normalisedPath(path);
        int slash = normalised.lastIndexOf('/');
        String name = normalised.substring(slash + 1);
        String stem = withoutExtension(name);
        Reading reading = read(stem);
        if (reading.language == null && slash > 0) {
            String folder = normalised.substring(normalised.lastIndexOf('/', slash - 1) + 1, slash);
            Reading fromFolder = read(folder);
            reading.language = fromFolder.language;
            reading.forced |= fromFolder.forced;
            reading.hearingImpaired |= fromFolder.hearingImpaired;
        }
        String language = reading.language == null ? SubtitleLanguages.UNDETERMINED : reading.language;
        String hint = reading.language == null ? stem : reading.hearingImpaired ? "SDH" : null;
        return new Sidecar(fileIndex, normalised, extension, language, hint, reading.forced, reading.hearingImpaired);
    }

    private static final class Reading {
        String language;
        boolean forced;
        boolean hearingImpaired;
    }

    private static Reading read(String text) {
        List<String> tokens = new ArrayList<>();
        for (String word : WORDS.split(text)) {
            if (REGION.matcher(word).matches() && SubtitleLanguages.fromCode(word).filter(t -> t.contains("-")).isPresent()) {
                tokens.add(word);
            } else {
                for (String part : PARTS.split(word)) {
                    if (!part.isEmpty()) {
                        tokens.add(part);
                    }
                }
            }
        }
        Reading reading = new Reading();
        for (int i = tokens.size() - 1; i >= 0; i--) {
            String token = tokens.get(i);
            String folded = SubtitleLanguages.fold(token);
            if (FORCED.contains(folded)) {
                reading.forced = true;
                continue;
            }
            if (HEARING_IMPAIRED.contains(folded)) {
                reading.hearingImpaired = true;
                continue;
            }
            if (NEUTRAL.contains(folded) || folded.chars().allMatch(Character::isDigit)) {
                continue;
            }
            Optional<String> language = SubtitleLanguages.fromName(token);
            if (language.isEmpty() && token.length() <= 6) {
                language = SubtitleLanguages.fromCode(token);
            }
            language.ifPresent(l -> reading.language = l);
            break;
        }
        return reading;
    }

    private static String normalisedPath(String path) {
        return path.replace('\\', '/');
    }

    static String extension(String path) {
        int slash = path.lastIndexOf('/');
        int dot = path.lastIndexOf('.');
        return dot > slash ? path.substring(dot + 1).toLowerCase(Locale.ROOT) : "";
    }

    private static String withoutExtension(String path) {
        int slash = path.lastIndexOf('/');
        int dot = path.lastIndexOf('.');
        return dot > slash ? path.substring(0, dot) : path;
    }
}
