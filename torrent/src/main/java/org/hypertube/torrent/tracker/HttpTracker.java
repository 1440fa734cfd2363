package org.hypertube.torrent.tracker;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.HttpURLConnection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.hypertube.torrent.InfoHash;

/** HTTP(S) tracker (BEP 3, compact BEP 23). Replies are read up to {@link TrackerReplies#MAX_REPLY} bytes. */
public final class HttpTracker implements Tracker {
    private final String url;
    private final Duration timeout;
    private volatile String trackerId;

    HttpTracker(String url, Duration timeout) {
        this.url = url;
        this.timeout = timeout;
    }

    @Override
    public String url() {
        return url;
    }

    @Override
    public AnnounceResponse announce(AnnounceRequest r) throws TrackerException, InterruptedException {
        StringBuilder q = new StringBuilder(url).append(url.contains("?") ? '&' : '?')
                .append("info_hash=").append(percent(r.infoHash().bytes()))
                .append("&peer_id=").append(percent(r.peerId()))
                .append("&port=").append(r.port())
                .append("&uploaded=").append(r.uploaded())
                .append("&downloaded=").append(r.downloaded())
                .append("&left=").append(r.left())
                .append("&compact=1&numwant=").append(r.numWant())
                .append("&key=").append(Integer.toHexString(r.key()));
        if (r.event().httpName != null) {
            q.append("&event=").append(r.event().httpName);
        }
        String id = trackerId;
        if (id != null) {
            q.append("&trackerid=").append(percent(id.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        }
        AnnounceResponse resp = TrackerReplies.parseAnnounce(get(q.toString()));
        resp.trackerId().ifPresent(t -> trackerId = t);
        return resp;
    }

    @Override
    public Map<InfoHash, ScrapeResult> scrape(List<InfoHash> hashes) throws TrackerException, InterruptedException {
        int slash = url.lastIndexOf('/');
        if (slash < 0 || !url.startsWith("announce", slash + 1)) {
            throw new TrackerException("tracker does not support scrape (URL does not end in /announce): " + url);
        }
        StringBuilder q = new StringBuilder(url.substring(0, slash + 1)).append("scrape").append(url.substring(slash + 9));
        char sep = q.indexOf("?") >= 0 ? '&' : '?';
        for (InfoHash h : hashes) {
            q.append(sep).append("info_hash=").append(percent(h.bytes()));
            sep = '&';
        }
        return TrackerReplies.parseScrape(get(q.toString()));
    }

    private byte[] get(String uri) throws TrackerException, InterruptedException {
        // HttpURLConnection rather than java.net.http: a few announces do not justify loading (and
        // JIT-compiling) the asynchronous client in every process.
        HttpURLConnection c = null;
        try {
            c = (HttpURLConnection) URI.create(uri).toURL().openConnection();
            int ms = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
            c.setConnectTimeout(ms);
            c.setReadTimeout(ms);
            c.setInstanceFollowRedirects(true);
            c.setRequestProperty("User-Agent", "Hypertube/0.1");
            int status = c.getResponseCode();
            if (status != 200) {
                throw new TrackerException("tracker answered HTTP " + status + ": " + url);
            }
            try (InputStream in = c.getInputStream()) {
                return in.readNBytes(TrackerReplies.MAX_REPLY + 1);
            }
        } catch (IOException e) {
            if (e instanceof TrackerException te) {
                throw te;
            }
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            throw new TrackerException("tracker unreachable: " + url + " (" + e + ")", e);
        } catch (IllegalArgumentException e) {
            throw new TrackerException("bad tracker URL: " + url, e);
        } finally {
            if (c != null) {
                c.disconnect();
            }
        }
    }

    static String percent(byte[] bytes) {
        StringBuilder sb = new StringBuilder(bytes.length * 3);
        for (byte b : bytes) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' || c == '~') {
                sb.append((char) c);
            } else {
                sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
            }
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return url;
    }
}
