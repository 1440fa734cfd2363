package org.hypertube.torrent.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import org.hypertube.torrent.client.Torrent;
import org.hypertube.torrent.client.TorrentClient;
import org.hypertube.torrent.client.TorrentState;
import org.hypertube.torrent.metainfo.Magnet;
import org.hypertube.torrent.metainfo.Metainfo;
import org.hypertube.torrent.metainfo.MetainfoException;
import org.hypertube.torrent.metainfo.TorrentCreator;
import org.hypertube.torrent.metainfo.TorrentFile;
import org.hypertube.torrent.metainfo.TorrentInfo;
import org.hypertube.torrent.tracker.TrackerServer;

/** {@code torrent VERB [OPTIONS] ARG}: see {@link #USAGE}. */
public final class Main {
    static final String USAGE = """
            usage: torrent create [--tracker URL]... [--piece-length BYTES] [--web-seed URL]... [--private] -o OUT PATH
                   torrent info (FILE.torrent | MAGNET)
                   torrent download [--dir DIR] [--port N] [--bind ADDR] [--timeout SECONDS] [--seed-after]
                                    [--allow-local-web-seeds] (FILE.torrent | MAGNET)
                   torrent seed [--dir DIR] [--port N] [--bind ADDR] FILE.torrent
                   torrent tracker [--port N] [--bind ADDR] [--interval SECONDS]
                   torrent selftest [--size-mib N] [--seeders N]""";

    /** Bad input: exit 2 with the message on one line. */
    static final class UsageException extends Exception {
        UsageException(String message) {
            super(message);
        }
    }

    private final PrintStream out;
    private final PrintStream err;

    Main(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        setDefault("org.slf4j.simpleLogger.defaultLogLevel", "info");
        setDefault("org.slf4j.simpleLogger.showDateTime", "true");
        setDefault("org.slf4j.simpleLogger.dateTimeFormat", "HH:mm:ss");
        setDefault("org.slf4j.simpleLogger.showThreadName", "false");
        setDefault("org.slf4j.simpleLogger.showShortLogName", "true");
        // The logger's set-up (its time stamps' date format loads the locale data: about 40 ms
        // interpreted) runs beside the reading of the torrent instead of before the first peer is
        // dialled; whichever thread comes second waits for the class initialisation to finish.
        Thread.ofPlatform().daemon().name("logging-setup").start(org.slf4j.LoggerFactory::getILoggerFactory);
        System.exit(new Main(System.out, System.err).run(args));
    }

    private static void setDefault(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }

