/**
 * Streaming: {@link org.hypertube.torrent.stream.TorrentStream}, a blocking seekable reader over one
 * file of a torrent whose position and readahead drive the piece picker's deadlines. Open one with
 * {@code Torrent.openStream(fileIndex)}.
 */
package org.hypertube.torrent.stream;
