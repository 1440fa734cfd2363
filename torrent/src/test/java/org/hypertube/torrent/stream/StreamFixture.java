package org.hypertube.torrent.stream;

import org.hypertube.torrent.TorrentStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;
import org.hypertube.torrent.TorrentClient;
import org.hypertube.torrent.Metainfo;
import org.hypertube.torrent.TorrentCreator;
import org.hypertube.torrent.testing.TestData;

/** Clients on 127.0.0.1 in a temporary folder, test files, and reading helpers. */
final class StreamFixture implements AutoCloseable {
    static final int PIECE = 256 * 1024;
    final Path tmp;
    private final List<AutoCloseable> toClose = new ArrayList<>();

    StreamFixture(Path tmp) {
        this.tmp = tmp;
    }

    TorrentClient client(String dir, UnaryOperator<TorrentClient.Builder> settings) throws IOException {
        TorrentClient c = settings.apply(TorrentClient.builder().allowLocalAddresses(true).downloadDirectory(Files.createDirectories(tmp.resolve(dir)))
                .bindAddress(InetAddress.getLoopbackAddress()).port(0)).build();
        toClose.add(c);
        return c;
    }

    <T extends AutoCloseable> T track(T c) {
        toClose.add(c);
        return c;
    }

    Metainfo torrent(Path data) throws IOException {
        return Metainfo.parse(new TorrentCreator().pieceLength(PIECE).create(data));
    }

    Path file(String path, long size, long seed) throws IOException {
        return TestData.file(tmp.resolve(path), size, seed);
    }

    static InetSocketAddress local(int port) {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    }

    /** Seeks and reads {@code len} bytes (fewer at the end of the file). */
    static byte[] read(TorrentStream s, long position, int len) throws IOException {
        s.position(position);
        ByteBuffer b = ByteBuffer.allocate(len);
        while (b.hasRemaining()) {
            if (s.read(b) < 0) {
                break;
            }
        }
        return Arrays.copyOf(b.array(), b.position());
    }

    static byte[] expected(Path file, long position, int len) throws IOException {
        try (FileChannel c = FileChannel.open(file)) {
            ByteBuffer b = ByteBuffer.allocate((int) Math.max(0, Math.min(len, c.size() - position)));
            while (b.hasRemaining() && c.read(b, position + b.position()) >= 0) {
                // reading
            }
            return b.array();
        }
    }

    static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long until = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > until) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(10);
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
