package org.hypertube.catalog.source;

/**
 * A torrent of a film offered by a source.
 *
 * @param infoHash  40 lower-case hex digits (v1 info-hash), or null when only a .torrent URL is known
 * @param quality   "720p", "1080p", "2160p", "480p" ... as the source labels it, or null
 * @param uri       a magnet link (preferred) or an http(s) URL of the .torrent file
 * @param seeds     seeders the source reports, or -1 when it does not say
 */
public record SourceTorrent(String source, String infoHash, String name, String quality, long sizeBytes, int seeds,
                            int peers, String uri) {
}
