package org.hypertube.playback;

import java.io.IOException;
import org.hypertube.torrent.InfoHash;
import org.hypertube.torrent.Magnet;
import org.hypertube.torrent.Metainfo;
import org.hypertube.torrent.MetainfoException;

/** A torrent read (its file fetched if it is a link), not yet added: its metainfo and bytes, or its magnet link. */
record TorrentInput(Metainfo metainfo, byte[] bytes, Magnet magnet) {

    InfoHash hash() {
        return metainfo != null ? metainfo.infoHash() : magnet.infoHash();
    }

    /** Reads a magnet link or a torrent file, fetching a {@code .torrent} link first: no lock is held. */
    static TorrentInput read(String uri, byte[] torrentFile, TorrentFiles torrentFiles)
            throws Downloads.Refused, IOException {
        byte[] bytes = torrentFile;
        if (bytes == null && uri != null && (uri.startsWith("http://") || uri.startsWith("https://"))) {
            bytes = torrentFiles.fetch(uri);
        }
        if (bytes != null) {
            try {
                return new TorrentInput(Metainfo.parse(bytes), bytes, null);
            } catch (MetainfoException | IllegalArgumentException e) {
                throw new Downloads.Refused("downloads.badTorrent", e.getMessage());
            }
        }
        try {
            return new TorrentInput(null, null, Magnet.parse(uri));
        } catch (MetainfoException | IllegalArgumentException e) {
            throw new Downloads.Refused("downloads.badMagnet", e.getMessage());
        }
    }
}
