package org.hypertube.torrent.dht;

/** A KRPC packet that is not a well-formed, bounded message; the packet is ignored (or answered 203). */
public final class KrpcException extends Exception {
    public KrpcException(String message) {
        super(message);
    }
}
