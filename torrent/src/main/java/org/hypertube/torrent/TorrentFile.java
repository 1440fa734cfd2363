package org.hypertube.torrent;

import java.util.List;

/**
 * One file of a torrent: its sanitised path inside the torrent's folder, its length, and where it
 * starts in the torrent's byte stream. Pad files (BEP 47) are kept with {@code pad = true} because
 * they occupy bytes of the piece stream, but they are never written to disk.
 */
public record TorrentFile(List<String> path, long length, long offset, boolean pad) {
    public TorrentFile {
        path = List.copyOf(path);
    }

    /** The path joined with '/', for display. */
    public String displayPath() {
        return String.join("/", path);
    }
}
