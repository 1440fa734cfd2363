package org.hypertube.torrent.peer;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.hypertube.torrent.bencode.BValue;
import org.hypertube.torrent.bencode.Bencode;
import org.hypertube.torrent.bencode.BencodeException;

/**
 * The BEP 10 extension handshake: which extensions a peer speaks under which message id
 * ({@code m}), and optional {@code metadata_size} (BEP 9), {@code v}, {@code reqq}, {@code p}.
 */
public record ExtensionHandshake(Map<String, Integer> extensions, OptionalInt metadataSize, Optional<String> client,
        OptionalInt requestQueue, OptionalInt listenPort) {
    public static final String UT_METADATA = "ut_metadata";
    /** BEP 9 metadata bigger than this is refused (anacrolix 16 MiB, libtorrent 30 MiB). */
    public static final int MAX_METADATA_SIZE = 16 << 20;
    private static final Bencode.Limits LIMITS = new Bencode.Limits(8, 4096, 1000);

    public ExtensionHandshake {
        extensions = Map.copyOf(extensions);
    }

    public byte[] encode() {
        Map<String, Object> m = new LinkedHashMap<>(extensions);
        List<Object> kv = new java.util.ArrayList<>();
        kv.add("m");
        kv.add(Bencode.dict(m.entrySet().stream().flatMap(e -> java.util.stream.Stream.of(e.getKey(), e.getValue())).toArray()));
        metadataSize.ifPresent(s -> { kv.add("metadata_size"); kv.add(s); });
        listenPort.ifPresent(p -> { kv.add("p"); kv.add(p); });
        requestQueue.ifPresent(q -> { kv.add("reqq"); kv.add(q); });
        client.ifPresent(c -> { kv.add("v"); kv.add(c); });
        return Bencode.encode(Bencode.dict(kv.toArray()));
    }

    public static ExtensionHandshake decode(byte[] payload) throws PeerProtocolException {
        BValue v;
        try {
            v = Bencode.decode(payload, LIMITS);
        } catch (BencodeException e) {
            throw new PeerProtocolException("extension handshake is not valid bencoding: " + e.getMessage());
        }
        if (!(v instanceof BValue.BDict d)) {
            throw new PeerProtocolException("extension handshake is not a dictionary");
        }
        Map<String, Integer> ext = new LinkedHashMap<>();
        if (d.get("m").orElse(null) instanceof BValue.BDict m) {
            for (var e : m.entries().entrySet()) {
                // id 0 means "disabled"; ids are one byte on the wire.
                if (e.getValue() instanceof BValue.BInt(long id) && id > 0 && id < 256) {
                    ext.put(e.getKey(), (int) id);
                }
            }
        }
        OptionalInt metadataSize = OptionalInt.empty();
        if (d.get("metadata_size").orElse(null) instanceof BValue.BInt(long size)) {
            if (size <= 0 || size > MAX_METADATA_SIZE) {
                throw new PeerProtocolException("metadata_size " + size + " is outside 1.." + MAX_METADATA_SIZE);
            }
            metadataSize = OptionalInt.of((int) size);
        }
        Optional<String> client = d.get("v").filter(x -> x instanceof BValue.BBytes).map(x -> ((BValue.BBytes) x).utf8());
        OptionalInt reqq = intIn(d, "reqq", 1, 100_000);
        OptionalInt port = intIn(d, "p", 1, 65535);
        return new ExtensionHandshake(ext, metadataSize, client, reqq, port);
    }

    private static OptionalInt intIn(BValue.BDict d, String key, int min, int max) {
        if (d.get(key).orElse(null) instanceof BValue.BInt(long n) && n >= min && n <= max) {
            return OptionalInt.of((int) n);
        }
        return OptionalInt.empty();
    }
}
