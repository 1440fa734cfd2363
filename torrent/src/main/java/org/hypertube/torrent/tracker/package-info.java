/**
 * Trackers: HTTP(S) announce and scrape (BEP 3, compact peers BEP 23, IPv6 peers BEP 7, tracker id),
 * UDP trackers (BEP 15, connection id reused for a minute, retry after 15·2^n seconds), tiers tried in
 * order with the working tracker moved to the front (BEP 12), and a small tracker server answering
 * HTTP {@code /announce} and {@code /scrape} and UDP on the same port.
 */
package org.hypertube.torrent.tracker;
