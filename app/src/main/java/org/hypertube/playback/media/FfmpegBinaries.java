package org.hypertube.playback.media;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bytedeco.javacpp.Loader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Finds ffmpeg and ffprobe and runs them. A configured path wins; otherwise the executables bundled in
 * {@code org.bytedeco:ffmpeg} (GPL build, with libx264) are extracted once, on first use, into
 * JavaCPP's cache folder. Every argument comes from our own code: numbers, constants, our work folder
 * and inputs that {@link MediaInput} accepted (loopback URLs, our files); none is a user's text.
 */
@Component
public class FfmpegBinaries {

    private static final Logger log = LoggerFactory.getLogger(FfmpegBinaries.class);
    private static final int MAX_ARGUMENT = 4096;

    private final MediaProperties properties;
    private Path ffmpeg;
    private Path ffprobe;

    public FfmpegBinaries(MediaProperties properties) {
        this.properties = properties;
    }

    /**
     * Extracts and checks both tools once the application runs, in the background, so the first film
     * does not wait for it and a broken setup shows in the log at start-up.
     */
    @EventListener(ApplicationReadyEvent.class)
    void warmUp() {
        Thread.ofVirtual().name("ffmpeg-warm-up").start(() -> {
            try {
                ffmpeg();
                ffprobe();
            } catch (RuntimeException e) {
                log.error("ffmpeg is not usable, films that need conversion will fail: {}", e.getMessage());
            }
        });
    }

    /** The ffmpeg executable (extracted and logged on the first call). */
    public synchronized Path ffmpeg() {
        if (ffmpeg == null) {
            ffmpeg = locate("ffmpeg", properties.ffmpegPath(), org.bytedeco.ffmpeg.ffmpeg.class);
        }
        return ffmpeg;
    }

    /** The ffprobe executable (extracted and logged on the first call). */
    public synchronized Path ffprobe() {
        if (ffprobe == null) {
            ffprobe = locate("ffprobe", properties.ffprobePath(), org.bytedeco.ffmpeg.ffprobe.class);
        }
        return ffprobe;
    }

    private Path locate(String name, String configured, Class<?> bundled) {
        Path path;
        String origin;
        if (configured != null) {
            path = Path.of(configured).toAbsolutePath();
            origin = "configured";
        } else {
            try {
                path = Path.of(Loader.load(bundled));
            } catch (RuntimeException | LinkageError e) {
                throw new MediaException("the bundled " + name + " could not be extracted: " + e, e);
            }
            origin = "bundled";
        }
        if (!Files.isExecutable(path)) {
            throw new MediaException(name + " is not an executable file: " + path);
        }
        Result version = run(path, List.of("-version"), Duration.ofSeconds(20), 64 * 1024);
        String first = new String(version.stdout()).lines().findFirst().orElse("(no version line)");
        if (version.exitCode() != 0) {
            throw new MediaException(name + " at " + path + " does not run: " + version.stderr());
        }
        log.info("{} ({}): {} at {}", name, origin, first, path);
        return path;
    }

    /**
     * Runs a short-lived tool (ffprobe) to its end and returns its output. The process is killed when it
     * runs longer than {@code timeout} or writes more than {@code maxStdout} bytes.
     */
    Result run(Path executable, List<String> arguments, Duration timeout, int maxStdout) {
        OutputTail stderr = new OutputTail(50);
        Process process = start(executable, arguments, null, stderr, true);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Thread reader = Thread.ofVirtual().start(() -> copyBounded(process.getInputStream(), out, maxStdout, process));
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new MediaException(executable.getFileName() + " took longer than " + timeout.toSeconds()
                        + " s; last output: " + stderr.last());
            }
            reader.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new MediaException("interrupted while " + executable.getFileName() + " ran", e);
        }
        synchronized (out) {
            if (out.size() > maxStdout) {
                throw new MediaException(executable.getFileName() + " wrote more than " + maxStdout + " bytes");
            }
            return new Result(process.exitValue(), out.toByteArray(), stderr.text());
        }
    }

    private static void copyBounded(InputStream in, ByteArrayOutputStream out, int max, Process process) {
        byte[] buffer = new byte[16384];
        try (in) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                synchronized (out) {
                    out.write(buffer, 0, n);
                    if (out.size() > max) {
                        process.destroyForcibly();
                        return;
                    }
                }
            }
        } catch (IOException e) {
            // the process ended
        }
    }

    /**
     * Starts a tool in {@code directory} (null = current) with stdin closed and stdout discarded unless
     * {@code readStdout}; stderr goes to {@code stderr} through a virtual thread.
     */
    Process start(Path executable, List<String> arguments, Path directory, OutputTail stderr, boolean readStdout) {
        List<String> command = new ArrayList<>(arguments.size() + 1);
        command.add(executable.toString());
        for (String argument : arguments) {
            if (argument == null || argument.isEmpty() || argument.length() > MAX_ARGUMENT
                    || argument.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
                throw new IllegalArgumentException("refused argument for " + executable.getFileName() + ": " + argument);
            }
            command.add(argument);
        }
        ProcessBuilder builder = new ProcessBuilder(command);
        if (!readStdout) {
            builder.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        }
        if (directory != null) {
            builder.directory(directory.toFile());
        }
        try {
            Process process = builder.start();
            process.getOutputStream().close();
            Thread.ofVirtual().name(executable.getFileName() + "-stderr-" + process.pid())
                    .start(() -> stderr.consume(process.getErrorStream()));
            return process;
        } catch (IOException e) {
            throw new MediaException("could not start " + executable + ": " + e.getMessage(), e);
        }
    }

    /** What a tool that ran to its end wrote: stdout whole (bounded), stderr's last lines. */
    record Result(int exitCode, byte[] stdout, String stderr) {
    }
}
