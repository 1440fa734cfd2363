package org.hypertube.torrent;

import java.util.LinkedHashMap;
import java.util.Map;
import org.hypertube.torrent.peer.ExtensionHandshake;
import org.hypertube.torrent.peer.PeerProtocolException;

/**
 * The BEP 10 extensions a torrent speaks, each under the message id we give it: the handshake we
 * send is built from here and incoming messages are dispatched by id, so no id is hard-coded in the
 * session. Guarded by the session's lock.
 */
final class Extensions {
    private final Map<Integer, Extension> byOurId = new LinkedHashMap<>();

    /** Registers {@code e} under our message id {@code id} (1..255). */
    void register(int id, Extension e) {
        if (id <= 0 || id > 255 || byOurId.containsKey(id)) {
            throw new IllegalArgumentException("extension id " + id + " is taken or out of range");
        }
        byOurId.put(id, e);
    }

    /** The {@code m} dictionary of our handshake. */
    Map<String, Integer> ourIds() {
        Map<String, Integer> m = new LinkedHashMap<>();
        byOurId.forEach((id, e) -> {
            if (e.enabled()) {
                m.put(e.name(), id);
            }
        });
        return m;
    }

    void onHandshake(ExtensionPeer p, ExtensionHandshake theirs) throws PeerProtocolException {
        for (Extension e : byOurId.values()) {
            if (e.enabled()) {
                e.onHandshake(p, theirs);
            }
        }
    }

    /** A message to our id {@code id}; ids we never gave out are ignored, as BEP 10 asks. */
    void onMessage(ExtensionPeer p, int id, byte[] payload) throws PeerProtocolException {
        Extension e = byOurId.get(id);
        if (e != null && e.enabled()) {
            e.onMessage(p, payload);
        }
    }

    void onClosed(ExtensionPeer p) {
        byOurId.values().forEach(e -> e.onClosed(p));
    }

    void tick(long now) {
        for (Extension e : byOurId.values()) {
            if (e.enabled()) {
                e.tick(now);
            }
        }
    }
}
