import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.hypertube.torrent.Torrent;
import org.hypertube.torrent.TorrentClient;
import org.hypertube.torrent.Metainfo;
import org.hypertube.torrent.TorrentStream;

/**
 * The streaming side of bench/engine/stream.py for our engine: opens a TorrentStream on file 0,
 * reads one byte at 0, then seeks to each fraction and reads one byte, printing
 * "FIRST ms" (add to first byte at 0) and "SEEK fraction ms" (seek to first byte there).
 *
 * java -cp torrent/target/torrent-cli.jar bench/engine/StreamProbe.java TORRENT DIR HOST:PORT 0.3,0.7,...
 */
public class StreamProbe {
    public static void main(String[] args) throws Exception {
        Metainfo m = Metainfo.parse(Files.readAllBytes(Path.of(args[0])));
        String[] peer = args[2].split(":");
        try (TorrentClient client = TorrentClient.builder().allowLocalAddresses(true).downloadDirectory(Files.createDirectories(Path.of(args[1])))
                .bindAddress(InetAddress.getLoopbackAddress()).port(0).build()) {
            long start = System.nanoTime();
            Torrent t = client.add(m);
            t.connect(new InetSocketAddress(peer[0], Integer.parseInt(peer[1])));
            try (TorrentStream s = t.openStream(0)) {
                s.setReadTimeout(Duration.ofMinutes(5));
                readOne(s);
                System.out.printf("FIRST %.1f%n", (System.nanoTime() - start) / 1e6);
                for (String f : args[3].split(",")) {
                    long t0 = System.nanoTime();
                    s.position((long) (Double.parseDouble(f) * s.size()));
                    readOne(s);
                    System.out.printf("SEEK %s %.1f%n", f, (System.nanoTime() - t0) / 1e6);
                }
            }
        }
    }

    private static void readOne(TorrentStream s) throws Exception {
        if (s.read(ByteBuffer.allocate(1)) != 1) {
            throw new IllegalStateException("no byte at " + s.position());
        }
    }
}
