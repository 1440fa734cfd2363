package org.hypertube.torrent.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.hypertube.torrent.Torrent;
import org.hypertube.torrent.TorrentClient;
import org.hypertube.torrent.TorrentState;
import org.hypertube.torrent.Metainfo;
import org.hypertube.torrent.TorrentCreator;
import org.hypertube.torrent.tracker.TrackerServer;

/**
 * {@code torrent selftest}: shares generated data from in-process seeders through an in-process
 * tracker and a DHT of their own (the first seeder's node is everyone's only bootstrap node, so
 * nothing leaves the machine) and downloads it over loopback, then compares the files: a check that
 * the engine works on this machine, and the workload {@code bin/torrent} trains the JVM's ahead-of-time cache on (class loading and
 * method profiles of the download and upload paths, so a real download starts compiled sooner; the
 * DHT's classes too, so a magnet's first lookup does not load them).
 */
record Selftest(PrintStream out, PrintStream err) implements Verb {
    @Override
    public int run(List<String> args) throws UsageException, IOException, InterruptedException {
        Options a = Options.parse(args, Set.of("--size-mib", "--seeders"), Set.of());
        if (!a.positional().isEmpty()) {
            throw new UsageException("selftest takes no arguments, got " + a.positional().getFirst());
        }
        long size = (long) a.integer("--size-mib", 64, 1, 4096) << 20;
        int seeders = a.integer("--seeders", 2, 1, 8);
        InetAddress loopback = InetAddress.getLoopbackAddress();
        Path work = Files.createTempDirectory("torrent-selftest");
        List<TorrentClient> clients = new ArrayList<>();
        try (TrackerServer tracker = TrackerServer.start(loopback, 0, Duration.ofSeconds(5), Clock.systemUTC())) {
            Path data = work.resolve("seed").resolve("selftest.bin");
            Files.createDirectories(data.getParent());
            java.util.SplittableRandom random = new java.util.SplittableRandom(size);
            try (var channel = java.nio.channels.FileChannel.open(data, java.nio.file.StandardOpenOption.CREATE_NEW,
                    java.nio.file.StandardOpenOption.WRITE)) {
                java.nio.ByteBuffer chunk = java.nio.ByteBuffer.allocate(1 << 20);
                for (long left = size; left > 0; left -= chunk.limit()) {
                    fill(chunk, random);
                    chunk.limit((int) Math.min(chunk.capacity(), left));
                    while (chunk.hasRemaining()) {
                        channel.write(chunk);
                    }
                }
            }
            Metainfo m = Metainfo.parse(new TorrentCreator().tracker(tracker.announceUrl()).pieceLength(1 << 20).create(data));
            List<java.net.InetSocketAddress> seeds = new ArrayList<>();
            List<java.net.InetSocketAddress> dht = new ArrayList<>();
            for (int i = 0; i < seeders; i++) {
                TorrentClient seeder = TorrentClient.builder().downloadDirectory(seedDirectory(data, i)).bindAddress(loopback).port(0)
                        .dht(0, dht).build();
                clients.add(seeder);
                if (dht.isEmpty()) {
                    seeder.dhtAddress().ifPresent(dht::add);
                }
                Torrent s = seeder.add(m);
                while (s.state() == TorrentState.CHECKING) {
                    Thread.sleep(20);
                }
                seeds.add(new java.net.InetSocketAddress(loopback, seeder.port()));
            }
            Path into = work.resolve("leech");
            TorrentClient leecher = TorrentClient.builder().downloadDirectory(into).bindAddress(loopback).port(0).dht(0, dht).build();
            clients.add(leecher);
            long start = System.nanoTime();
            Torrent t = leecher.add(m);
            seeds.forEach(t::connect);
            boolean done;
            try {
                done = t.awaitCompletion(Duration.ofMinutes(5));
            } catch (IllegalStateException e) {
                err.println("torrent: selftest failed: " + t.error().orElse(e.getMessage()));
                return 1;
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            if (!done) {
                err.println("torrent: selftest not complete after 5 minutes, " + Units.percent(t.progress()) + " verified");
                return 1;
            }
            leecher.close();
            long mismatch = Files.mismatch(data, into.resolve(data.getFileName()));
            if (mismatch != -1) {
                err.println("torrent: selftest downloaded a file that differs at byte " + mismatch);
                return 1;
            }
            out.println(String.format(Locale.ROOT, "selftest: %s from %d seeders in %.2f s (%s/s), files identical",
                    Units.human(size), seeders, seconds, Units.human((long) (size / seconds))));
            return 0;
        } finally {
            clients.forEach(TorrentClient::close);
            try (var walk = Files.walk(work)) {
                for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /**
     * Where seeder {@code i} shares {@code data} from: a folder of its own (its DHT node id and nodes
     * file live there), with a hard link to the data, or a copy where links are not possible.
     */
    private static Path seedDirectory(Path data, int i) throws IOException {
        if (i == 0) {
            return data.getParent();
        }
        Path dir = data.getParent().resolveSibling("seed" + i);
        Files.createDirectories(dir);
        Path to = dir.resolve(data.getFileName());
        try {
            Files.createLink(to, data);
        } catch (IOException | UnsupportedOperationException e) {
            Files.copy(data, to);
        }
        return dir;
    }

    /**
     * One chunk of the selftest's data. Its own method: the CLI runs without on-stack replacement,
     * so a loop over the whole file inside {@link #run} would stay interpreted (seconds for
     * 256 MiB); this one is compiled after a few calls.
     */
    private static void fill(java.nio.ByteBuffer chunk, java.util.SplittableRandom random) {
        chunk.clear();
        while (chunk.hasRemaining()) {
            chunk.putLong(random.nextLong());
        }
        chunk.flip();
    }
}
