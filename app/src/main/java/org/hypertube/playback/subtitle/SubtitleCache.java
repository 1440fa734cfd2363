package org.hypertube.playback.subtitle;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.hypertube.system.HypertubeProperties;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Converted subtitles on disk: {@code <cacheDir>/<key>/<source>-<id>.<language>.vtt}. Names are made
 * only of checked tokens (key {@code [a-z0-9]{1,64}}, id hexadecimal or decimal, language a lower-cased
 * tag {@code [a-z]{2,3}(-[a-z]{2})?}) and the result is checked to stay inside the cache folder.
 * {@link #getOrCreate} makes each file once, even when several viewers ask at the same moment, so an
 * OpenSubtitles download (a slot of a small daily quota) is never spent twice.
 *
 * <p>Keys: a torrent's info hash for its sidecar and embedded tracks (they belong to that torrent),
 * the film's key for OpenSubtitles files (they fit any torrent of the film).
 */
@Component
public class SubtitleCache {

    private static final Pattern KEY = Pattern.compile("[a-z0-9]{1,64}");
    private static final Pattern ID = Pattern.compile("[0-9a-f]{1,48}");
    private static final Pattern LANGUAGE = Pattern.compile("[a-z]{2,3}(-[a-z]{2})?");

    /** Makes a file's WebVTT text when it is not cached yet. */
    @FunctionalInterface
    public interface Producer {
        String vtt() throws SubtitleException;
    }

    private final Path root;
    private final Map<Path, ReentrantLock> locks = new ConcurrentHashMap<>();

    @Autowired
    public SubtitleCache(SubtitleProperties properties, HypertubeProperties hypertube) {
        this(properties.cacheDir() != null ? properties.cacheDir() : hypertube.dataDir().resolve("subtitles"));
    }

    public SubtitleCache(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    public Path root() {
        return root;
    }

    /** Where a subtitle is (or would be) cached; refuses any token outside its pattern. */
    public Path path(String key, SubtitleSource source, String id, String language) {
        if (key == null || !KEY.matcher(key).matches()) {
            throw new IllegalArgumentException("not a cache key: " + key);
        }
        if (id == null || !ID.matcher(id).matches()) {
            throw new IllegalArgumentException("not a subtitle id: " + id);
        }
        String lang = language == null ? "" : language.toLowerCase(Locale.ROOT);
        if (!LANGUAGE.matcher(lang).matches()) {
            throw new IllegalArgumentException("not a language tag: " + language);
        }
        Path folder = root.resolve(key).normalize();
        Path file = folder.resolve(source.token() + "-" + id + "." + lang + ".vtt").normalize();
        if (!folder.getParent().equals(root) || !file.getParent().equals(folder)) {
            throw new IllegalArgumentException("a subtitle path must stay inside " + root);
        }
        return file;
    }

    /** The cached WebVTT text, if any. */
    public Optional<String> read(String key, SubtitleSource source, String id, String language) throws SubtitleException {
        Path file = path(key, source, id, language);
        try {
            return Optional.of(Files.readString(file, StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new SubtitleException("cannot read the cached subtitle " + file.getFileName() + ": " + e.getMessage(), e);
        }
    }

    /** Stores WebVTT text (written to a temporary file, then moved, so a reader never sees half of it). */
    public void write(String key, SubtitleSource source, String id, String language, String vtt) throws SubtitleException {
        Path file = path(key, source, id, language);
        try {
            Files.createDirectories(file.getParent());
            Path temporary = Files.createTempFile(file.getParent(), ".part-", ".vtt");
            try {
                Files.writeString(temporary, vtt, StandardCharsets.UTF_8);
                try {
                    Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(temporary);
            }
        } catch (IOException e) {
            throw new SubtitleException("cannot store the subtitle " + file.getFileName() + ": " + e.getMessage(), e);
        }
    }

    /**
     * The cached text, or the producer's, stored first. One producer runs per file at a time; those
     * who wait then read what it stored. A failing producer stores nothing.
     */
    public String getOrCreate(String key, SubtitleSource source, String id, String language, Producer producer)
            throws SubtitleException {
        Path file = path(key, source, id, language);
        Optional<String> cached = read(key, source, id, language);
        if (cached.isPresent()) {
            return cached.get();
        }
        ReentrantLock lock = locks.computeIfAbsent(file, f -> new ReentrantLock());
        lock.lock();
        try {
            cached = read(key, source, id, language);
            if (cached.isPresent()) {
                return cached.get();
            }
            String vtt = producer.vtt();
            write(key, source, id, language, vtt);
            return vtt;
        } finally {
            lock.unlock();
        }
    }

    /** Deletes every cached subtitle of a key (a film or torrent removed from disk). */
    public void evict(String key) throws SubtitleException {
        if (key == null || !KEY.matcher(key).matches()) {
            throw new IllegalArgumentException("not a cache key: " + key);
        }
        Path folder = root.resolve(key).normalize();
        if (!Files.isDirectory(folder)) {
            return;
        }
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new SubtitleException("cannot delete the cached subtitles of " + key + ": " + e.getMessage(), e);
        }
    }
}
