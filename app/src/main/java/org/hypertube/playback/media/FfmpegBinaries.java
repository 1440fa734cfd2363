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
    private static final Path NICE = Path.of("/usr/bin/nice");

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
        return run(executable, arguments, null, timeout, maxStdout, () -> false);
    }

    /**
     * Runs ffmpeg over one of our files (or our loopback stream) at the lowest CPU priority ({@code nice -n 19}
     * where {@code nice} exists), for work nobody waits for (seek-bar thumbnails). {@code stop} is asked twice a
     * second from the start: when it says so the process is killed (or never started) and {@link StoppedException}
     * thrown.
     *
     * @param inputOptions options before the input ({@code -skip_frame nokey}, thread limits)
     * @param output       the output options and outputs, after the input
     * @param directory    the folder ffmpeg runs in: relative outputs go there
     */
    public Output runNiced(String input, List<String> inputOptions, List<String> output, Path directory, Duration timeout,
                           int maxStdout, java.util.function.BooleanSupplier stop) {
        List<String> arguments = new ArrayList<>();
        Path executable = ffmpeg();
        if (Files.isExecutable(NICE)) {
            arguments.addAll(List.of("-n", "19", executable.toString()));
            executable = NICE;
        }
        arguments.addAll(List.of("-nostdin", "-hide_banner", "-loglevel", "error"));
        arguments.addAll(inputOptions);
        arguments.addAll(MediaInput.protocolWhitelist(input));
        arguments.addAll(List.of("-i", MediaInput.argument(input)));
        arguments.addAll(output);
        if (stop.getAsBoolean()) {
            throw new StoppedException("ffmpeg not started: it has to give way");
        }
        Result result = run(executable, arguments, directory, timeout, maxStdout, stop);
        return new Output(result.exitCode(), new String(result.stdout(), java.nio.charset.StandardCharsets.UTF_8),
                result.stderr());
    }

    /** What a background run of ffmpeg wrote: stdout whole (bounded), stderr's last lines. */
    public record Output(int exitCode, String stdout, String stderr) {
    }

    /** A background run stopped because it had to give way (see {@link #runNiced}). */
    public static final class StoppedException extends MediaException {
        StoppedException(String message) {
            super(message);
        }
    }

    private Result run(Path executable, List<String> arguments, Path directory, Duration timeout, int maxStdout,
                       java.util.function.BooleanSupplier stop) {
        OutputTail stderr = new OutputTail(50);
        Process process = start(executable, arguments, directory, stderr, true);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Thread reader = Thread.ofVirtual().start(() -> copyBounded(process.getInputStream(), out, maxStdout, process));
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (!process.waitFor(Math.min(500, timeout.toMillis()), TimeUnit.MILLISECONDS)) {
                if (stop.getAsBoolean()) {
                    process.destroyForcibly();
                    throw new StoppedException(executable.getFileName() + " stopped: it had to give way");
                }
                if (System.nanoTime() > deadline) {
                    process.destroyForcibly();
                    throw new MediaException(executable.getFileName() + " took longer than " + timeout.toSeconds()
                            + " s; last output: " + stderr.last());
                }
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
