package org.hypertube.torrent.dht;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;

/** A KRPC message (BEP 5): a query, a response or an error, each with its transaction id. */
public sealed interface KrpcMessage {
    TransactionId t();

    /** A query ({@code y=q}); {@code sender} is the querying node's id ({@code a.id}). */
    sealed interface Query extends KrpcMessage {
        NodeId sender();
    }

    record Ping(TransactionId t, NodeId sender) implements Query {}

    record FindNode(TransactionId t, NodeId sender, NodeId target) implements Query {}

    record GetPeers(TransactionId t, NodeId sender, NodeId infoHash) implements Query {}

    /**
     * {@code port} is 1..65535 unless {@code impliedPort} (then the UDP source port counts and
     * {@code port} is whatever was sent, 0 if nothing).
     */
    record AnnouncePeer(TransactionId t, NodeId sender, NodeId infoHash, int port, boolean impliedPort, Token token)
            implements Query {}

    /** A method we do not serve ({@code get}, {@code put}, ...): answered with error 204. */
    record UnknownQuery(TransactionId t, NodeId sender, String method) implements Query {}

    /**
     * A response ({@code y=r}). What it answers is known only from the transaction, so every field a
     * response may carry is here, empty when absent: {@code nodes} (IPv4), {@code nodes6}, {@code
     * values} (peers, from {@code get_peers}), {@code token}, and {@code ip}, the address the
     * responder saw us at (BEP 42).
     */
    record Response(
            TransactionId t,
            NodeId sender,
            List<NodeContact> nodes,
            List<NodeContact> nodes6,
            List<InetSocketAddress> values,
            Optional<Token> token,
            Optional<InetSocketAddress> ip)
            implements KrpcMessage {
        public Response {
            nodes = List.copyOf(nodes);
            nodes6 = List.copyOf(nodes6);
            values = List.copyOf(values);
        }

        /** A bare response, as to {@code ping} or {@code announce_peer}. */
        public Response(TransactionId t, NodeId sender) {
            this(t, sender, List.of(), List.of(), List.of(), Optional.empty(), Optional.empty());
        }
    }

    /** An error ({@code y=e}): 201 generic, 202 server, 203 protocol, 204 method unknown. */
    record Error(TransactionId t, int code, String message) implements KrpcMessage {
        public static final int GENERIC = 201;
        public static final int SERVER = 202;
        public static final int PROTOCOL = 203;
        public static final int METHOD_UNKNOWN = 204;
    }
}
