package org.hypertube.torrent.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import org.hypertube.torrent.Torrent;
import org.hypertube.torrent.TorrentClient;
import org.hypertube.torrent.TorrentState;
import org.hypertube.torrent.Magnet;
import org.hypertube.torrent.Metainfo;
import org.hypertube.torrent.TorrentInfo;

/** {@code torrent download}: fetches a torrent or magnet, then exits or (with --seed-after) seeds. */
record Download(PrintStream out, PrintStream err) implements Verb {
    @Override
    public int run(List<String> args) throws UsageException, IOException, InterruptedException {
        Options a = Options.parse(args, Set.of("--dir", "--port", "--bind", "--timeout", "--dht-port", "--dht-bootstrap"),
                Set.of("--seed-after", "--allow-local-web-seeds", "--dht", "--no-dht", "--events"));
        if (a.flags().contains("--dht") && a.flags().contains("--no-dht")) {
            throw new UsageException("--dht and --no-dht contradict each other");
        }
        String arg = a.single("torrent file or magnet link");
        Metainfo metainfo = Magnet.looksLikeMagnet(arg) ? null : Options.torrentFile(arg);
        Magnet magnet = metainfo == null ? Magnet.parse(arg) : null;
        int timeout = a.integer("--timeout", 0, 0, Integer.MAX_VALUE);
        Path dir = Path.of(a.one("--dir", "."));
        // The DHT is on unless --no-dht (--dht, the default now, is still accepted).
        TorrentClient client = a.client(dir, !a.flags().contains("--no-dht"));
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            client.close();
            stopped.countDown();
        });
        Runtime.getRuntime().addShutdownHook(hook);
        Events events = a.flags().contains("--events") ? new Events(out) : null;
        if (events != null) {
            events.added();
        }
        Torrent t = metainfo != null ? client.add(metainfo) : client.add(magnet);
        if (events != null) {
            events.watch(t);
        }
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
        if (events != null) {
            events.stop();
            if (done) {
                events.complete();
            }
        }
        if (!done) {
            err.println("torrent: not complete after " + timeout + " s: " + (t.peers().isEmpty() ? "no peers" : t.peers().size() + " peers")
                    + ", " + Units.percent(t.progress()) + " verified");
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
            String rate = Units.human(t.downloadRate()) + "/s down, " + Units.human(t.uploadRate()) + "/s up";
            String line = Units.percent(t.progress()) + " " + state + ", " + rate + ", " + t.peers().size() + " peers";
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
