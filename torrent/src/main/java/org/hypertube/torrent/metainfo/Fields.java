package org.hypertube.torrent.metainfo;

import java.util.List;
import java.util.Optional;
import org.hypertube.torrent.bencode.BValue;

/** Typed access to a dictionary's fields with errors that name the field. */
final class Fields {
    private final BValue.BDict dict;
    private final String where;

    Fields(BValue.BDict dict, String where) {
        this.dict = dict;
        this.where = where;
    }

    private BValue required(String key) {
        return dict.get(key).orElseThrow(() -> new MetainfoException(where + "." + key + " is missing"));
    }

    long integer(String key) {
        if (required(key) instanceof BValue.BInt(long v)) {
            return v;
        }
        throw new MetainfoException(where + "." + key + " is not an integer");
    }

    Optional<Long> optionalInteger(String key) {
        return dict.has(key) ? Optional.of(integer(key)) : Optional.empty();
    }

    byte[] bytes(String key) {
        if (required(key) instanceof BValue.BBytes b) {
            return b.unsafeBytes();
        }
        throw new MetainfoException(where + "." + key + " is not a string");
    }

    String text(String key) {
        return new String(bytes(key), java.nio.charset.StandardCharsets.UTF_8);
    }

    Optional<String> optionalText(String key) {
        return dict.get(key).filter(v -> v instanceof BValue.BBytes).map(v -> ((BValue.BBytes) v).utf8());
    }

    List<BValue> list(String key) {
        if (required(key) instanceof BValue.BList(List<BValue> values)) {
            return values;
        }
        throw new MetainfoException(where + "." + key + " is not a list");
    }
}
