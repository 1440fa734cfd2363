package org.hypertube.playback.thumbnails;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.util.FileSystemUtils;

/**
 * Where a film's thumbnails are kept: {@code <media>/.thumbs/<film>/f<file index>/} holds the sheets
 * ({@code 0.jpg}...) and the index ({@link SpriteSheets#INDEX}) of the whole film; while it downloads,
 * {@code f<file index>-s<n>/} holds the first {@code n} sheets, made from its verified beginning (a larger
 * set replaces a smaller one, the whole film's replaces them all). Each set is made in a {@code .part-*}
 * folder beside it and enters with one rename, so a folder that exists is whole (for this instance, for
 * another sharing the media folder, and after a restart); the film's folder goes when the film is deleted,
 * or when a sweep finds it matches no download. Every path is built from a film name checked here and
 * numbers, never from a request's text.
 */
public final class ThumbnailStore {

    private static final Logger log = LoggerFactory.getLogger(ThumbnailStore.class);
    /** A film's name: an info-hash, or any short lower-case name (tests, tools); as the converted segments'. */
    private static final Pattern FILM = Pattern.compile("[0-9a-z][0-9a-z-]{0,79}");
    private static final String PART = ".part-";
    /** A set of the first sheets: {@code f<file>-s<sheets>}. */
    private static final Pattern BEGINNING = Pattern.compile("f(\\d{1,6})-s(\\d{1,3})");

    private final Path root;

    public ThumbnailStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    /** The index of a film file's thumbnails: the whole film's once made, else the largest set of first sheets. */
    public Optional<Path> index(String film, int file) {
        return served(film, file).map(f -> f.resolve(SpriteSheets.INDEX));
    }

    /** Sheet {@code n} of the set {@link #index} gives; empty for a number out of range. */
    public Optional<Path> sheet(String film, int file, int n) {
        if (n < 0 || n >= SpriteSheets.MAX_SHEETS) {
            return Optional.empty();
        }
        return served(film, file).map(f -> f.resolve(n + ".jpg")).filter(Files::isRegularFile);
    }

    /** The thumbnails of the whole film file are made. */
    public boolean made(String film, int file) {
        return folder(film, file).filter(f -> Files.isRegularFile(f.resolve(SpriteSheets.INDEX))).isPresent();
    }

    /** The name of the set {@link #index} gives (it changes when a larger one replaces it), if any. */
    public Optional<String> version(String film, int file) {
        return served(film, file).map(f -> f.getFileName().toString());
    }

    /** How many first sheets are made from the film's beginning (0 when none, or once the whole film's are). */
    public int sheetsOfBeginning(String film, int file) {
        return made(film, file) ? 0 : beginnings(film, file).stream().mapToInt(ThumbnailStore::sheets).max().orElse(0);
    }

    private Optional<Path> served(String film, int file) {
        if (made(film, file)) {
            return folder(film, file);
        }
        return beginnings(film, file).stream().max(java.util.Comparator.comparingInt(ThumbnailStore::sheets))
                .filter(f -> Files.isRegularFile(f.resolve(SpriteSheets.INDEX)));
    }

    /** The sets of first sheets of a film file. */
    private List<Path> beginnings(String film, int file) {
        Optional<Path> dir = filmFolder(film).filter(Files::isDirectory);
        if (dir.isEmpty() || file < 0) {
            return List.of();
        }
        try (Stream<Path> children = Files.list(dir.get())) {
            return children.filter(c -> {
                Matcher m = BEGINNING.matcher(c.getFileName().toString());
                return m.matches() && Integer.parseInt(m.group(1)) == file;
            }).toList();
        } catch (IOException | UncheckedIOException e) {
            return List.of();   // deleted meanwhile
        }
    }

    private static int sheets(Path beginning) {
        Matcher m = BEGINNING.matcher(beginning.getFileName().toString());
        return m.matches() ? Integer.parseInt(m.group(2)) : 0;
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
        boolean moved = move(work, target);
        beginnings(film, file).forEach(ThumbnailStore::delete);
        return moved;
    }

    /**
     * Moves the first {@code sheets} sheets made from the film's beginning in {@code work} into place, replacing
     * a smaller set; false (and {@code work} deleted) when the whole film's or as many sheets are there already.
     */
    public boolean publishBeginning(String film, int file, int sheets, Path work) throws IOException {
        Path target = folder(film, file).map(f -> f.resolveSibling(f.getFileName() + "-s" + sheets))
                .orElseThrow(() -> new IllegalArgumentException("not a film name: " + film));
        if (sheets <= 0 || sheets >= SpriteSheets.MAX_SHEETS || made(film, file) || sheetsOfBeginning(film, file) >= sheets
                || !move(work, target)) {
            delete(work);
            return false;
        }
        beginnings(film, file).stream().filter(f -> sheets(f) < sheets).forEach(ThumbnailStore::delete);
        return true;
    }

    /** One rename; false (and {@code work} deleted) when the target exists (another instance's rename came first). */
    private static boolean move(Path work, Path target) throws IOException {
        if (!Files.exists(target)) {
            try {
                Files.move(work, target, StandardCopyOption.ATOMIC_MOVE);
                return true;
            } catch (IOException e) {
                if (!Files.exists(target)) {
                    delete(work);
                    throw e;
                }
            }
        }
        delete(work);
        return false;
    }

    /** Bytes kept for a film's thumbnails (they count in the disk quota like its converted segments). */
    public long keptBytes(String film) {
        return filmFolder(film).filter(Files::isDirectory).map(ThumbnailStore::bytes).orElse(0L);
    }

    private static long bytes(Path dir) {
        try (Stream<Path> files = Files.walk(dir, 2)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        } catch (IOException | UncheckedIOException e) {
            return 0;
        }
    }

    /**
     * Bytes kept for no film of {@code films} (the info-hashes of every download): folders a removal left
     * behind (on an instance that was down or stopped meanwhile), counted in the disk quota until swept.
     */
    public long strayBytes(Set<String> films) {
        return strays(films).stream().mapToLong(ThumbnailStore::bytes).sum();
    }

    /**
     * Deletes the folders of films not in {@code films} (the info-hashes of every download) last changed
     * before {@code strayBefore}, and every film's work folders older than {@code workAge} (left by a run that
     * died); returns how many stray folders went.
     */
    public int sweep(Set<String> films, long strayBefore, Duration workAge) {
        int gone = 0;
        for (Path stray : strays(films)) {
            try {
                if (Files.getLastModifiedTime(stray).toMillis() < strayBefore) {
                    delete(stray);
                    gone++;
                }
            } catch (IOException e) {
                // deleted meanwhile
            }
        }
        films.forEach(film -> dropStaleWork(film, workAge));
        return gone;
    }

    private List<Path> strays(Set<String> films) {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> children = Files.list(root)) {
            return children.filter(c -> !films.contains(c.getFileName().toString())).toList();
        } catch (IOException | UncheckedIOException e) {
            log.warn("could not list {}: {}", root, e.toString());
            return List.of();
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
