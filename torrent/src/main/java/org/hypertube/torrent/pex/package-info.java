/**
 * Peer exchange, {@code ut_pex} (BEP 11), as pure parts the session plugs into its BEP 10 extension
 * registry: {@link org.hypertube.torrent.pex.PexCodec} turns a message payload into a
 * {@link org.hypertube.torrent.pex.PexMessage} and back, and one
 * {@link org.hypertube.torrent.pex.PexPeerState} per connection decides what to tell that peer and
 * when, and which of the addresses it tells us are worth dialling. No I/O, no threads; time comes
 * from an injected {@link java.time.Clock}. PEX stays off for private torrents (BEP 27): the session
 * neither advertises {@code ut_pex} nor creates this state for them.
 */
package org.hypertube.torrent.pex;
