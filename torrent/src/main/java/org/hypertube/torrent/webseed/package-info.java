/**
 * Web seeds (BEP 19, "GetRight style"): fetching a torrent's pieces from plain HTTP(S) servers that
 * hold its files, such as the Internet Archive. This package is the fetch layer only, independent of
 * the session: {@link org.hypertube.torrent.webseed.WebSeedUrls} names each file's URL,
 * {@link org.hypertube.torrent.webseed.FileSlice} splits a span of the torrent into one
 * {@code Range} request per file (BEP 47 pad files are zeros, never requested),
 * {@link org.hypertube.torrent.webseed.WebSeedConnection} is one keep-alive HTTP/1.1 connection of
 * our own over a socket (redirects per file, strict bounded parsing, {@code Retry-After}),
 * {@link org.hypertube.torrent.OutsideAddressPolicy} refuses local and private addresses
 * named by a torrent (SSRF), and {@link org.hypertube.torrent.webseed.WebSeedHealth} decides, on an
 * injected clock, when a seed may be used again, which of its files are outdated, and when to drop
 * it. Failures are {@link org.hypertube.torrent.webseed.WebSeedException}s of a specific kind.
 */
package org.hypertube.torrent.webseed;
