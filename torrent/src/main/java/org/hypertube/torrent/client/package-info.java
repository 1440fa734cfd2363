/**
 * The session: {@link org.hypertube.torrent.client.TorrentClient} (one per process, built once,
 * immutable) runs torrents, each a {@link org.hypertube.torrent.client.Torrent}. Peer connections
 * (BEP 3 wire, BEP 6 fast, BEP 10 extensions, BEP 9 metadata) run one virtual thread each for
 * blocking reads plus one draining a bounded write queue; one scheduler thread per torrent decides
 * choking, time-outs and re-announces on an injected {@link java.time.Clock}. Pieces are hashed on a
 * small platform-thread pool and written only once verified, so nothing unverified reaches disk.
 */
package org.hypertube.torrent.client;
