/**
 * Our own mainline DHT node (BEP 5, ids by BEP 42). {@link org.hypertube.torrent.dht.DhtNode} is the
 * only part with a socket and threads: one UDP socket, queries and answers, the peer store and
 * lookups. Under it, pure parts on an injected {@link java.time.Clock}: {@link
 * org.hypertube.torrent.dht.NodeId} (160-bit ids, XOR distance, BEP 42's address-bound ids), {@link
 * org.hypertube.torrent.dht.Krpc} (the bounded KRPC codec over the sealed {@link
 * org.hypertube.torrent.dht.KrpcMessage} family), the routing table of k-buckets, the {@code
 * announce_peer} token secret, and {@code Lookup}, the iterative walk as a state machine. The
 * session reaches it through {@code DhtPeerSource}.
 */
package org.hypertube.torrent.dht;
