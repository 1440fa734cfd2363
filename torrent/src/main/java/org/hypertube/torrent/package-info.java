/**
 * The engine's public API, the only package an application uses: {@link org.hypertube.torrent.TorrentClient}
 * (one per process, built once, immutable) runs torrents, each a {@link org.hypertube.torrent.Torrent},
 * read as they download through {@link org.hypertube.torrent.TorrentStream}s, observed through
 * {@link org.hypertube.torrent.TorrentEvent}s; torrents are described by {@link org.hypertube.torrent.Metainfo},
 * {@link org.hypertube.torrent.TorrentInfo}, {@link org.hypertube.torrent.Magnet} and
 * {@link org.hypertube.torrent.InfoHash}. Everything else here is package-private: the session and its parts
 * (see docs/ENGINE.md). Peer connections (BEP 3 wire, BEP 6 fast, BEP 10 extensions, BEP 9 metadata,
 * BEP 11 PEX) run one virtual thread each for blocking reads plus one draining a bounded write queue;
 * web seeds (BEP 19) are peers too; one scheduler thread per torrent decides choking, time-outs and
 * re-requests on an injected {@link java.time.Clock}. Pieces are hashed on a small platform-thread
 * pool and written only once verified, so nothing unverified reaches disk. The sub-packages are the
 * engine's inside (codecs, picker, storage, trackers, web seed fetching, CLI), public only because Java
 * needs it across packages; an ArchUnit test keeps the application out of them.
 */
package org.hypertube.torrent;
