package org.hypertube.torrent.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import org.hypertube.torrent.tracker.TrackerServer;

/** {@code torrent tracker}: an HTTP and UDP tracker on one port until stopped. */
record Tracker(PrintStream out) implements Verb {
    @Override
    public int run(List<String> args) throws UsageException, IOException, InterruptedException {
        Options a = Options.parse(args, Set.of("--port", "--bind", "--interval"), Set.of());
        if (!a.positional().isEmpty()) {
            throw new UsageException("tracker takes no arguments, got " + a.positional().getFirst());
        }
        TrackerServer server = TrackerServer.start(a.bind(), a.integer("--port", 6969, 0, 65535),
                Duration.ofSeconds(a.integer("--interval", 120, 1, 86_400)), Clock.systemUTC());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }));
        out.println("tracker on port " + server.port() + ": " + server.announceUrl() + " and " + server.udpAnnounceUrl());
        out.flush();
        stopped.await();
        return 0;
    }
}
