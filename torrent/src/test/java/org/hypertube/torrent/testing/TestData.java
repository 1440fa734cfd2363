package org.hypertube.torrent.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.stream.Stream;

/** Deterministic random files for swarm and interop tests. */
public final class TestData {
    private TestData() {}

    public static Path file(Path path, long size, long seed) throws IOException {
        Files.createDirectories(path.getParent());
        Random r = new Random(seed);
        byte[] buf = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(path)) {
            long left = size;
            while (left > 0) {
                r.nextBytes(buf);
                int n = (int) Math.min(buf.length, left);
                out.write(buf, 0, n);
                left -= n;
            }
        }
        return path;
    }

    /** Asserts two files or folders hold the same files with the same bytes; returns a description of the first difference or null. */
    public static String difference(Path expected, Path actual) throws IOException {
        if (Files.isDirectory(expected)) {
            try (Stream<Path> walk = Files.walk(expected)) {
                for (Path p : walk.filter(Files::isRegularFile).toList()) {
                    String d = difference(p, actual.resolve(expected.relativize(p).toString()));
                    if (d != null) {
                        return d;
                    }
                }
            }
            return null;
        }
        if (!Files.exists(actual)) {
            return "missing " + actual;
        }
        long mismatch = Files.mismatch(expected, actual);
        return mismatch == -1 ? null : actual + " differs from " + expected + " at byte " + mismatch;
    }
}
