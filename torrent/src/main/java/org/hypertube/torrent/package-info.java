/** Hypertube's own BitTorrent engine: no Spring, no BitTorrent library. */
package org.hypertube.torrent;
