package org.hypertube.catalog.source;

import java.util.List;

/** Magnet links built from an info-hash, as YTS documents them (PROVIDERS.md 3.5). */
final class Magnets {

    private Magnets() {
    }

    /** {@code magnet:?xt=urn:btih:<hash>&dn=<name>&tr=<tracker>...}, every value percent-encoded. */
    static String of(String infoHash, String name, List<String> trackers) {
        StringBuilder magnet = new StringBuilder("magnet:?xt=urn:btih:").append(infoHash.toLowerCase());
        if (name != null && !name.isBlank()) {
            magnet.append("&dn=").append(SourceUri.encode(name));
        }
        for (String tracker : trackers) {
            magnet.append("&tr=").append(SourceUri.encode(tracker));
        }
        return magnet.toString();
    }
}
