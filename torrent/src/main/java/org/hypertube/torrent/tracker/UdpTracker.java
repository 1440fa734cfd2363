package org.hypertube.torrent.tracker;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hypertube.torrent.InfoHash;
import org.hypertube.torrent.OutsideAddressPolicy;

/**
 * UDP tracker (BEP 15). A connection id is reused for one minute. A request without an answer is
 * sent again after 15·2^n seconds, n counting every try of the exchange (connect and announce or
 * scrape alike) from 0 up to 8, so the last wait is 3840 s and the whole exchange gives up after
 * 9 tries (about 2 h 8 min). When the connection id expires during the retries, a new one is
 * asked for first, as the spec requires. {@code timeout} replaces the 15 s base (tests, the
 * application's short scrapes); {@code maxTries} (9 by default) may end the schedule early: a
 * session announcing through {@link TrackerTiers} stops after the first 3 tries, so that one dead
 * tracker does not hold up the others for two hours, and announces again later with its own back-off.
 */
public final class UdpTracker implements Tracker {
    static final long PROTOCOL_ID = 0x41727101980L;
    private static final int CONNECT = 0, ANNOUNCE = 1, SCRAPE = 2, ERROR = 3;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String url;
    private final String host;
    private final int port;
    private final Duration baseTimeout;
    private final Clock clock;
    private final int maxRetries;
    private final OutsideAddressPolicy policy;
    private long connectionId;
    private Instant connectionExpires = Instant.MIN;

    /** BEP 15: n goes from 0 up to 8, i.e. 9 tries. */
    static final int SPEC_TRIES = 9;

    UdpTracker(String url, Duration baseTimeout, Clock clock, OutsideAddressPolicy policy) throws TrackerException {
        this(url, baseTimeout, clock, SPEC_TRIES, policy);
    }

    UdpTracker(String url, Duration baseTimeout, Clock clock, int maxRetries, OutsideAddressPolicy policy)
            throws TrackerException {
        this.url = url;
        this.policy = policy;
        try {
            URI u = URI.create(url);
            this.host = u.getHost();
            this.port = u.getPort();
        } catch (IllegalArgumentException e) {
            throw new TrackerException("bad UDP tracker URL: " + url);
        }
        if (host == null || port <= 0) {
            throw new TrackerException("UDP tracker URL needs host and port: " + url);
        }
        this.baseTimeout = baseTimeout;
        this.clock = clock;
        this.maxRetries = Math.clamp(maxRetries, 1, SPEC_TRIES);
    }

    @Override
    public String url() {
        return url;
    }

    /** The wait before try {@code n} (0-based): base·2^n, as BEP 15's 15·2^n seconds. */
    static Duration retryDelay(Duration base, int n) {
        return base.multipliedBy(1L << Math.min(n, 8));
    }

    @Override
    public synchronized AnnounceResponse announce(AnnounceRequest r) throws TrackerException, InterruptedException {
        try (DatagramSocket socket = new DatagramSocket()) {
            InetSocketAddress to = resolve();
            for (int attempt = 0; attempt < maxRetries; attempt++) {
                if (!connected(socket, to, attempt)) {
                    continue;
                }
                long cid = connectionId;
                int tx = RANDOM.nextInt();
                ByteBuffer b = ByteBuffer.allocate(98);
                b.putLong(cid).putInt(ANNOUNCE).putInt(tx).put(r.infoHash().bytes()).put(r.peerId())
                        .putLong(r.downloaded()).putLong(r.left()).putLong(r.uploaded()).putInt(r.event().udpCode)
                        .putInt(0).putInt(r.key()).putInt(r.numWant()).putShort((short) r.port());
                ByteBuffer reply = exchange(socket, to, b.array(), tx, attempt);
                if (reply == null) {
                    continue;
                }
                int action = reply.getInt(0);
                if (action == ANNOUNCE) {
                    if (reply.remaining() < 20) {
                        throw new TrackerException("UDP announce reply of " + reply.remaining() + " bytes is too short");
                    }
                    int interval = reply.getInt(8);
                    int leechers = reply.getInt(12);
                    int seeders = reply.getInt(16);
                    byte[] peers = Arrays.copyOfRange(reply.array(), 20, reply.limit());
                    // BEP 15: the address family of the reply matches the socket's; IPv6 sockets get 18-byte entries.
                    int addressLength = to.getAddress() instanceof java.net.Inet6Address ? 16 : 4;
                    return new AnnounceResponse(Math.max(interval, 0), java.util.OptionalInt.empty(), java.util.Optional.empty(),
                            java.util.OptionalInt.of(Math.max(seeders, 0)), java.util.OptionalInt.of(Math.max(leechers, 0)),
                            TrackerReplies.compact(peers, addressLength), java.util.Optional.empty());
                }
                throw new TrackerException("UDP tracker sent action " + action + " to an announce");
            }
            throw new TrackerException("UDP tracker did not answer after " + maxRetries + " tries: " + url);
        } catch (IOException e) {
            if (e instanceof TrackerException te) {
                throw te;
            }
            throw new TrackerException("UDP tracker unreachable: " + url + " (" + e + ")", e);
        }
    }

