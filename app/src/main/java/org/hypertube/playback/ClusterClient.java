package org.hypertube.playback;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Reads from another instance's cluster listener: a film's bytes from an offset on, and its status.
 * The address is the owner's own, from its lease row; every request is signed ({@link ClusterAuth}).
 * Every read has a timeout, so an owner whose host vanished without a reset (power loss, a partition) fails
 * a reader instead of holding it forever, and closing an answer's stream drops its connection at once, from
 * any thread, even while another thread is blocked reading it.
 */
@Component
class ClusterClient {

    private static final int MAX_STATUS = 200;
    private static final int CONNECT_MILLIS = 3_000;
    private static final int STATUS_MILLIS = 3_000;

    private final ClusterAuth auth;
    private final int readMillis;

    @Autowired
    ClusterClient(ClusterAuth auth, LeaseProperties properties) {
        // A live owner that waits for pieces is told from a dead one by its status (RemoteMedia).
        this(auth, properties.lease().dividedBy(3));
    }

    ClusterClient(ClusterAuth auth, Duration readTimeout) {
        this.auth = auth;
        this.readMillis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, readTimeout.toMillis()));
    }

    /**
     * The film's bytes from {@code from} to its end, as the owner reads them (it waits for pieces). A read
     * with no byte for the read timeout throws {@link java.net.SocketTimeoutException}.
     */
    InputStream open(String address, String infoHash, long from) throws IOException {
        HttpURLConnection c = connect(address, ClusterController.MEDIA + infoHash, "bytes=" + from + "-", readMillis);
        try {
            int status = c.getResponseCode();
            if (status != 206) {
                throw new IOException("the owner " + address + " answered " + status + " for " + infoHash);
            }
            return new Answer(c);
        } catch (IOException | RuntimeException e) {
            c.disconnect();
            throw e;
        }
    }

    RemoteMedia.Status status(String address, String infoHash, long from) throws IOException {
        HttpURLConnection c = connect(address, ClusterController.MEDIA + infoHash + "/status?from=" + from, null, STATUS_MILLIS);
        try {
            int status = c.getResponseCode();
            if (status != 200) {
                throw new IOException("the owner " + address + " answered " + status + " for " + infoHash);
            }
            String[] parts;
            try (InputStream body = c.getInputStream()) {
                parts = new String(body.readNBytes(MAX_STATUS), StandardCharsets.US_ASCII).strip().split(" ");
            }
            try {
                return new RemoteMedia.Status(Long.parseLong(parts[0]), Integer.parseInt(parts[1]), Long.parseLong(parts[2]),
                        Double.parseDouble(parts[3]));
            } catch (RuntimeException e) {
                throw new IOException("the owner " + address + " sent an unreadable status");
            }
        } finally {
            c.disconnect();
        }
    }

    /** A signed request to {@code address} (the owner's own, as its lease row says): the MAC covers it and the range. */
    private HttpURLConnection connect(String address, String pathAndQuery, String range, int readTimeoutMillis)
            throws IOException {
        HttpURLConnection c = (HttpURLConnection) URI.create(address + pathAndQuery).toURL().openConnection(Proxy.NO_PROXY);
        c.setConnectTimeout(CONNECT_MILLIS);
        c.setReadTimeout(readTimeoutMillis);
        c.setInstanceFollowRedirects(false);
        c.setUseCaches(false);
        if (range != null) {
            c.setRequestProperty("Range", range);
        }
        c.setRequestProperty(ClusterAuth.HEADER, auth.sign("GET", address, pathAndQuery, range));
        return c;
    }

    /** An answer's body: closing it drops the connection (never drained), which also ends a read blocked in it. */
    private static final class Answer extends FilterInputStream {
        private final HttpURLConnection connection;

        Answer(HttpURLConnection connection) throws IOException {
            super(connection.getInputStream());
            this.connection = connection;
        }

        @Override
        public void close() {
            connection.disconnect();
        }
    }
}
