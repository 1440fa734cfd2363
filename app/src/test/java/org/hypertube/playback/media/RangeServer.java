package org.hypertube.playback.media;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A loopback HTTP/1.1 server answering GET with Range on the files of a folder, like the app's stream
 * endpoint, one request per connection. Under {@code /gated/} it sends the first 64 KiB of the file and
 * then holds the answer until {@link #openGate()}: an input whose pieces have not arrived.
 * (The JDK's HttpServer reset some of ffmpeg's connections after an aborted answer, hence this one.)
 */
final class RangeServer implements AutoCloseable {

    private static final Pattern REQUEST = Pattern.compile("GET (/\\S*) HTTP/1\\.[01]");
    private static final Pattern RANGE = Pattern.compile("(?i)range:\\s*bytes=(\\d+)-(\\d*)");
    private static final Pattern HELD = Pattern.compile("held-(\\d{1,12})/(.+)");
    static final int GATED_BYTES = 64 * 1024;

    private final ServerSocket socket;
    private final Path root;
    private final CountDownLatch gate = new CountDownLatch(1);
    final AtomicInteger requests = new AtomicInteger();

    /** Body bytes written to clients (what a reader made the server send, less what its socket buffers dropped). */
    final java.util.concurrent.atomic.AtomicLong served = new java.util.concurrent.atomic.AtomicLong();

    RangeServer(Path root) throws IOException {
        this.root = root.toAbsolutePath().normalize();
        socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().name("range-server").start(this::accept);
    }

    String url(String name) {
        return "http://127.0.0.1:" + socket.getLocalPort() + "/" + name;
    }

    String gatedUrl(String name) {
        return url("gated/" + name);
    }

    /**
     * The file, its answers that start before byte {@code at} held there until {@link #openGate()}; those
     * that start at or after it (an index at the end) answered at once: a film arriving from its start.
     */
    String heldUrl(String name, long at) {
        return url("held-" + at + "/" + name);
    }

    void openGate() {
        gate.countDown();
    }

    private void accept() {
        while (!socket.isClosed()) {
            try {
                Socket client = socket.accept();
                Thread.ofVirtual().start(() -> serve(client));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket client) {
        requests.incrementAndGet();
        try (client) {
            BufferedReader in = new BufferedReader(new InputStreamReader(client.getInputStream(),
                    StandardCharsets.ISO_8859_1));
            OutputStream out = client.getOutputStream();
            Matcher request = REQUEST.matcher(String.valueOf(in.readLine()));
            String range = null;
            for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
                if (RANGE.matcher(line).matches()) {
                    range = line;
                }
            }
            if (!request.matches()) {
                out.write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".getBytes());
                return;
            }
            String path = request.group(1).substring(1);
            boolean gated = path.startsWith("gated/");
            long holdAt = gated ? GATED_BYTES : Long.MAX_VALUE;
            Matcher held = HELD.matcher(path);
            if (gated) {
                path = path.substring("gated/".length());
            } else if (held.matches()) {
                holdAt = Long.parseLong(held.group(1));
                path = held.group(2);
            }
            Path file = root.resolve(path).normalize();
            if (!file.startsWith(root) || !Files.isRegularFile(file)) {
                out.write("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".getBytes());
                return;
            }
            long size = Files.size(file);
            long from = 0;
            long to = size - 1;
            String status = "200 OK";
            String contentRange = "";
            if (range != null) {
                Matcher m = RANGE.matcher(range);
                m.matches();
                from = Long.parseLong(m.group(1));
                if (from >= size) {
                    out.write(("HTTP/1.1 416 Range Not Satisfiable\r\nContent-Range: bytes */" + size
                            + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n").getBytes());
                    return;
                }
                to = m.group(2).isEmpty() ? size - 1 : Math.min(size - 1, Long.parseLong(m.group(2)));
                status = "206 Partial Content";
                contentRange = "Content-Range: bytes " + from + "-" + to + "/" + size + "\r\n";
            }
            out.write(("HTTP/1.1 " + status + "\r\nAccept-Ranges: bytes\r\nContent-Type: application/octet-stream\r\n"
                    + contentRange + "Content-Length: " + (to - from + 1) + "\r\nConnection: close\r\n\r\n").getBytes());
            try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
                raf.seek(from);
                byte[] buffer = new byte[64 * 1024];
                long position = from;
                while (position <= to) {
                    if ((gated || from < holdAt) && position >= holdAt) {
                        out.flush();
                        gate.await();
                    }
                    int n = raf.read(buffer, 0, (int) Math.min(buffer.length, to - position + 1));
                    if (n < 0) {
                        break;
                    }
                    out.write(buffer, 0, n);
                    served.addAndGet(n);
                    position += n;
                }
            }
            out.flush();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // the client went away (ffmpeg killed, or seeking elsewhere)
        }
    }

    @Override
    public void close() {
        gate.countDown();
        try {
            socket.close();
        } catch (IOException e) {
            // closed
        }
    }
}
