package org.hypertube.torrent.tracker;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.hypertube.torrent.InfoHash;
import org.hypertube.torrent.OutsideAddressPolicy;
import org.hypertube.torrent.webseed.OutsideHttpGet;
import org.hypertube.torrent.webseed.WebSeedException;

/**
 * HTTP(S) tracker (BEP 3, compact BEP 23). Replies are read up to {@link TrackerReplies#MAX_REPLY} bytes;
 * the tracker's host and every redirect's are connected to only at addresses the {@link OutsideAddressPolicy}
 * allows ({@link OutsideHttpGet}).
 */
public final class HttpTracker implements Tracker {
    private final String url;
    private final Duration timeout;
    private final OutsideAddressPolicy policy;
    private volatile String trackerId;

    HttpTracker(String url, Duration timeout, OutsideAddressPolicy policy) {
        this.url = url;
        this.timeout = timeout;
        this.policy = policy;
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

    private byte[] get(String uri) throws TrackerException {
        try {
            return OutsideHttpGet.get(uri, policy, timeout, TrackerReplies.MAX_REPLY);
        } catch (WebSeedException e) {
            throw switch (e.kind()) {
                case NOT_ALLOWED_ADDRESS -> new TrackerException("tracker refused, an inside address: " + e.getMessage()
                        + " (" + url + "; the operator may allow local addresses)", e);
                case HTTP_STATUS -> new TrackerException("tracker answered HTTP " + e.status() + ": " + url, e);
                case BAD_URL -> new TrackerException("bad tracker URL or redirect: " + url + " (" + e.getMessage() + ")", e);
                default -> new TrackerException("tracker unreachable: " + url + " (" + e.getMessage() + ")", e);
            };
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