    @Override
    public synchronized Map<InfoHash, ScrapeResult> scrape(List<InfoHash> hashes) throws TrackerException, InterruptedException {
        if (hashes.size() > 74) {
            throw new TrackerException("UDP scrape takes at most 74 info-hashes");
        }
        try (DatagramSocket socket = new DatagramSocket()) {
            InetSocketAddress to = resolve();
            for (int attempt = 0; attempt < maxRetries; attempt++) {
                if (!connected(socket, to, attempt)) {
                    continue;
                }
                long cid = connectionId;
                int tx = RANDOM.nextInt();
                ByteBuffer b = ByteBuffer.allocate(16 + 20 * hashes.size());
                b.putLong(cid).putInt(SCRAPE).putInt(tx);
                hashes.forEach(h -> b.put(h.bytes()));
                ByteBuffer reply = exchange(socket, to, b.array(), tx, attempt);
                if (reply == null) {
                    continue;
                }
                if (reply.getInt(0) != SCRAPE || reply.limit() != 8 + 12 * hashes.size()) {
                    throw new TrackerException("UDP scrape reply has the wrong action or size");
                }
                Map<InfoHash, ScrapeResult> out = new LinkedHashMap<>();
                for (int i = 0; i < hashes.size(); i++) {
                    int at = 8 + 12 * i;
                    out.put(hashes.get(i), new ScrapeResult(reply.getInt(at), reply.getInt(at + 4), reply.getInt(at + 8)));
                }
                return out;
            }
            throw new TrackerException("UDP tracker did not answer after " + maxRetries + " tries: " + url);
        } catch (IOException e) {
            if (e instanceof TrackerException te) {
                throw te;
            }
            throw new TrackerException("UDP tracker unreachable: " + url + " (" + e + ")", e);
        }
    }

    /**
     * The tracker's address, resolved once for the whole exchange (a second lookup could answer
     * otherwise) and refused when the policy does not allow it.
     */
    private InetSocketAddress resolve() throws TrackerException {
        InetSocketAddress to = new InetSocketAddress(host, port);
        if (to.isUnresolved()) {
            throw new TrackerException("cannot resolve UDP tracker host: " + host);
        }
        if (!policy.allows(to.getAddress())) {
            throw new TrackerException("tracker refused, an inside address: " + host + " is "
                    + to.getAddress().getHostAddress() + ", a " + OutsideAddressPolicy.localKind(to.getAddress()).orElse("refused")
                    + " address (" + url + "; the operator may allow local addresses)");
        }
        return to;
    }

    /**
     * Makes sure a connection id younger than a minute is held, asking for one (try {@code attempt}
     * of the schedule) when not; false when the connect request went unanswered.
     */
    private boolean connected(DatagramSocket socket, InetSocketAddress to, int attempt) throws IOException, InterruptedException {
        if (clock.instant().isBefore(connectionExpires)) {
            return true;
        }
        int tx = RANDOM.nextInt();
        byte[] req = ByteBuffer.allocate(16).putLong(PROTOCOL_ID).putInt(CONNECT).putInt(tx).array();
        ByteBuffer reply = exchange(socket, to, req, tx, attempt);
        if (reply == null) {
            return false;
        }
        if (reply.getInt(0) != CONNECT || reply.limit() < 16) {
            throw new TrackerException("UDP tracker sent a bad connect reply");
        }
        connectionId = reply.getLong(8);
        connectionExpires = clock.instant().plusSeconds(60);
        return true;
    }

    /** Sends and waits for the matching reply; null on timeout. Error replies become exceptions. */
    private ByteBuffer exchange(DatagramSocket socket, InetSocketAddress to, byte[] req, int tx, int attempt)
            throws IOException, InterruptedException {
        socket.send(new DatagramPacket(req, req.length, to));
        long deadline = System.nanoTime() + retryDelay(baseTimeout, attempt).toNanos();
        byte[] buf = new byte[8 + 12 * 74 + 16 * 1000];
        while (true) {
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            long leftNanos = deadline - System.nanoTime();
            if (leftNanos <= 0) {
                return null;
            }
            // Rounded up: the retry never goes out before its time.
            socket.setSoTimeout((int) Math.max(1, (leftNanos + 999_999) / 1_000_000));
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                socket.receive(p);
            } catch (SocketTimeoutException e) {
                return null;
            }
            if (p.getLength() < 8) {
                continue;
            }
            ByteBuffer reply = ByteBuffer.wrap(Arrays.copyOf(buf, p.getLength()));
            if (reply.getInt(4) != tx) {
                continue;
            }
            if (reply.getInt(0) == ERROR) {
                // A tracker error invalidates the connection id too.
                connectionExpires = Instant.MIN;
                throw new TrackerException("tracker failure: "
                        + new String(buf, 8, p.getLength() - 8, StandardCharsets.UTF_8));
            }
            return reply;
        }
    }

    @Override
    public String toString() {
        return url;
    }
}
