package org.hypertube.playback;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.hypertube.torrent.Metainfo;
import org.hypertube.torrent.TorrentCreator;
import org.hypertube.torrent.tracker.TrackerServer;

/**
 * A real swarm on loopback for one film: our tracker and aria2 (Debian's) seeding the film at a
 * limited rate, so playback starts while the download is still incomplete. DHT, LSD and PEX are off.
 */
public final class Swarm implements AutoCloseable {

    public final TrackerServer tracker;
    public final byte[] torrentFile;
    public final Metainfo metainfo;
    private final List<Process> seeders = new ArrayList<>();
    /** The swarm's work folder: the torrent, the seeders' logs, and the copy of the film it seeds when it made one. */
    private final Path logDir;

    private Swarm(TrackerServer tracker, byte[] torrentFile, Path logDir) {
        this.tracker = tracker;
        this.torrentFile = torrentFile;
        this.metainfo = Metainfo.parse(torrentFile);
        this.logDir = logDir;
    }

    /**
     * Seeds {@code film} (a file in its own folder) with {@code seeders} aria2 processes, each limited to
     * {@code bytesPerSecond} of upload.
     */
    public static Swarm seed(Path film, int seeders, long bytesPerSecond) throws IOException {
        return seed(film, film.getParent(), org.hypertube.TestDirs.temporary("hypertube-swarm"), seeders, bytesPerSecond);
    }

    /**
     * Seeds a copy of {@code film} named {@code name} (a torrent of this test's own), kept in the swarm's work
     * folder and deleted with it.
     */
    public static Swarm seedCopy(Path film, String name, int seeders, long bytesPerSecond) throws IOException {
        Path work = org.hypertube.TestDirs.temporary("hypertube-swarm");
        Path copy = Files.copy(film, Files.createDirectories(work.resolve("content")).resolve(name));
        return seed(copy, copy.getParent(), work, seeders, bytesPerSecond);
    }

    /**
     * One aria2 holding only the first {@code bytes} of {@code film} (the rest of its copy a hole, which its
     * check finds missing): the swarm has the beginning of the film and never the rest.
     */
    public static Swarm seedBeginning(Path film, long bytes) throws IOException {
        Path work = org.hypertube.TestDirs.temporary("hypertube-swarm");
        Path copy = Files.createDirectories(work.resolve("content")).resolve(film.getFileName());
        try (var in = Files.newInputStream(film); var out = new java.io.RandomAccessFile(copy.toFile(), "rw")) {
            out.write(in.readNBytes(Math.toIntExact(bytes)));
            out.setLength(Files.size(film));
        }
        return seed(film, copy.getParent(), work, 1, 50_000_000);
    }

    /** Seeds {@code film}'s torrent from the folder {@code content}; the swarm's own files go in {@code work}. */
    private static Swarm seed(Path film, Path content, Path work, int seeders, long bytesPerSecond) throws IOException {
        TrackerServer tracker = TrackerServer.start(InetAddress.getByName("127.0.0.1"), 0, Duration.ofSeconds(2),
                Clock.systemUTC());
        byte[] torrent = new TorrentCreator().tracker(tracker.announceUrl()).pieceLength(256 * 1024).create(film);
        Path torrentPath = work.resolve("film.torrent");
        Files.write(torrentPath, torrent);
        Swarm swarm = new Swarm(tracker, torrent, work);
        try {
            for (int i = 0; i < seeders; i++) {
                swarm.seeders.add(new ProcessBuilder("/usr/bin/aria2c", "--enable-dht=false", "--enable-dht6=false",
                        "--bt-enable-lpd=false", "--enable-peer-exchange=false", "--interface=127.0.0.1",
                        "--disable-ipv6=true", "--listen-port=" + freePort(), "--file-allocation=none",
                        "--dir=" + content, "--console-log-level=warn", "--summary-interval=0",
                        "--bt-tracker-interval=2", "--no-conf=true", "--check-integrity=true",
                        "--bt-seed-unverified=false", "--seed-ratio=0.0",
                        "--max-upload-limit=" + bytesPerSecond, torrentPath.toString())
                        .redirectErrorStream(true).redirectOutput(work.resolve("seeder-" + i + ".log").toFile())
                        .start());
            }
        } catch (IOException | RuntimeException e) {
            swarm.close();
            throw e;
        }
        return swarm;
    }

    /**
     * Waits until every seeder has announced itself to the tracker (aria2 checks the film first), for
     * a test in which the app's 3-second "no peer" rule must not fire while aria2 is still starting.
     */
    public Swarm awaitSeeders(Duration timeout) throws InterruptedException, IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (tracker.peers(metainfo.infoHash()).size() < seeders.size()) {
            if (System.nanoTime() > deadline) {
                String log = log();
                close();   // the caller's try-with-resources never got this swarm
                throw new IllegalStateException("the seeders did not announce within " + timeout + ":\n" + log);
            }
            Thread.sleep(50);
        }
        return this;
    }

    /**
     * Adds this swarm's torrent as a copy of the film. The test films are made the same way every time,
     * so their torrents are the same: a download of it that an earlier, failed test left (attached to
     * another film) is removed first, or the add would keep it there and this film would have none.
     */
    Download addTo(Downloads downloads, DownloadRepository repository, long filmId, Long member)
            throws IOException, Downloads.Refused {
        repository.findByInfoHash(metainfo.infoHash().hex())
                .ifPresent(left -> downloads.remove(left, "left by an earlier test"));
        return downloads.add(null, torrentFile, filmId, member);
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }

    public String log() throws IOException {
        StringBuilder out = new StringBuilder();
        try (var files = Files.list(logDir)) {
            for (Path p : files.filter(f -> f.toString().endsWith(".log")).toList()) {
                out.append(p.getFileName()).append(":\n").append(Files.readString(p));
            }
        }
        return out.toString();
    }

    @Override
    public void close() {
        for (Process p : seeders) {
            p.destroy();
        }
        for (Process p : seeders) {
            try {
                if (!p.waitFor(5, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        tracker.close();
        org.hypertube.TestDirs.delete(logDir);   // its torrent, the seeders' logs, and a copy of the film it seeded
    }
}
