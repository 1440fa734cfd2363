package org.hypertube.torrent.interop;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.hypertube.torrent.TorrentClient;
import org.hypertube.torrent.Metainfo;
import org.hypertube.torrent.TorrentCreator;
import org.hypertube.torrent.testing.TestData;
import org.hypertube.torrent.tracker.TrackerServer;

/** Shared set-up for interop tests: test data, a torrent announcing to our tracker, our clients. */
final class InteropFixture implements AutoCloseable {
    final Path tmp;
    final List<AutoCloseable> toClose = new ArrayList<>();
    final TrackerServer tracker;
    final Path data;
    final Path torrentFile;
    final Metainfo metainfo;

    InteropFixture(Path tmp, long size) throws IOException {
        this.tmp = tmp;
        tracker = TrackerServer.start(InetAddress.getLoopbackAddress(), 0, Duration.ofSeconds(2), Clock.systemUTC());
        toClose.add(tracker);
        data = TestData.file(tmp.resolve("seed/movie.bin"), size, 21);
        byte[] t = new TorrentCreator().tracker(tracker.announceUrl()).pieceLength(256 * 1024).create(data);
        torrentFile = Files.write(tmp.resolve("movie.torrent"), t);
        metainfo = Metainfo.parse(t);
    }

    TorrentClient ours(String dir) throws IOException {
        TorrentClient c = TorrentClient.builder().allowLocalAddresses(true).downloadDirectory(Files.createDirectories(tmp.resolve(dir)))
                .bindAddress(InetAddress.getLoopbackAddress()).port(0).build();
        toClose.add(c);
        return c;
    }

    <T extends AutoCloseable> T track(T c) {
        toClose.add(c);
        return c;
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() throws Exception {
        Exception first = null;
        for (AutoCloseable c : toClose.reversed()) {
            try {
                c.close();
            } catch (Exception e) {
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
