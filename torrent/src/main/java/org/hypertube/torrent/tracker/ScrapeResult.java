package org.hypertube.torrent.tracker;

/** Swarm counts for one torrent from a scrape. */
public record ScrapeResult(int seeders, int completed, int leechers) {}
