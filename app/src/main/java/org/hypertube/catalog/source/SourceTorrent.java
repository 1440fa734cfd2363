package org.hypertube.catalog.source;

/**
 * A torrent of a film offered by a source.
 *
 * @param infoHash  40 lower-case hex digits (v1 info-hash), or null when only a .torrent URL is known
 * @param quality   "720p", "1080p", "2160p", "480p" ... as the source labels it, or null
 * @param uri       a magnet link (preferred) or an http(s) URL of the .torrent file
 * @param name      the torrent's name as the source gives it (YTS: built from the film's long title,
 *                  quality and type), or null
 * @param sizeBytes total size, or 0 when the source does not say
 * @param seeds     seeders the source reports, or -1 when it does not say
 * @param peers     the other peers (leechers) the source reports, or -1 when it does not say;
 *                  Torznab's "peers" counts seeders too, so its seeders are subtracted
 */
public record SourceTorrent(String source, String infoHash, String name, String quality, long sizeBytes, int seeds,
                            int peers, String uri) {
}
