package org.hypertube.torrent;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;
import org.hypertube.torrent.pieces.PiecePicker;

/**
 * Streaming deadlines (anacrolix's {@code reader.go}): what open readers want, as a deadline per
 * piece. The piece a reader is blocked on comes first ({@link #BLOCKED}, below every other
 * deadline: a reader waiting now outranks any readahead); then the head of each read file (0) until
 * verified; then the window from each reader's position, nearer pieces sooner: a deadline is the
 * time in ms at which the media reaches the piece at the rate the window was sized for; the tail
 * (MP4 {@code moov} at the end, MKV cues) ranks as media {@link #TAIL_DEADLINE} ms away, after the
 * first seconds of every window (most films have their index at the head): a reader that needs
 * the tail blocks on it and so gets the piece it reads first. A piece keeps the most urgent
 * deadline any reader gives it.
 *
 * <p>When the last open reader of a torrent closes, its wishes stay {@link #LINGER_MS} unless
 * another reader opens: the film's header reader closes a moment before the player's first range
 * request opens the next, and in between the sources' queues would fill with seconds of
 * background pieces that the player's first piece then waits behind. Guarded by the session's lock.
 */
final class ReaderWishes {
    /**
     * The deadline of a piece a reader is blocked on now; when several are, the one that blocked
     * last gets the smallest (a reader left blocked by a request the browser gave up on after a seek
     * must not come before the seek's own).
     */
    static final long BLOCKED = -1;
    static final long HEAD_DEADLINE = 0;
    static final long TAIL_DEADLINE = 10_000;
    /** How long the wishes of a torrent's last reader outlive it while no other reader is open. */
    static final long LINGER_MS = 2_000;

    /**
     * What the deadlines need of one open reader: its file's place in the torrent, its position and
     * window, and whether it is blocked in a read at its position: 0 if not, else the order in which
     * it blocked (1, 2, ...: higher blocked later).
     */
    record Reader(long fileOffset, long length, long position, long window, long blocked) {
        Reader(long fileOffset, long length, long position, long window) {
            this(fileOffset, length, position, window, 0);
        }
    }

    private final Map<Integer, Long> wishes = new HashMap<>();
    /** The last reader that closed while no other was open, and until when its wishes count (null: none). */
    private Reader lingering;
    private long lingerUntil;

    /** A reader opened: a lingering one is gone. */
    void readerOpened() {
        lingering = null;
    }

    /** {@code r} closed at {@code now} and was the last open reader: its wishes (not its block) linger. */
    void lastReaderClosed(Reader r, long now) {
        lingering = new Reader(r.fileOffset(), r.length(), r.position(), r.window());
        lingerUntil = now + LINGER_MS;
    }

    /** The readers whose wishes count at {@code now}: the open ones, else the last one while it lingers. */
    List<Reader> effective(List<Reader> open, long now) {
        if (lingering == null || !open.isEmpty()) {
            return open;
        }
        return now < lingerUntil ? List.of(lingering) : List.of();
    }

    /** True once, when a lingering reader's time is over at {@code now} (the deadlines are then recomputed). */
    boolean lingerEnded(long now) {
        if (lingering != null && now >= lingerUntil) {
            lingering = null;
            return true;
        }
        return false;
    }

    /** Recomputes every deadline and sets them in the picker (clearing those no reader wants any more). */
    void apply(List<Reader> readers, PiecePicker picker, long pieceLength) {
        Map<Integer, Long> next = deadlines(readers, picker::have, pieceLength);
        for (int p : wishes.keySet()) {
            if (!next.containsKey(p)) {
                picker.clearDeadline(p);
            }
        }
        wishes.clear();
        wishes.putAll(next);
        next.forEach(picker::setDeadline);
    }

    /** Piece → deadline (ms) for {@code readers}; pieces already verified ({@code have}) want nothing. */
    static Map<Integer, Long> deadlines(List<Reader> readers, IntPredicate have, long pieceLength) {
        Map<Integer, Long> next = new HashMap<>();
        for (Reader s : readers) {
            if (s.length() == 0) {
                continue;
            }
            long edge = Math.min(s.length(), TorrentStream.HEAD_TAIL_BYTES);
            wishRange(next, have, pieceLength, s.fileOffset(), s.fileOffset() + edge, HEAD_DEADLINE);
            wishRange(next, have, pieceLength, s.fileOffset() + s.length() - edge, s.fileOffset() + s.length(), TAIL_DEADLINE);
            if (s.blocked() > 0 && s.position() < s.length()) {
                int p = (int) ((s.fileOffset() + s.position()) / pieceLength);
                if (!have.test(p)) {
                    next.merge(p, BLOCKED - (s.blocked() - 1), Math::min);
                }
            }
            if (s.position() < s.length()) {
                long from = s.fileOffset() + s.position();
                long to = s.fileOffset() + Math.min(s.length(), s.position() + s.window());
                for (int p = (int) (from / pieceLength); p <= (int) ((to - 1) / pieceLength); p++) {
                    if (have.test(p)) {
                        continue;
                    }
                    long distance = Math.max(0, p * pieceLength - from);
                    long d = 1 + distance * (TorrentStream.READAHEAD_SECONDS * 1000L) / s.window();
                    next.merge(p, d, Math::min);
                }
            }
        }
        return next;
    }

    private static void wishRange(Map<Integer, Long> next, IntPredicate have, long pieceLength, long from, long to, long deadline) {
        for (int p = (int) (from / pieceLength); p <= (int) ((to - 1) / pieceLength); p++) {
            if (!have.test(p)) {
                next.merge(p, deadline, Math::min);
            }
        }
    }
}