    int run(String[] args) {
        try {
            if (args.length == 0) {
                throw new UsageException("missing verb (create, info, download, seed, tracker, selftest)");
            }
            List<String> rest = List.of(args).subList(1, args.length);
            return switch (args[0]) {
                case "create" -> create(rest);
                case "info" -> info(rest);
                case "download" -> download(rest);
                case "seed" -> seed(rest);
                case "tracker" -> tracker(rest);
                case "selftest" -> selftest(rest);
                case "-h", "--help", "help" -> {
                    out.println(USAGE);
                    yield 0;
                }
                default -> throw new UsageException("unknown verb '" + args[0] + "' (create, info, download, seed, tracker, selftest)");
            };
        } catch (UsageException | MetainfoException e) {
            err.println("torrent: " + e.getMessage());
            return 2;
        } catch (IOException e) {
            err.println("torrent: " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    /** Options with values, repeated options, flags and positional arguments. */
    record Args(Map<String, List<String>> options, Set<String> flags, List<String> positional) {
        static Args parse(List<String> args, Set<String> valued, Set<String> flagNames) throws UsageException {
            Map<String, List<String>> options = new HashMap<>();
            Set<String> flags = new java.util.HashSet<>();
            List<String> positional = new ArrayList<>();
            for (int i = 0; i < args.size(); i++) {
                String a = args.get(i);
                if (a.startsWith("-") && !a.equals("-") && !Magnet.looksLikeMagnet(a)) {
                    String name = a;
                    String value = null;
                    int eq = a.indexOf('=');
                    if (eq > 0) {
                        name = a.substring(0, eq);
                        value = a.substring(eq + 1);
                    }
                    if (valued.contains(name)) {
                        if (value == null) {
                            if (i + 1 >= args.size()) {
                                throw new UsageException("option " + name + " needs a value");
                            }
                            value = args.get(++i);
                        }
                        options.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
                    } else if (flagNames.contains(name) && value == null) {
                        flags.add(name);
                    } else {
                        throw new UsageException("unknown option " + a);
                    }
                } else {
                    positional.add(a);
                }
            }
            return new Args(options, flags, positional);
        }

        String one(String name, String dflt) {
            List<String> v = options.getOrDefault(name, List.of());
            return v.isEmpty() ? dflt : v.getLast();
        }

        List<String> all(String name) {
            return options.getOrDefault(name, List.of());
        }

        int integer(String name, int dflt, int min, int max) throws UsageException {
            String v = one(name, null);
            if (v == null) {
                return dflt;
            }
            try {
                int n = Integer.parseInt(v);
                if (n < min || n > max) {
                    throw new UsageException(name + " must be between " + min + " and " + max + ", got " + v);
                }
                return n;
            } catch (NumberFormatException e) {
                throw new UsageException(name + " must be a number, got '" + v + "'");
            }
        }

        String single(String what) throws UsageException {
            if (positional.size() != 1) {
                throw new UsageException(positional.isEmpty() ? "missing " + what : "expected one " + what + ", got " + positional.size() + " arguments");
            }
            return positional.getFirst();
        }
    }

    private int create(List<String> raw) throws UsageException, IOException {
        Args a = Args.parse(raw, Set.of("--tracker", "--piece-length", "--web-seed", "-o", "--output"), Set.of("--private"));
        String output = a.one("-o", a.one("--output", null));
        if (output == null) {
            throw new UsageException("create needs -o OUT");
        }
        Path path = Path.of(a.single("PATH to share"));
        if (!Files.exists(path)) {
            throw new UsageException("no such file or folder: " + path);
        }
        TorrentCreator c = new TorrentCreator().privateTorrent(a.flags().contains("--private"));
        for (String t : a.all("--tracker")) {
            c.tracker(t);
        }
        a.all("--web-seed").forEach(c::webSeed);
        if (a.one("--piece-length", null) != null) {
            c.pieceLength(a.integer("--piece-length", 0, 1, Integer.MAX_VALUE));
        }
        byte[] torrent = c.create(path);
        Files.write(Path.of(output), torrent);
        Metainfo m = Metainfo.parse(torrent);
        out.println("created " + output + ": " + m.info().name() + " " + m.infoHash());
        return 0;
    }

    private static Metainfo readTorrent(String file) throws UsageException {
        Path p = Path.of(file);
        try {
            if (!Files.isRegularFile(p)) {
                throw new UsageException("no such torrent file: " + file);
            }
            if (Files.size(p) > Metainfo.MAX_FILE_SIZE) {
                throw new UsageException("torrent file too large: " + file);
            }
            return Metainfo.parse(Files.readAllBytes(p));
        } catch (IOException e) {
            throw new UsageException("cannot read " + file + ": " + e.getMessage());
        } catch (MetainfoException e) {
            throw new UsageException(file + ": " + e.getMessage());
        }
    }

    private int info(List<String> raw) throws UsageException {
        Args a = Args.parse(raw, Set.of(), Set.of());
        String arg = a.single("torrent file or magnet link");
        if (Magnet.looksLikeMagnet(arg)) {
            Magnet m = Magnet.parse(arg);
            out.println("name:       " + m.displayName().orElse("(unknown until metadata arrives)"));
            out.println("info-hash:  " + m.infoHash());
            m.trackers().forEach(t -> out.println("tracker:    " + t));
            m.peers().forEach(p -> out.println("peer:       " + p.getHostString() + ":" + p.getPort()));
            m.webSeeds().forEach(w -> out.println("web seed:   " + w));
            if (!m.selectOnly().isEmpty()) {
                out.println("select:     " + m.selectOnly());
            }
            return 0;
        }
        Metainfo m = readTorrent(arg);
        TorrentInfo i = m.info();
        out.println("name:       " + i.name());
        out.println("info-hash:  " + i.infoHash());
        out.println("size:       " + i.totalLength() + " bytes (" + human(i.totalLength()) + ")");
        out.println("piece size: " + i.pieceLength());
        out.println("pieces:     " + i.pieceCount());
        out.println("private:    " + (i.isPrivate() ? "yes" : "no"));
        m.trackerTiers().forEach(t -> out.println("tracker:    " + String.join(" ", t)));
        m.webSeeds().forEach(w -> out.println("web seed:   " + w));
        out.println("files:");
        for (TorrentFile f : i.files()) {
            if (!f.pad()) {
                out.println("  " + f.length() + "  " + (i.multiFile() ? i.name() + "/" : "") + f.displayPath());
            }
        }
        return 0;
    }

    private TorrentClient client(Args a, Path dir) throws UsageException, IOException {
        InetAddress bind;
        try {
            bind = InetAddress.getByName(a.one("--bind", "0.0.0.0"));
        } catch (UnknownHostException e) {
            throw new UsageException("--bind: unknown address " + a.one("--bind", ""));
        }
        Files.createDirectories(dir);
        if (!Files.isWritable(dir)) {
            throw new UsageException("download folder is not writable: " + dir);
        }
        return TorrentClient.builder().downloadDirectory(dir).bindAddress(bind).port(a.integer("--port", 6881, 0, 65535))
                .allowLocalWebSeeds(a.flags().contains("--allow-local-web-seeds")).build();
    }

    private int download(List<String> raw) throws UsageException, IOException, InterruptedException {
        Args a = Args.parse(raw, Set.of("--dir", "--port", "--bind", "--timeout"), Set.of("--seed-after", "--allow-local-web-seeds"));
        String arg = a.single("torrent file or magnet link");
        Metainfo metainfo = Magnet.looksLikeMagnet(arg) ? null : readTorrent(arg);
        Magnet magnet = metainfo == null ? Magnet.parse(arg) : null;
        int timeout = a.integer("--timeout", 0, 0, Integer.MAX_VALUE);
        Path dir = Path.of(a.one("--dir", "."));
        TorrentClient client = client(a, dir);
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            client.close();
            stopped.countDown();
        });
        Runtime.getRuntime().addShutdownHook(hook);
        Torrent t = metainfo != null ? client.add(metainfo) : client.add(magnet);
        long deadline = timeout == 0 ? Long.MAX_VALUE : System.nanoTime() + timeout * 1_000_000_000L;
        boolean terminal = System.console() != null && System.console().isTerminal();
        Progress progress = new Progress(out, terminal);
        boolean done;
        try {
            while (true) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    done = false;
                    break;
                }
                done = t.awaitCompletion(Duration.ofNanos(Math.min(left, terminal ? 1_000_000_000L : 3_000_000_000L)));
                progress.print(t);
                if (done || t.state() == TorrentState.CLOSED) {
                    break;
                }
            }
        } catch (IllegalStateException e) {
            progress.finish();
            err.println("torrent: " + t.error().orElse(e.getMessage()));
            shutdown(client, hook);
            return 1;
        }
        progress.finish();
        if (!done) {
            err.println("torrent: not complete after " + timeout + " s: " + (t.peers().isEmpty() ? "no peers" : t.peers().size() + " peers")
                    + ", " + percent(t.progress()) + " verified");
            shutdown(client, hook);
            return 1;
        }
        out.println("complete: " + t.info().map(TorrentInfo::name).orElse("?") + " in " + dir.toAbsolutePath().normalize());
        if (a.flags().contains("--seed-after")) {
            out.println("seeding; stop with Ctrl-C");
            stopped.await();
            return 0;
        }
        shutdown(client, hook);
        return 0;
    }

    private static void shutdown(TorrentClient client, Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // already shutting down
        }
        client.close();
    }

    private int seed(List<String> raw) throws UsageException, IOException, InterruptedException {
        Args a = Args.parse(raw, Set.of("--dir", "--port", "--bind"), Set.of());
        Metainfo m = readTorrent(a.single("torrent file"));
        Path dir = Path.of(a.one("--dir", "."));
        TorrentClient client = client(a, dir);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            client.close();
            stopped.countDown();
        }));
        Torrent t = client.add(m);
        while (t.state() == TorrentState.CHECKING) {
            Thread.sleep(100);
        }
        if (t.state() == TorrentState.FAILED) {
            err.println("torrent: " + t.error().orElse("failed"));
            client.close();
            return 1;
        }
        out.println("seeding " + m.info().name() + " (" + m.infoHash() + ") on port " + client.port() + ", "
                + percent(t.progress()) + " of the data verified; stop with Ctrl-C");
        out.flush();
        stopped.await();
        return 0;
    }

    private int tracker(List<String> raw) throws UsageException, IOException, InterruptedException {
        Args a = Args.parse(raw, Set.of("--port", "--bind", "--interval"), Set.of());
        if (!a.positional().isEmpty()) {
            throw new UsageException("tracker takes no arguments, got " + a.positional().getFirst());
        }
        InetAddress bind;
        try {
            bind = InetAddress.getByName(a.one("--bind", "0.0.0.0"));
        } catch (UnknownHostException e) {
            throw new UsageException("--bind: unknown address " + a.one("--bind", ""));
        }
        TrackerServer server = TrackerServer.start(bind, a.integer("--port", 6969, 0, 65535),
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

    /**
     * Shares generated data from in-process seeders through an in-process tracker and downloads it
     * over loopback, then compares the files: a check that the engine works on this machine, and
     * the workload {@code bin/torrent} trains the JVM's ahead-of-time cache on (class loading and
     * method profiles of the download and upload paths, so a real download starts compiled sooner).
     */
    private int selftest(List<String> raw) throws UsageException, IOException, InterruptedException {
        Args a = Args.parse(raw, Set.of("--size-mib", "--seeders"), Set.of());
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
            for (int i = 0; i < seeders; i++) {
                TorrentClient seeder = TorrentClient.builder().downloadDirectory(data.getParent()).bindAddress(loopback).port(0).build();
                clients.add(seeder);
                Torrent s = seeder.add(m);
                while (s.state() == TorrentState.CHECKING) {
                    Thread.sleep(20);
                }
                seeds.add(new java.net.InetSocketAddress(loopback, seeder.port()));
            }
            Path into = work.resolve("leech");
            TorrentClient leecher = TorrentClient.builder().downloadDirectory(into).bindAddress(loopback).port(0).build();
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
                err.println("torrent: selftest not complete after 5 minutes, " + percent(t.progress()) + " verified");
                return 1;
            }
            leecher.close();
            long mismatch = Files.mismatch(data, into.resolve(data.getFileName()));
            if (mismatch != -1) {
                err.println("torrent: selftest downloaded a file that differs at byte " + mismatch);
                return 1;
            }
            out.println(String.format(Locale.ROOT, "selftest: %s from %d seeders in %.2f s (%s/s), files identical",
                    human(size), seeders, seconds, human((long) (size / seconds))));
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
     * One chunk of the selftest's data. Its own method: the CLI runs without on-stack replacement,
     * so a loop over the whole file inside {@link #selftest} would stay interpreted (seconds for
     * 256 MiB); this one is compiled after a few calls.
     */
    private static void fill(java.nio.ByteBuffer chunk, java.util.SplittableRandom random) {
        chunk.clear();
        while (chunk.hasRemaining()) {
            chunk.putLong(random.nextLong());
        }
        chunk.flip();
    }

    static String percent(double p) {
        return String.format(Locale.ROOT, "%.1f%%", p * 100);
    }

    static String human(long bytes) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        double v = bytes;
        int u = 0;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, u == 0 ? "%.0f %s" : "%.1f %s", v, units[u]);
    }

    /** A bar redrawn in place on a terminal; otherwise one plain line per call. */
    static final class Progress {
        private final PrintStream out;
        private final boolean terminal;
        private boolean drew;

        Progress(PrintStream out, boolean terminal) {
            this.out = out;
            this.terminal = terminal;
        }

        void print(Torrent t) {
            String state = t.state().name().toLowerCase(Locale.ROOT).replace('_', ' ');
            String rate = human(t.downloadRate()) + "/s down, " + human(t.uploadRate()) + "/s up";
            String line = percent(t.progress()) + " " + state + ", " + rate + ", " + t.peers().size() + " peers";
            if (terminal) {
                int width = 30;
                int filled = (int) Math.round(t.progress() * width);
                out.print("\r[" + "#".repeat(filled) + " ".repeat(width - filled) + "] " + line + "   ");
                drew = true;
            } else {
                out.println(line);
            }
            out.flush();
        }

        void finish() {
            if (drew) {
                out.println();
            }
        }
    }
}
