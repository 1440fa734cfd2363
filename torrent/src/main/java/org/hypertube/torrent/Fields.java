package org.hypertube.torrent;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.hypertube.torrent.bencode.BValue;

/**
 * Typed look-ups in a dictionary as libtorrent makes them: a value of the wrong type counts as
 * absent, so an odd optional field never costs a torrent; required fields are checked by the caller.
 */
record Fields(BValue.BDict dict) {

    Optional<Long> integer(String key) {
        return dict.get(key).filter(v -> v instanceof BValue.BInt).map(v -> ((BValue.BInt) v).value());
    }

    Optional<byte[]> bytes(String key) {
        return dict.get(key).filter(v -> v instanceof BValue.BBytes).map(v -> ((BValue.BBytes) v).unsafeBytes());
    }

    Optional<String> text(String key) {
        return bytes(key).map(b -> new String(b, StandardCharsets.UTF_8));
    }

    Optional<List<BValue>> list(String key) {
        return dict.get(key).filter(v -> v instanceof BValue.BList).map(v -> ((BValue.BList) v).values());
    }

    Optional<BValue.BDict> dictionary(String key) {
        return dict.get(key).filter(v -> v instanceof BValue.BDict).map(v -> (BValue.BDict) v);
    }
}
