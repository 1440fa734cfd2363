package org.hypertube.torrent.peer;

import java.util.Arrays;

/** Every message after the handshake (BEP 3, BEP 6 fast extension, BEP 10 extended). */
public sealed interface PeerMessage {
    record KeepAlive() implements PeerMessage {}
    record Choke() implements PeerMessage {}
    record Unchoke() implements PeerMessage {}
    record Interested() implements PeerMessage {}
    record NotInterested() implements PeerMessage {}
    record Have(int piece) implements PeerMessage {}

    /** Raw bitfield bytes, high bit first; spare bits at the end must be zero (checked by the session). */
    record Bitfield(byte[] bits) implements PeerMessage {
        @Override
        public boolean equals(Object o) {
            return o instanceof Bitfield b && Arrays.equals(bits, b.bits);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bits);
        }

        @Override
        public String toString() {
            return "Bitfield[" + bits.length + " bytes]";
        }
    }

    record Request(int piece, int begin, int length) implements PeerMessage {}

    /** A block of data; {@code data} is owned by the message once decoded. */
    record Piece(int piece, int begin, byte[] data) implements PeerMessage {
        @Override
        public boolean equals(Object o) {
            return o instanceof Piece p && piece == p.piece && begin == p.begin && Arrays.equals(data, p.data);
        }

        @Override
        public int hashCode() {
            return piece * 31 + begin;
        }

        @Override
        public String toString() {
            return "Piece[" + piece + "@" + begin + " " + data.length + " bytes]";
        }
    }

    record Cancel(int piece, int begin, int length) implements PeerMessage {}
    record Port(int port) implements PeerMessage {}
    record Suggest(int piece) implements PeerMessage {}
    record HaveAll() implements PeerMessage {}
    record HaveNone() implements PeerMessage {}
    record Reject(int piece, int begin, int length) implements PeerMessage {}
    record AllowedFast(int piece) implements PeerMessage {}

    /** BEP 10: id 0 is the extension handshake, others are ids the receiver assigned. */
    record Extended(int id, byte[] payload) implements PeerMessage {
        @Override
        public boolean equals(Object o) {
            return o instanceof Extended e && id == e.id && Arrays.equals(payload, e.payload);
        }

        @Override
        public int hashCode() {
            return id * 31 + Arrays.hashCode(payload);
        }

        @Override
        public String toString() {
            return "Extended[" + id + ", " + payload.length + " bytes]";
        }
    }
}
