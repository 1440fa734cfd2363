/**
 * Torrent metadata: .torrent files (BEP 3), multitracker tiers (BEP 12), private torrents (BEP 27),
 * pad files (BEP 47), hybrid v1+v2 torrents read as v1 (BEP 52), web seed URLs (BEP 19, kept for
 * later), magnet links (BEP 9 {@code xt/dn/tr/x.pe}, BEP 53 {@code so}, BEP 19 {@code ws}) and
 * torrent creation. Every path a torrent names is sanitised here, once, so later code can trust it.
 */
package org.hypertube.torrent.metainfo;
