package org.hypertube.torrent.testing;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A one-answer HTTP stand-in (a tracker, an image host, a redirector) on a loopback address, counting
 * the requests it gets, so a test can tell that a refused URL was never even asked.
 */
public final class StandInHttpServer implements AutoCloseable {
    private final HttpServer server;
    private final AtomicInteger hits = new AtomicInteger();

    private StandInHttpServer(String bind, int status, String header, String value, byte[] body) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getByName(bind), 0), 0);
        server.createContext("/", ex -> {
            hits.incrementAndGet();
            if (header != null) {
                ex.getResponseHeaders().set(header, value);
            }
            ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        server.start();
    }

    /** Answers every request with 200, {@code contentType} (or none) and {@code body}. */
    public static StandInHttpServer serving(String bind, String contentType, byte[] body) throws IOException {
        return new StandInHttpServer(bind, 200, contentType == null ? null : "Content-Type", contentType, body);
    }

    /** Answers every request with a 302 to {@code location}. */
    public static StandInHttpServer redirecting(String bind, String location) throws IOException {
        return new StandInHttpServer(bind, 302, "Location", location, new byte[0]);
    }

    /** {@code http://host:port} + {@code path}, an IPv6 host in brackets. */
    public String url(String path) {
        InetAddress a = server.getAddress().getAddress();
        String host = a instanceof Inet6Address ? "[" + a.getHostAddress() + "]" : a.getHostAddress();
        return "http://" + host + ":" + server.getAddress().getPort() + path;
    }

    /** How many requests arrived. */
    public int hits() {
        return hits.get();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
