/**
 * Our own mainline DHT node (BEP 5, ids by BEP 42), built as pure parts so far: {@link
 * org.hypertube.torrent.dht.NodeId} (160-bit ids, XOR distance, BEP 42's address-bound ids), {@link
 * org.hypertube.torrent.dht.Krpc} (the bounded KRPC codec over the sealed {@link
 * org.hypertube.torrent.dht.KrpcMessage} family), the routing table of k-buckets and the {@code
 * announce_peer} token secret, and {@code Lookup}, the iterative walk as a
 * state machine. No sockets and no threads here; time comes from an injected
 * {@link java.time.Clock}. The session will reach it through a {@code PeerSource}.
 */
package org.hypertube.torrent.dht;
