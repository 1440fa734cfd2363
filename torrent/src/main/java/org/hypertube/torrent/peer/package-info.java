/**
 * The peer wire protocol as codecs that turn bytes into messages and back, nothing else: the
 * handshake and messages of BEP 3, the fast extension (BEP 6), the extension protocol (BEP 10) and
 * metadata exchange {@code ut_metadata} (BEP 9). Lengths are checked before anything is allocated.
 */
package org.hypertube.torrent.peer;
