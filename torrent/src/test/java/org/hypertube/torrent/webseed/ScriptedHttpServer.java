package org.hypertube.torrent.webseed;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A tiny HTTP server whose answers the test scripts, for servers that misbehave: it reads each
 * request's head and writes whatever bytes the script returns, then keeps the connection or closes it.
 */
final class ScriptedHttpServer implements AutoCloseable {

    /** What to send back, and whether to close the connection afterwards (without saying so). */
    record Reply(String text, byte[] body, boolean close) {
        static Reply of(String text) {
            return new Reply(text, new byte[0], false);
        }

        Reply closing() {
            return new Reply(text, body, true);
        }
    }

    /** A request as the server saw it: the target and the Range header's value. */
    record Request(int connection, String target, String range) {}

    interface Script {
        Reply answer(Request request);
    }

    private final ServerSocket server;
    private final Script script;
    final AtomicInteger connections = new AtomicInteger();
    final List<Request> requests = new CopyOnWriteArrayList<>();

    ScriptedHttpServer(InetAddress address, Script script) throws IOException {
        this.server = new ServerSocket(0, 50, address);
        this.script = script;
        Thread.ofVirtual().start(this::acceptLoop);
    }

    String url(String path) {
        return "http://" + server.getInetAddress().getHostAddress() + ":" + server.getLocalPort() + path;
    }

    /** A 206 with the bytes the Range header asks of {@code file}, as a correct server sends it. */
    static Reply partial(byte[] file, String range) {
        String[] r = range.substring("bytes=".length()).split("-");
        int first = Integer.parseInt(r[0]);
        int last = Integer.parseInt(r[1]);
        return new Reply("HTTP/1.1 206 Partial Content\r\nContent-Range: bytes " + first + "-" + last + "/" + file.length
                + "\r\nContent-Length: " + (last - first + 1) + "\r\n\r\n",
                java.util.Arrays.copyOfRange(file, first, last + 1), false);
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                int id = connections.incrementAndGet();
                Thread.ofVirtual().start(() -> serve(s, id));
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void serve(Socket s, int id) {
        try (s) {
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
            OutputStream out = s.getOutputStream();
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                String range = null;
                for (String h = in.readLine(); h != null && !h.isEmpty(); h = in.readLine()) {
                    if (h.toLowerCase(Locale.ROOT).startsWith("range:")) {
                        range = h.substring(6).strip();
                    }
                }
                Request request = new Request(id, line.split(" ")[1], range);
                requests.add(request);
                Reply reply = script.answer(request);
                out.write(reply.text().getBytes(StandardCharsets.ISO_8859_1));
                out.write(reply.body());
                out.flush();
                if (reply.close()) {
                    return;
                }
            }
        } catch (IOException e) {
            // the client went away
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
