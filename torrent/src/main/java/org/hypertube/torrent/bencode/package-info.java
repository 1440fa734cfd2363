/**
 * Bencoding (BEP 3): a bounded decoder that refuses malformed input with a {@link
 * org.hypertube.torrent.bencode.BencodeException} naming the fault and its offset, and a canonical
 * encoder (dictionary keys sorted as raw bytes). Decoded dictionaries remember the exact bytes they
 * were read from so the info-hash is computed over what was received, not over a re-encoding.
 */
package org.hypertube.torrent.bencode;
