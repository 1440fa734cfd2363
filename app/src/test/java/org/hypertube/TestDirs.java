package org.hypertube;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

/**
 * Folders of a test run: temporary ones under the system's temporary folder, deleted with everything in them
 * when the test JVM ends (or at once by {@link #delete}), so repeated runs do not fill {@code /tmp}; and a cache
 * kept under the module's {@code target/} for what is costly to make and the same every time (the test films).
 */
public final class TestDirs {

    private static final List<Path> TEMPORARY = new CopyOnWriteArrayList<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> TEMPORARY.forEach(TestDirs::delete), "test-dirs"));
    }

    private TestDirs() {
    }

    /** A new empty folder under the temporary folder, deleted when the JVM ends. */
    public static Path temporary(String prefix) {
        try {
            Path dir = Files.createTempDirectory(prefix);
            TEMPORARY.add(dir);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code target/<name>} of the module the tests run in, kept between runs (made when missing). */
    public static Path cache(String name) {
        try {
            return Files.createDirectories(Path.of("target", name).toAbsolutePath());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Makes {@code file} with {@code maker} (given a path next to it to write) unless it exists: what is written
     * enters under its name in one rename, so a run killed while making it leaves no half film for the next run.
     */
    public static Path cached(Path file, Maker maker) throws IOException, InterruptedException {
        if (Files.isRegularFile(file)) {
            return file;
        }
        Files.createDirectories(file.getParent());
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        Path part = Files.createTempFile(file.getParent(), ".making-", dot < 0 ? "" : name.substring(dot));
        try {
            maker.make(part);
            Files.move(part, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(part);
        }
        return file;
    }

    /** Writes a file to the path given. */
    @FunctionalInterface
    public interface Maker {
        void make(Path into) throws IOException, InterruptedException;
    }

    /** Deletes a folder and everything in it, as far as it can (a test's leftovers must never fail a test). */
    public static void delete(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            System.err.println("could not delete " + dir + ": " + e);
        }
    }
}
