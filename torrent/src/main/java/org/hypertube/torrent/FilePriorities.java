package org.hypertube.torrent;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.hypertube.torrent.pieces.PiecePicker;

/**
 * Each file's priority (0 = skip, 1..7) and what it means for pieces: a piece gets the highest
 * priority of the files it touches. Indices given to the application count real files only (pad
 * files are hidden, as BEP 53's {@code so} counts them). Guarded by the session's lock.
 */
final class FilePriorities {
    private final TorrentInfo info;
    /** By index in {@code info.files()}, pad files included. */
    private final int[] priorities;
    private final List<Integer> real = new ArrayList<>();

    /** Every file at the default priority, or, when {@code selectOnly} is not empty, only those real files. */
    FilePriorities(TorrentInfo info, List<Integer> selectOnly) {
        this.info = info;
        this.priorities = new int[info.files().size()];
        Arrays.fill(priorities, PiecePicker.DEFAULT_PRIORITY);
        for (int f = 0; f < info.files().size(); f++) {
            if (!info.files().get(f).pad()) {
                if (!selectOnly.isEmpty() && !selectOnly.contains(real.size())) {
                    priorities[f] = 0;
                }
                real.add(f);
            }
        }
    }

    int realCount() {
        return real.size();
    }

    /** The index in {@code info.files()} of real file {@code realIndex}. */
    int fileIndex(int realIndex) {
        if (realIndex < 0 || realIndex >= real.size()) {
            throw new IndexOutOfBoundsException("file " + realIndex + " of " + real.size());
        }
        return real.get(realIndex);
    }

    int ofFile(int fileIndex) {
        return priorities[fileIndex];
    }

    void set(int fileIndex, int priority) {
        priorities[fileIndex] = priority;
    }

    /** A skipped file that a reader opened gets the default priority; true if it changed. */
    boolean raiseForReader(int fileIndex) {
        if (priorities[fileIndex] != 0) {
            return false;
        }
        priorities[fileIndex] = PiecePicker.DEFAULT_PRIORITY;
        return true;
    }

    /** Each piece's priority: the highest of the files it touches (a shared boundary piece is needed by both). */
    int[] pieces() {
        int[] prio = new int[info.pieceCount()];
        for (int f = 0; f < info.files().size(); f++) {
            TorrentFile tf = info.files().get(f);
            if (tf.pad() || tf.length() == 0) {
                continue;
            }
            int first = (int) (tf.offset() / info.pieceLength());
            int last = (int) ((tf.offset() + tf.length() - 1) / info.pieceLength());
            for (int p = first; p <= last; p++) {
                prio[p] = Math.max(prio[p], priorities[f]);
            }
        }
        return prio;
    }
}
