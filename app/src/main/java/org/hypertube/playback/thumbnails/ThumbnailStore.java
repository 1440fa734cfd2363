package org.hypertube.playback.thumbnails;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.util.FileSystemUtils;

/**
 * Where a film's thumbnails are kept: {@code <media>/.thumbs/<film>/f<file index>/} holds the sheets
 * ({@code 0.jpg}...) and the index ({@link SpriteSheets#INDEX}). They are made in a {@code .part-*} folder
 * beside it and enter with one rename, so a folder that exists is whole (for this instance, for another
 * sharing the media folder, and after a restart); the film's folder goes when the film is deleted.
 * Every path is built from a film name checked here and numbers, never from a request's text.
 */
public final class ThumbnailStore {

    private static final Logger log = LoggerFactory.getLogger(ThumbnailStore.class);
    /** A film's name: an info-hash, or any short lower-case name (tests, tools); as the converted segments'. */
    private static final Pattern FILM = Pattern.compile("[0-9a-z][0-9a-z-]{0,79}");
    private static final String PART = ".part-";

    private final Path root;

    public ThumbnailStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    /** The index of a film file's thumbnails, once made. */
    public Optional<Path> index(String film, int file) {
        return folder(film, file).map(f -> f.resolve(SpriteSheets.INDEX)).filter(Files::isRegularFile);
    }

    /** Sheet {@code n} of a film file's thumbnails, once made; empty for a number out of range. */
    public Optional<Path> sheet(String film, int file, int n) {
        if (n < 0 || n >= SpriteSheets.MAX_SHEETS) {
            return Optional.empty();
        }
        return folder(film, file).filter(f -> Files.isRegularFile(f.resolve(SpriteSheets.INDEX)))
                .map(f -> f.resolve(n + ".jpg")).filter(Files::isRegularFile);
    }

    public boolean made(String film, int file) {
        return index(film, file).isPresent();
    }

    /** A new empty folder to make a film's thumbnails in, on the same file system as where they are kept. */
    public Path workFolder(String film) throws IOException {
        Path dir = filmFolder(film).orElseThrow(() -> new IllegalArgumentException("not a film name: " + film))
                .resolve(PART + UUID.randomUUID());
        return Files.createDirectories(dir);
    }

    /**
     * Moves what was made in {@code work} into place with one rename; false (and {@code work} deleted) when
     * thumbnails of this file are there already (another instance made them meanwhile).
     */
    public boolean publish(String film, int file, Path work) throws IOException {
        Path target = folder(film, file).orElseThrow(() -> new IllegalArgumentException("not a film name: " + film));
        if (!Files.exists(target)) {
            try {
                Files.move(work, target, StandardCopyOption.ATOMIC_MOVE);
                return true;
            } catch (IOException e) {
                if (!Files.exists(target)) {
                    delete(work);
                    throw e;
                }
                // another instance's rename came first
            }
        }
        delete(work);
        return false;
    }

    /** Bytes kept for a film's thumbnails (they count in the disk quota like its converted segments). */
    public long keptBytes(String film) {
        Optional<Path> dir = filmFolder(film).filter(Files::isDirectory);
        if (dir.isEmpty()) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(dir.get(), 2)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        } catch (IOException | UncheckedIOException e) {
            return 0;
        }
    }

    /** Deletes everything kept for a film (the film itself is deleted); true when there was something. */
    public boolean evict(String film) {
        Optional<Path> dir = filmFolder(film).filter(Files::exists);
        dir.ifPresent(ThumbnailStore::delete);
        return dir.isPresent();
    }

    /** Deletes a work folder of {@link #workFolder} (made nothing, or was published: then it is gone already). */
    public void discard(Path work) {
        if (work.getFileName().toString().startsWith(PART) && work.normalize().startsWith(root)) {
            delete(work);
        }
    }

    /** Removes a film's folder if nothing is in it (a run that made nothing). */
    public void tidy(String film) {
        filmFolder(film).ifPresent(dir -> {
            try {
                Files.deleteIfExists(dir);
            } catch (IOException e) {
                // not empty (made, or being made by another instance): it stays
            }
        });
    }

    /** Work folders of a film older than {@code age}: left by a run that died (no run lasts that long). */
    public void dropStaleWork(String film, Duration age) {
        Optional<Path> dir = filmFolder(film).filter(Files::isDirectory);
        if (dir.isEmpty()) {
            return;
        }
        long before = System.currentTimeMillis() - age.toMillis();
        try (Stream<Path> children = Files.list(dir.get())) {
            for (Path p : children.filter(c -> c.getFileName().toString().startsWith(PART)).toList()) {
                if (Files.getLastModifiedTime(p).toMillis() < before) {
                    delete(p);
                }
            }
        } catch (IOException | UncheckedIOException e) {
            log.warn("could not clean {}: {}", dir.get(), e.toString());
        }
    }

    private Optional<Path> folder(String film, int file) {
        return file < 0 ? Optional.empty() : filmFolder(film).map(f -> f.resolve("f" + file));
    }

    private Optional<Path> filmFolder(String film) {
        return film != null && FILM.matcher(film).matches() ? Optional.of(root.resolve(film)) : Optional.empty();
    }

    static void delete(Path dir) {
        try {
            FileSystemUtils.deleteRecursively(dir);
        } catch (IOException e) {
            log.warn("could not delete {}: {}", dir, e.toString());
        }
    }
}
