package org.hypertube.torrent.interop;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;

/**
 * A real client started as a process for an interop test. Its output is kept for waiting on lines
 * and for failure messages; {@link #close()} stops it (TERM, then KILL) even when the test failed.
 */
public final class ExternalPeer implements AutoCloseable {
    private final String name;
    private final Process process;
    private final List<String> lines = new CopyOnWriteArrayList<>();

    private ExternalPeer(String name, Process process) {
        this.name = name;
        this.process = process;
        Thread.ofVirtual().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    lines.add(line);
                    if (lines.size() > 20_000) {
                        lines.remove(0);
                    }
                }
            } catch (IOException e) {
                // process ended
            }
        });
    }

    public static ExternalPeer start(String name, Path workDir, List<String> command) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true);
        pb.environment().put("HOME", workDir.toString());
        return new ExternalPeer(name, pb.start());
    }

    /** Skips the test when a client is missing on a developer machine; fails in CI where it must be installed. */
    public static void require(String what, boolean present) {
        if (!present) {
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError(what + " is not installed but CI=true requires it");
            }
            Assumptions.abort(what + " is not installed; skipping interop test");
        }
    }

    public static boolean libtorrentPresent() {
        try {
            Process p = new ProcessBuilder("/usr/bin/python3", "-c", "import libtorrent").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    public static boolean executable(String path) {
        return Files.isExecutable(Path.of(path));
    }

    /** Copies the libtorrent peer script out of the test resources. */
    public static Path libtorrentScript(Path dir) throws IOException {
        return script(dir, "lt_peer.py");
    }

    /** Copies test resource {@code /interop/NAME} into {@code dir}. */
    public static Path script(Path dir, String name) throws IOException {
        Path script = dir.resolve(name);
        try (var in = ExternalPeer.class.getResourceAsStream("/interop/" + name)) {
            Files.write(script, in.readAllBytes());
        }
        return script;
    }

    /** Waits for a line matching {@code regex} and returns its first group (or the whole line). */
    public String await(String regex, Duration timeout) throws InterruptedException {
        Pattern p = Pattern.compile(regex);
        long deadline = System.nanoTime() + timeout.toNanos();
        int from = 0;
        while (System.nanoTime() < deadline) {
            for (int i = from; i < lines.size(); i++) {
                Matcher m = p.matcher(lines.get(i));
                if (m.find()) {
                    return m.groupCount() > 0 ? m.group(1) : m.group();
                }
            }
            from = Math.max(0, lines.size() - 1);
            if (!process.isAlive() && from >= lines.size() - 1) {
                // one last scan happened above; the process is gone
                for (String l : lines) {
                    Matcher m = p.matcher(l);
                    if (m.find()) {
                        return m.groupCount() > 0 ? m.group(1) : m.group();
                    }
                }
                throw new AssertionError(name + " exited (" + process.exitValue() + ") before printing /" + regex + "/:\n" + tail());
            }
            Thread.sleep(50);
        }
        throw new AssertionError(name + " did not print /" + regex + "/ within " + timeout + ":\n" + tail());
    }

    public int waitFor(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError(name + " still running after " + timeout + ":\n" + tail());
        }
        return process.exitValue();
    }

    public String tail() {
        int n = lines.size();
        return String.join("\n", lines.subList(Math.max(0, n - 30), n));
    }

    public long pid() {
        return process.pid();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        }
    }
}
