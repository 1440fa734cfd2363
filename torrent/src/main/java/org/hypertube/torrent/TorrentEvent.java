package org.hypertube.torrent;


/** Things that happen to a torrent that an application may act on. Delivered on one event thread, in order. */
public sealed interface TorrentEvent {
    InfoHash infoHash();

    record MetadataReceived(InfoHash infoHash, String name) implements TorrentEvent {}

    record Checked(InfoHash infoHash, int verifiedPieces, int pieceCount) implements TorrentEvent {}

    record Completed(InfoHash infoHash) implements TorrentEvent {}

    record Failed(InfoHash infoHash, String reason) implements TorrentEvent {}

    record PeerBanned(InfoHash infoHash, String peer, String reason) implements TorrentEvent {}
}
