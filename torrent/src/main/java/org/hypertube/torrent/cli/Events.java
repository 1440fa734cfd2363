package org.hypertube.torrent.cli;

import java.io.PrintStream;
import org.hypertube.torrent.PeerInfo;
import org.hypertube.torrent.Torrent;

/**
 * {@code download --events}: one line {@code EVENT NAME EPOCH_MILLIS [DETAIL]} the first time each of
 * these happens, for benchmarks that time a download from outside: {@code added} (just before the
 * torrent is added), {@code peer} (the first peer past both handshakes, with its address and source),
 * {@code metadata}, {@code piece} (the first verified piece) and {@code complete}. The torrent is
 * sampled every {@value #POLL_MILLIS} ms on a virtual thread, so an event is late by at most that.
 */
final class Events {
    static final long POLL_MILLIS = 2;

    private final PrintStream out;
    private Thread thread;

    Events(PrintStream out) {
        this.out = out;
    }

    void added() {
        print("added", "");
    }

    /** Starts watching {@code t} until {@link #stop} or every event was seen. */
    void watch(Torrent t) {
        thread = Thread.ofVirtual().name("cli-events").start(() -> {
            boolean peer = false;
            boolean metadata = false;
            boolean piece = false;
            try {
                while (!(peer && metadata && piece)) {
                    if (!peer) {
                        for (PeerInfo p : t.peers()) {
                            if (!"web seed".equals(p.source())) {
                                print("peer", p.address().getAddress().getHostAddress() + ":" + p.address().getPort() + " " + p.source());
                                peer = true;
                                break;
                            }
                        }
                    }
                    if (!metadata && t.info().isPresent()) {
                        print("metadata", "");
                        metadata = true;
                    }
                    if (!piece && !t.verifiedPieces().isEmpty()) {
                        print("piece", "");
                        piece = true;
                    }
                    Thread.sleep(POLL_MILLIS);
                }
            } catch (InterruptedException e) {
                // stopped
            }
        });
    }

    void complete() {
        print("complete", "");
    }

    void stop() {
        if (thread != null) {
            thread.interrupt();
        }
    }

    private void print(String name, String detail) {
        String line = "EVENT " + name + " " + System.currentTimeMillis() + (detail.isEmpty() ? "" : " " + detail);
        synchronized (out) {
            out.println(line);
            out.flush();
        }
    }
}
