package org.hypertube.playback;

import org.hypertube.torrent.Torrent;
import org.hypertube.torrent.TorrentStream;

/**
 * What the server waits for before the film can start, with its figures, for the status the film page
 * shows: peers, the torrent's details, the beginning of the film, the index at its end, reading the
 * headers, or a conversion. "Here" counts the bytes readable without waiting from the start of what is
 * needed. The wait estimate comes only once data flows: the bytes still needed over the torrent's current
 * rate (measured over the last seconds), never a guess before then.
 */
final class Waiting {

    enum Step { PEERS, METADATA, HEAD, INDEX, READING, CONVERTING }

    /**
     * @param connected peers connected now
     * @param seeds     of them, those with the whole torrent
     * @param have      bytes of what this step needs that are here (verified)
     * @param need      bytes this step needs; 0 when it is not about bytes
     * @param seconds   the estimated wait for those bytes; null before data flows
     */
    record Wait(Step step, int connected, int seeds, long have, long need, Long seconds) {}

    private Waiting() {
    }

    /** Looking for peers, or (some found) fetching the torrent's details from them. */
    static Wait forPeers(Torrent torrent) {
        var peers = torrent.peers();
        int seeds = (int) peers.stream().filter(p -> p.progress() >= 1.0).count();
        Step step = peers.isEmpty() || torrent.info().isPresent() ? Step.PEERS : Step.METADATA;
        return new Wait(step, peers.size(), seeds, 0, 0, null);
    }

    /**
     * The headers are being read: the beginning of the film until it is here, then the index at its end
     * when a reader waits there (MP4 {@code moov} after the media), then only the reading itself.
     *
     * @param reading where our header reader waits, if it does
     * @param rate    the torrent's download rate, bytes per second
     */
    static Wait forHeaders(MediaFile file, FilmProbes.Reading reading, long rate) {
        long length = file.length();
        if (reading != null && length > 0 && reading.offset() >= length / 2) {
            long need = length - reading.offset();
            long have = Math.min(need, file.readableFrom(reading.offset()));
            if (have < need) {
                return new Wait(Step.INDEX, 0, 0, have, need, estimate(have, need, rate));
            }
        }
        long head = Math.min(length, TorrentStream.HEAD_TAIL_BYTES);
        long have = Math.min(head, file.readableFrom(0));
        if (have < head) {
            return new Wait(Step.HEAD, 0, 0, have, head, estimate(have, head, rate));
        }
        return new Wait(Step.READING, 0, 0, 0, 0, null);
    }

    static Wait converting() {
        return new Wait(Step.CONVERTING, 0, 0, 0, 0, null);
    }

    /** Seconds until {@code need} bytes are here at {@code rate}; null while no data flows (no rate measured yet). */
    static Long estimate(long have, long need, long rate) {
        if (rate <= 0 || need <= have) {
            return null;
        }
        return (need - have + rate - 1) / rate;
    }
}
