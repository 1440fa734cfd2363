package org.hypertube.torrent.peer;

import java.io.DataInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import org.hypertube.torrent.InfoHash;

/** The 68-byte BEP 3 handshake: protocol string, 8 reserved bytes (feature bits), info-hash, peer id. */
public record Handshake(byte[] reserved, InfoHash infoHash, byte[] peerId) {
    public static final int LENGTH = 68;
    private static final byte[] PROTOCOL = "BitTorrent protocol".getBytes(StandardCharsets.US_ASCII);

    public Handshake {
        if (reserved.length != 8 || peerId.length != 20) {
            throw new IllegalArgumentException("reserved must be 8 bytes and peer id 20");
        }
        reserved = reserved.clone();
        peerId = peerId.clone();
    }

    /** Our reserved bits: extension protocol (BEP 10) and fast extension (BEP 6). */
    public static byte[] ourReserved() {
        byte[] r = new byte[8];
        r[5] |= 0x10;
        r[7] |= 0x04;
        return r;
    }

    /** The same, with BEP 5's DHT bit (byte 7, 0x01) when {@code dht}: we take and send {@code PORT} messages. */
    public static byte[] ourReserved(boolean dht) {
        byte[] r = ourReserved();
        if (dht) {
            r[7] |= 0x01;
        }
        return r;
    }

    /** BEP 5: the peer runs a DHT node and sends or takes {@code PORT} messages. */
    public boolean supportsDht() {
        return (reserved[7] & 0x01) != 0;
    }

    public boolean supportsExtensions() {
        return (reserved[5] & 0x10) != 0;
    }

    public boolean supportsFast() {
        return (reserved[7] & 0x04) != 0;
    }

    @Override
    public byte[] reserved() {
        return reserved.clone();
    }

    @Override
    public byte[] peerId() {
        return peerId.clone();
    }

    public byte[] encode() {
        byte[] out = new byte[LENGTH];
        out[0] = 19;
        System.arraycopy(PROTOCOL, 0, out, 1, 19);
        System.arraycopy(reserved, 0, out, 20, 8);
        System.arraycopy(infoHash.bytes(), 0, out, 28, 20);
        System.arraycopy(peerId, 0, out, 48, 20);
        return out;
    }

    public static Handshake decode(byte[] b) throws PeerProtocolException {
        if (b.length != LENGTH) {
            throw new PeerProtocolException("handshake must be 68 bytes, got " + b.length);
        }
        if (b[0] != 19 || !Arrays.equals(b, 1, 20, PROTOCOL, 0, 19)) {
            throw new PeerProtocolException("handshake does not start with 'BitTorrent protocol'");
        }
        return new Handshake(Arrays.copyOfRange(b, 20, 28), InfoHash.of(Arrays.copyOfRange(b, 28, 48)),
                Arrays.copyOfRange(b, 48, 68));
    }

    /** Reads the first 48 bytes (up to the info-hash) so an incoming connection can be routed before the id. */
    public static byte[] readFully(DataInputStream in) throws IOException {
        byte[] b = new byte[LENGTH];
        in.readFully(b);
        return b;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Handshake h && Arrays.equals(reserved, h.reserved) && infoHash.equals(h.infoHash)
                && Arrays.equals(peerId, h.peerId);
    }

    @Override
    public int hashCode() {
        return infoHash.hashCode() * 31 + Arrays.hashCode(peerId);
    }

    @Override
    public String toString() {
        return "Handshake[" + infoHash.shortHex() + " peer " + HexFormat.of().formatHex(peerId, 0, 8) + "...]";
    }
}
