package org.hypertube.torrent.tracker;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import org.hypertube.torrent.bencode.BValue;
import org.hypertube.torrent.bencode.Bencode;
import org.hypertube.torrent.InfoHash;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small open tracker: HTTP {@code /announce} and {@code /scrape} plus BEP 15 UDP on the same port
 * number. Peers expire after two intervals without an announce. Meant for self-hosting and tests;
 * it keeps everything in memory.
 */
public final class TrackerServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TrackerServer.class);
    private static final int MAX_NUMWANT = 200;
    /** libtorrent's default min_announce_interval. */
    private static final int MIN_CLIENT_INTERVAL = 300;

    private record PeerEntry(InetSocketAddress address, boolean seed, Instant seen) {}

    private final Map<InfoHash, Map<InetSocketAddress, PeerEntry>> swarms = new ConcurrentHashMap<>();
    private final Map<InfoHash, Integer> completed = new ConcurrentHashMap<>();
    private final Map<Long, Instant> connectionIds = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private final Clock clock;
    private final int intervalSeconds;
    private final HttpServer http;
    private final DatagramSocket udp;
    private final Thread udpThread;

    private TrackerServer(InetAddress bind, int port, int intervalSeconds, Clock clock) throws IOException {
        this.clock = clock;
        this.intervalSeconds = intervalSeconds;
        HttpServer h = null;
        DatagramSocket u = null;
        IOException last = null;
        // With port 0 the HTTP port is chosen first and UDP must get the same number; retry on a clash.
        for (int attempt = 0; attempt < 20 && u == null; attempt++) {
            h = HttpServer.create(new InetSocketAddress(bind, port), 64);
            try {
                u = new DatagramSocket(new InetSocketAddress(bind, h.getAddress().getPort()));
            } catch (SocketException e) {
                last = e;
                h.stop(0);
                if (port != 0) {
                    break;
                }
            }
        }
        if (u == null) {
            throw new IOException("cannot bind UDP on the tracker's port", last);
        }
        this.http = h;
        this.udp = u;
        http.createContext("/announce", this::httpAnnounce);
        http.createContext("/scrape", this::httpScrape);
        http.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        http.start();
        udpThread = Thread.ofVirtual().name("tracker-udp").start(this::udpLoop);
        log.info("tracker listening on {} (HTTP /announce, /scrape and UDP)", http.getAddress());
    }

    public static TrackerServer start(InetAddress bind, int port, Duration interval, Clock clock) throws IOException {
        return new TrackerServer(bind, port, (int) Math.max(1, interval.toSeconds()), clock);
    }

    public int port() {
        return http.getAddress().getPort();
    }

    public String announceUrl() {
        return "http://" + hostForUrl() + ":" + port() + "/announce";
    }

    public String udpAnnounceUrl() {
        return "udp://" + hostForUrl() + ":" + port() + "/announce";
    }

    private String hostForUrl() {
        InetAddress a = http.getAddress().getAddress();
        if (a.isAnyLocalAddress()) {
            return "127.0.0.1";
        }
        String h = a.getHostAddress();
        return h.contains(":") ? "[" + h + "]" : h;
    }

    /** Peers known for a torrent (for tests and the CLI's status). */
    public List<InetSocketAddress> peers(InfoHash hash) {
        return List.copyOf(swarms.getOrDefault(hash, Map.of()).keySet());
    }

    private synchronized List<InetSocketAddress> record(InfoHash hash, InetSocketAddress peer, long left, String event, int numWant) {
        Instant now = clock.instant();
        Map<InetSocketAddress, PeerEntry> swarm = swarms.computeIfAbsent(hash, k -> new LinkedHashMap<>());
        // Clients re-announce on their own schedule too (libtorrent waits at least 5 minutes whatever
        // the interval), so a peer is forgotten only after two of the longer of the two intervals.
        long expiry = 2L * Math.max(intervalSeconds, MIN_CLIENT_INTERVAL) + 30;
        swarm.values().removeIf(p -> p.seen().isBefore(now.minusSeconds(expiry)));
        if ("stopped".equals(event)) {
            swarm.remove(peer);
        } else {
            swarm.put(peer, new PeerEntry(peer, left == 0, now));
        }
        if ("completed".equals(event)) {
            completed.merge(hash, 1, Integer::sum);
        }
        List<InetSocketAddress> others = new ArrayList<>();
        for (PeerEntry p : swarm.values()) {
            // Seeds are given seeds too: a magnet client without metadata announces left=0 (aria2),
            // and cannot be told apart from a seed.
            if (!p.address().equals(peer)) {
                others.add(p.address());
            }
        }
        Collections.shuffle(others, random);
        return others.subList(0, Math.min(others.size(), Math.max(0, Math.min(numWant, MAX_NUMWANT))));
    }

    private synchronized ScrapeResult counts(InfoHash hash) {
        Map<InetSocketAddress, PeerEntry> swarm = swarms.getOrDefault(hash, Map.of());
        int seeds = (int) swarm.values().stream().filter(PeerEntry::seed).count();
        return new ScrapeResult(seeds, completed.getOrDefault(hash, 0), swarm.size() - seeds);
    }

    // ---- HTTP ----

    private void httpAnnounce(HttpExchange ex) throws IOException {
        try (ex) {
            Map<String, List<byte[]>> q = query(ex.getRequestURI().getRawQuery());
            byte[] hash = first(q, "info_hash");
            byte[] portText = first(q, "port");
            if (hash == null || hash.length != 20 || portText == null) {
                reply(ex, Bencode.dict("failure reason", "announce needs info_hash (20 bytes) and port"));
                return;
            }
            int port;
            long left;
            int numWant;
            try {
                port = Integer.parseInt(new String(portText, StandardCharsets.US_ASCII));
                left = Long.parseLong(text(q, "left", "0"));
                numWant = Integer.parseInt(text(q, "numwant", "50"));
            } catch (NumberFormatException e) {
                reply(ex, Bencode.dict("failure reason", "port, left and numwant must be numbers"));
                return;
            }
            if (port < 1 || port > 65535) {
                reply(ex, Bencode.dict("failure reason", "port out of range"));
                return;
            }
            InfoHash ih = InfoHash.of(hash);
            InetSocketAddress peer = new InetSocketAddress(ex.getRemoteAddress().getAddress(), port);
            List<InetSocketAddress> peers = record(ih, peer, left, text(q, "event", ""), numWant);
            ScrapeResult c = counts(ih);
            boolean compact = !"0".equals(text(q, "compact", "1"));
            ByteArrayOutputStream v4 = new ByteArrayOutputStream();
            ByteArrayOutputStream v6 = new ByteArrayOutputStream();
            List<BValue> dictPeers = new ArrayList<>();
            for (InetSocketAddress p : peers) {
                if (compact) {
                    byte[] a = p.getAddress().getAddress();
                    ByteArrayOutputStream out = a.length == 4 ? v4 : v6;
                    out.writeBytes(a);
                    out.write(p.getPort() >> 8);
                    out.write(p.getPort() & 0xff);
                } else {
                    dictPeers.add(Bencode.dict("ip", p.getAddress().getHostAddress(), "port", p.getPort()));
                }
            }
            reply(ex, Bencode.dict("complete", c.seeders(), "incomplete", c.leechers(), "interval", intervalSeconds,
                    "min interval", Math.max(1, intervalSeconds / 2),
                    "peers", compact ? Bencode.bytes(v4.toByteArray()) : Bencode.list(dictPeers),
                    "peers6", compact && v6.size() > 0 ? v6.toByteArray() : null));
        } catch (RuntimeException e) {
            log.warn("tracker: bad announce from {}: {}", ex.getRemoteAddress(), e.toString());
        }
    }

    private void httpScrape(HttpExchange ex) throws IOException {
        try (ex) {
            Map<String, List<byte[]>> q = query(ex.getRequestURI().getRawQuery());
            List<byte[]> hashes = q.getOrDefault("info_hash", List.of());
            Iterable<InfoHash> which = hashes.isEmpty() ? List.copyOf(swarms.keySet())
                    : hashes.stream().filter(h -> h.length == 20).map(InfoHash::of).toList();
            List<Object> kv = new ArrayList<>();
            for (InfoHash h : which) {
                ScrapeResult c = counts(h);
                kv.add(new String(h.bytes(), StandardCharsets.ISO_8859_1));
                kv.add(Bencode.dict("complete", c.seeders(), "downloaded", c.completed(), "incomplete", c.leechers()));
            }
            Map<String, BValue> m = new LinkedHashMap<>();
            for (int i = 0; i < kv.size(); i += 2) {
                m.put((String) kv.get(i), (BValue) kv.get(i + 1));
            }
            reply(ex, Bencode.dict("files", new BValue.BDict(m)));
        }
    }

    private static void reply(HttpExchange ex, BValue body) throws IOException {
        byte[] b = Bencode.encode(body);
        ex.getResponseHeaders().set("Content-Type", "text/plain");
        ex.sendResponseHeaders(200, b.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(b);
        }
    }

    /** Query strings percent-decoded to raw bytes (info_hash and peer_id are binary). */
    static Map<String, List<byte[]>> query(String raw) {
        Map<String, List<byte[]>> out = new LinkedHashMap<>();
        if (raw == null || raw.length() > 8192) {
            return out;
        }
        for (String part : raw.split("&")) {
            int eq = part.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            String key = new String(decode(part.substring(0, eq)), StandardCharsets.UTF_8);
            out.computeIfAbsent(key, k -> new ArrayList<>()).add(decode(part.substring(eq + 1)));
        }
        return out;
    }

    private static byte[] decode(String s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%' && i + 2 < s.length()) {
                int hi = Character.digit(s.charAt(i + 1), 16);
                int lo = Character.digit(s.charAt(i + 2), 16);
                if (hi >= 0 && lo >= 0) {
                    out.write(hi * 16 + lo);
                    i += 2;
                    continue;
                }
            }
            out.write(c == '+' ? ' ' : c);
        }
        return out.toByteArray();
    }

    private static byte[] first(Map<String, List<byte[]>> q, String key) {
        List<byte[]> v = q.get(key);
        return v == null || v.isEmpty() ? null : v.getFirst();
    }

    private static String text(Map<String, List<byte[]>> q, String key, String dflt) {
        byte[] v = first(q, key);
        return v == null ? dflt : new String(v, StandardCharsets.UTF_8);
    }

    // ---- UDP (BEP 15) ----

    private void udpLoop() {
        byte[] buf = new byte[2048];
        while (!udp.isClosed()) {
            try {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                udp.receive(p);
                byte[] reply = udpReply(ByteBuffer.wrap(buf, 0, p.getLength()).slice(),
                        (InetSocketAddress) p.getSocketAddress());
                if (reply != null) {
                    udp.send(new DatagramPacket(reply, reply.length, p.getSocketAddress()));
                }
            } catch (IOException e) {
                if (!udp.isClosed()) {
                    log.warn("tracker: UDP error: {}", e.toString());
                }
            } catch (RuntimeException e) {
                log.warn("tracker: bad UDP packet: {}", e.toString());
            }
        }
    }

    private byte[] udpReply(ByteBuffer in, InetSocketAddress from) {
        if (in.remaining() < 16) {
            return null;
        }
        long cid = in.getLong(0);
        int action = in.getInt(8);
        int tx = in.getInt(12);
        Instant now = clock.instant();
        if (action == 0) {
            if (cid != UdpTracker.PROTOCOL_ID) {
                return null;
            }
            long id = random.nextLong();
            connectionIds.values().removeIf(t -> t.isBefore(now));
            if (connectionIds.size() < 100_000) {
                connectionIds.put(id, now.plusSeconds(120));
            }
            return ByteBuffer.allocate(16).putInt(0).putInt(tx).putLong(id).array();
        }
        Instant valid = connectionIds.get(cid);
        if (valid == null || valid.isBefore(now)) {
            return error(tx, "unknown or expired connection id");
        }
        if (action == 1) {
            if (in.remaining() < 98) {
                return error(tx, "announce packet too short");
            }
            byte[] hash = new byte[20];
            in.get(16, hash);
            long left = in.getLong(64);
            int event = in.getInt(80);
            int numWant = in.getInt(92);
            int port = in.getShort(96) & 0xffff;
            if (port == 0) {
                return error(tx, "port 0");
            }
            InfoHash ih = InfoHash.of(hash);
            String ev = switch (event) {
                case 1 -> "completed";
                case 2 -> "started";
                case 3 -> "stopped";
                default -> "";
            };
            List<InetSocketAddress> peers = record(ih, new InetSocketAddress(from.getAddress(), port), left, ev,
                    numWant < 0 ? 50 : numWant);
            ScrapeResult c = counts(ih);
            int addrLen = from.getAddress().getAddress().length;
            List<InetSocketAddress> same = peers.stream().filter(p -> p.getAddress().getAddress().length == addrLen).toList();
            ByteBuffer out = ByteBuffer.allocate(20 + same.size() * (addrLen + 2));
            out.putInt(1).putInt(tx).putInt(intervalSeconds).putInt(c.leechers()).putInt(c.seeders());
            for (InetSocketAddress p : same) {
                out.put(p.getAddress().getAddress()).putShort((short) p.getPort());
            }
            return out.array();
        }
        if (action == 2) {
            int n = Math.min((in.remaining() - 16) / 20, 74);
            ByteBuffer out = ByteBuffer.allocate(8 + 12 * n).putInt(2).putInt(tx);
            for (int i = 0; i < n; i++) {
                byte[] hash = new byte[20];
                in.get(16 + 20 * i, hash);
                ScrapeResult c = counts(InfoHash.of(hash));
                out.putInt(c.seeders()).putInt(c.completed()).putInt(c.leechers());
            }
            return out.array();
        }
        return error(tx, "unknown action " + action);
    }

    private static byte[] error(int tx, String message) {
        byte[] m = message.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(8 + m.length).putInt(3).putInt(tx).put(m).array();
    }

    @Override
    public void close() {
        http.stop(0);
        udp.close();
        udpThread.interrupt();
    }
}
