package org.hypertube.torrent.tracker;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.hypertube.torrent.bencode.BValue;
import org.hypertube.torrent.bencode.Bencode;
import org.hypertube.torrent.bencode.BencodeException;
import org.hypertube.torrent.InfoHash;

/** Parses HTTP tracker replies (bencoded). Bounded: a reply can name at most {@link #MAX_PEERS} peers. */
public final class TrackerReplies {
    public static final int MAX_REPLY = 2 << 20;
    public static final int MAX_PEERS = 10_000;
    private static final Bencode.Limits LIMITS = new Bencode.Limits(8, MAX_REPLY, 200_000);

    private TrackerReplies() {}

    public static AnnounceResponse parseAnnounce(byte[] body) throws TrackerException {
        BValue.BDict d = dict(body);
        if (d.get("failure reason").orElse(null) instanceof BValue.BBytes reason) {
            throw new TrackerException("tracker failure: " + reason.utf8());
        }
        long interval = d.get("interval").orElse(null) instanceof BValue.BInt(long i) ? i : -1;
        if (interval < 0) {
            throw new TrackerException("tracker reply has no valid 'interval'");
        }
        List<InetSocketAddress> peers = new ArrayList<>();
        switch (d.get("peers").orElse(null)) {
            case BValue.BBytes b -> peers.addAll(compact(b.unsafeBytes(), 4));
            case BValue.BList(List<BValue> list) -> {
                if (list.size() > MAX_PEERS) {
                    throw new TrackerException("tracker reply lists " + list.size() + " peers, more than " + MAX_PEERS);
                }
                for (BValue p : list) {
                    if (p instanceof BValue.BDict pd && pd.get("ip").orElse(null) instanceof BValue.BBytes ip
                            && pd.get("port").orElse(null) instanceof BValue.BInt(long port) && port > 0 && port < 65536) {
                        try {
                            // Literal addresses only: a tracker must not make us resolve names.
                            String host = ip.utf8();
                            if (host.matches("[0-9.]+|[0-9a-fA-F:.]+")) {
                                peers.add(new InetSocketAddress(InetAddress.ofLiteral(host), (int) port));
                            }
                        } catch (IllegalArgumentException e) {
                            // skip unparseable entries; the others are still useful
                        }
                    }
                }
            }
            case null -> { }
            default -> throw new TrackerException("tracker reply 'peers' is neither a string nor a list");
        }
        if (d.get("peers6").orElse(null) instanceof BValue.BBytes b6) {
            peers.addAll(compact(b6.unsafeBytes(), 16));
        }
        return new AnnounceResponse((int) Math.min(interval, Integer.MAX_VALUE), optInt(d, "min interval"),
                d.get("tracker id").filter(v -> v instanceof BValue.BBytes).map(v -> ((BValue.BBytes) v).utf8()),
                optInt(d, "complete"), optInt(d, "incomplete"), peers,
                d.get("warning message").filter(v -> v instanceof BValue.BBytes).map(v -> ((BValue.BBytes) v).utf8()));
    }

    public static Map<InfoHash, ScrapeResult> parseScrape(byte[] body) throws TrackerException {
        BValue.BDict d = dict(body);
        if (d.get("failure reason").orElse(null) instanceof BValue.BBytes reason) {
            throw new TrackerException("tracker failure: " + reason.utf8());
        }
        if (!(d.get("files").orElse(null) instanceof BValue.BDict files)) {
            throw new TrackerException("scrape reply has no 'files' dictionary");
        }
        Map<InfoHash, ScrapeResult> out = new java.util.LinkedHashMap<>();
        for (var e : files.entries().entrySet()) {
            byte[] key = e.getKey().getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
            if (key.length == 20 && e.getValue() instanceof BValue.BDict f) {
                out.put(InfoHash.of(key), new ScrapeResult(optInt(f, "complete").orElse(0), optInt(f, "downloaded").orElse(0),
                        optInt(f, "incomplete").orElse(0)));
            }
        }
        return out;
    }

    /** Compact peers: 4 (IPv4) or 16 (IPv6) address bytes then a 2-byte port, big-endian (BEP 23, BEP 7). */
    public static List<InetSocketAddress> compact(byte[] b, int addressLength) throws TrackerException {
        int entry = addressLength + 2;
        if (b.length % entry != 0) {
            throw new TrackerException("compact peer list of " + b.length + " bytes is not a multiple of " + entry);
        }
        if (b.length / entry > MAX_PEERS) {
            throw new TrackerException("tracker reply lists " + b.length / entry + " peers, more than " + MAX_PEERS);
        }
        List<InetSocketAddress> out = new ArrayList<>(b.length / entry);
        for (int i = 0; i < b.length; i += entry) {
            int port = ((b[i + addressLength] & 0xff) << 8) | (b[i + addressLength + 1] & 0xff);
            if (port == 0) {
                continue;
            }
            try {
                out.add(new InetSocketAddress(InetAddress.getByAddress(Arrays.copyOfRange(b, i, i + addressLength)), port));
            } catch (UnknownHostException e) {
                throw new AssertionError(e);
            }
        }
        return out;
    }

    private static BValue.BDict dict(byte[] body) throws TrackerException {
        if (body.length > MAX_REPLY) {
            throw new TrackerException("tracker reply of " + body.length + " bytes exceeds " + MAX_REPLY);
        }
        try {
            if (Bencode.decode(body, LIMITS) instanceof BValue.BDict d) {
                return d;
            }
            throw new TrackerException("tracker reply is not a dictionary");
        } catch (BencodeException e) {
            throw new TrackerException("tracker reply is not valid bencoding: " + e.getMessage());
        }
    }

    private static OptionalInt optInt(BValue.BDict d, String key) {
        if (d.get(key).orElse(null) instanceof BValue.BInt(long v) && v >= 0 && v <= Integer.MAX_VALUE) {
            return OptionalInt.of((int) v);
        }
        return OptionalInt.empty();
    }

    static Optional<String> text(BValue.BDict d, String key) {
        return d.get(key).filter(v -> v instanceof BValue.BBytes).map(v -> ((BValue.BBytes) v).utf8());
    }
}
