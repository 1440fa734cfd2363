package org.hypertube.torrent.tracker;

import org.hypertube.torrent.InfoHash;

/** What we tell a tracker on each announce. */
public record AnnounceRequest(InfoHash infoHash, byte[] peerId, int port, long uploaded, long downloaded, long left,
        Event event, int numWant, int key) {

    public enum Event {
        NONE(0, null), COMPLETED(1, "completed"), STARTED(2, "started"), STOPPED(3, "stopped");

        final int udpCode;
        final String httpName;

        Event(int udpCode, String httpName) {
            this.udpCode = udpCode;
            this.httpName = httpName;
        }
    }

    public AnnounceRequest withEvent(Event e) {
        return new AnnounceRequest(infoHash, peerId, port, uploaded, downloaded, left, e, numWant, key);
    }
}
