package org.hypertube.torrent.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import org.hypertube.torrent.Torrent;
import org.hypertube.torrent.TorrentClient;
import org.hypertube.torrent.TorrentState;
import org.hypertube.torrent.Metainfo;

/** {@code torrent seed}: checks the data in --dir and seeds it until stopped. */
record Seed(PrintStream out, PrintStream err) implements Verb {
    @Override
    public int run(List<String> args) throws UsageException, IOException, InterruptedException {
        Options a = Options.parse(args, Set.of("--dir", "--port", "--bind"), Set.of());
        Metainfo m = Options.torrentFile(a.single("torrent file"));
        Path dir = Path.of(a.one("--dir", "."));
        TorrentClient client = a.client(dir, false);
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
                + Units.percent(t.progress()) + " of the data verified; stop with Ctrl-C");
        out.flush();
        stopped.await();
        return 0;
    }
}
