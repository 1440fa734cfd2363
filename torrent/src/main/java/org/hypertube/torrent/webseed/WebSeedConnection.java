package org.hypertube.torrent.webseed;

import java.io.Closeable;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import javax.net.ssl.SSLSocketFactory;
import org.hypertube.torrent.OutsideAddressPolicy;
import org.hypertube.torrent.TorrentInfo;
import org.hypertube.torrent.webseed.RangeResponse.Filled;
import org.hypertube.torrent.webseed.RangeResponse.Redirect;
import org.hypertube.torrent.webseed.WebSeedException.Kind;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One keep-alive HTTP/1.1 connection to a web seed, fetching spans of the torrent: one {@code Range}
 * request per file slice, pad files filled with zeros, redirects followed per file (at most 5 hops,
 * http and https only, every new host checked against the {@link OutsideAddressPolicy}). When the
 * server closed the connection meanwhile, or the next request goes to another host, it reconnects.
 * A redirect is remembered for its file while this object lives, so that each later request for it
 * goes straight to the node serving it (otherwise an Internet Archive download would connect to
 * archive.org and then to the node for every request); it is forgotten when the redirected URL fails,
 * and never outlives the connection, so a 302 is never taken as permanent. Fetches are confined to
 * one thread; {@link #close()} may come from another.
 */
public final class WebSeedConnection implements Closeable {
    public static final String USER_AGENT = "Hypertube/0.1";
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    static final int MAX_REDIRECTS = 5;
    private static final Logger log = LoggerFactory.getLogger(WebSeedConnection.class);

    private final WebSeedUrls urls;
    private final TorrentInfo info;
    private final OutsideAddressPolicy policy;
    private final SSLSocketFactory tls;
    private final Duration timeout;
    private final Clock clock;
    private final Map<Integer, URI> redirected = new HashMap<>();
    private volatile HttpSocket socket;
    private volatile boolean closed;
    private int connectionsOpened;

    /** A connection with the JDK's default trust store, a 30 s time-out and the system clock. */
    public WebSeedConnection(WebSeedUrls urls, OutsideAddressPolicy policy) {
        this(urls, policy, (SSLSocketFactory) SSLSocketFactory.getDefault(), DEFAULT_TIMEOUT, Clock.systemUTC());
    }

    /**
     * @param timeout for connecting and for each read
     * @param clock   turns a {@code Retry-After} date into a delay
     */
    public WebSeedConnection(WebSeedUrls urls, OutsideAddressPolicy policy, SSLSocketFactory tls, Duration timeout,
            Clock clock) {
        this.urls = urls;
        this.info = urls.info();
        this.policy = policy;
        this.tls = tls;
        this.timeout = timeout;
        this.clock = clock;
    }

    /**
     * Fills {@code dst} from its position to its limit with the torrent's bytes from {@code offset}
     * (one piece, or several consecutive pieces), then moves its position to the limit. The bytes are
     * not verified: hash them as any peer's. On failure the buffer's content is undefined.
     */
    public void fetch(long offset, ByteBuffer dst) throws WebSeedException {
        int base = dst.position();
        for (FileSlice slice : FileSlice.plan(info, offset, dst.remaining())) {
            ByteBuffer target = dst.slice(base + slice.bufferOffset(), slice.length());
            if (slice.pad()) {
                while (target.hasRemaining()) {
                    target.put((byte) 0);
                }
            } else {
                fetchSlice(slice, target);
            }
        }
        dst.position(dst.limit());
    }

    private void fetchSlice(FileSlice slice, ByteBuffer target) throws WebSeedException {
        int file = slice.fileIndex();
        URI url = redirected.getOrDefault(file, urls.fileUrl(file));
        try {
            for (int hop = 0; ; hop++) {
                RangeResponse.Outcome outcome = exchange(url, slice, target.duplicate());
                if (!outcome.keepAlive()) {
                    closeSocket();
                }
                if (outcome instanceof Filled) {
                    if (hop > 0) {
                        redirected.put(file, url);
                    }
                    return;
                }
                if (hop == MAX_REDIRECTS) {
                    throw new WebSeedException(Kind.BAD_URL, "more than " + MAX_REDIRECTS + " redirects");
                }
                URI next = WebSeedUrls.resolveRedirect(url, ((Redirect) outcome).location());
                log.debug("web seed {}: file {} redirected to {}", urls.seedUrl(), file, next);
                url = next;
            }
        } catch (WebSeedException e) {
            closeSocket();
            redirected.remove(file);
            throw e.at(file, url.toString());
        }
    }

    /** One request and its response on the current connection, opened or renewed as needed. */
    private RangeResponse.Outcome exchange(URI url, FileSlice slice, ByteBuffer target) throws WebSeedException {
        HttpSocket.Endpoint endpoint = HttpSocket.Endpoint.of(url);
        HttpSocket s = socket;
        if (s != null && !s.endpoint().equals(endpoint)) {
            closeSocket();
            s = null;
        }
        boolean fresh = s == null;
        if (fresh) {
            s = openSocket(endpoint);
        }
        if (!send(s, url, slice) || !fresh && !s.answering()) {
            if (fresh) {
                throw new WebSeedException(Kind.IO, "cannot send the request to " + endpoint.host());
            }
            // The server closed the idle connection (its keep-alive time-out): once more on a new one.
            closeSocket();
            s = openSocket(endpoint);
            if (!send(s, url, slice)) {
                throw new WebSeedException(Kind.IO, "cannot send the request to " + endpoint.host());
            }
        }
        long fileLength = info.files().get(slice.fileIndex()).length();
        return RangeResponse.read(s.in(), slice, fileLength, target, clock);
    }

    private static boolean send(HttpSocket s, URI url, FileSlice slice) {
        try {
            s.sendRange(url, slice.range());
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private HttpSocket openSocket(HttpSocket.Endpoint endpoint) throws WebSeedException {
        if (closed) {
            throw new WebSeedException(Kind.IO, "the web seed connection was closed");
        }
        HttpSocket s = HttpSocket.open(endpoint, policy, tls, timeout);
        connectionsOpened++;
        socket = s;
        if (closed) {
            s.close();
        }
        return s;
    }

    private void closeSocket() {
        HttpSocket s = socket;
        socket = null;
        if (s != null) {
            s.close();
        }
    }

    /** How many TCP connections this object has opened so far (keep-alive makes it small). */
    int connectionsOpened() {
        return connectionsOpened;
    }

    /** Ends the connection; from another thread, this aborts a fetch in progress (it fails with {@code IO}). */
    @Override
    public void close() {
        closed = true;
        HttpSocket s = socket;
        if (s != null) {
            s.close();
        }
    }

    @Override
    public String toString() {
        return "WebSeedConnection[" + urls.seedUrl() + "]";
    }
}
