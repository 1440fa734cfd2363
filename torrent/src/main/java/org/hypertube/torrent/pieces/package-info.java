/**
 * Which block to ask which peer for next (BEP 3 leaves the policy to the client). The
 * {@link org.hypertube.torrent.pieces.PiecePicker} is a pure data structure in the manner of
 * libtorrent's piece_picker: no I/O, no threads, no clock; the session feeds it availability and
 * results and asks it for blocks. Order: pieces with a deadline (for streaming), then priority,
 * partial pieces before new ones, rarest first with random ties; strict endgame at the end.
 */
package org.hypertube.torrent.pieces;
