package org.hypertube.torrent.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import org.hypertube.torrent.MetainfoException;

/** {@code torrent VERB [OPTIONS] ARG}: see {@link #USAGE}; each verb is a class of this package. */
public final class Main {
    static final String USAGE = """
            usage: torrent create [--tracker URL]... [--piece-length BYTES] [--web-seed URL]... [--private] -o OUT PATH
                   torrent info (FILE.torrent | MAGNET)
                   torrent download [--dir DIR] [--port N] [--bind ADDR] [--timeout SECONDS] [--seed-after] [--events]
                                    [--allow-local-web-seeds] [--no-dht | [--dht-port N] [--dht-bootstrap HOST:PORT]...]
                                    (FILE.torrent | MAGNET)
                   torrent seed [--dir DIR] [--port N] [--bind ADDR] FILE.torrent
                   torrent tracker [--port N] [--bind ADDR] [--interval SECONDS]
                   torrent selftest [--size-mib N] [--seeders N]
                   torrent dht-lookup [--bind ADDR] [--dht-port N] [--dht-bootstrap HOST:PORT]... (INFOHASH | MAGNET)""";

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
                throw new UsageException("missing verb (create, info, download, seed, tracker, selftest, dht-lookup)");
            }
            if (List.of("-h", "--help", "help").contains(args[0])) {
                out.println(USAGE);
                return 0;
            }
            Verb verb = switch (args[0]) {
                case "create" -> new Create(out);
                case "info" -> new Info(out);
                case "download" -> new Download(out, err);
                case "seed" -> new Seed(out, err);
                case "tracker" -> new Tracker(out);
                case "selftest" -> new Selftest(out, err);
                case "dht-lookup" -> new DhtLookup(out, err);
                default -> throw new UsageException("unknown verb '" + args[0] + "' (create, info, download, seed, tracker, selftest, dht-lookup)");
            };
            return verb.run(List.of(args).subList(1, args.length));
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
}
