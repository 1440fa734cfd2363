package org.hypertube.torrent.webseed;

import java.util.ArrayList;
import java.util.List;
import org.hypertube.torrent.TorrentFile;
import org.hypertube.torrent.TorrentInfo;

/**
 * The part of a span of the torrent that lies in one file: bytes {@code [fileOffset, fileOffset +
 * length)} of file {@code fileIndex} go to {@code bufferOffset} of the span's buffer. A web seed gets
 * one {@code Range} request per slice, except for pad files (BEP 47), whose bytes are zeros and are
 * never requested.
 */
public record FileSlice(int fileIndex, long fileOffset, int length, int bufferOffset, boolean pad) {

    public FileSlice {
        if (fileIndex < 0 || fileOffset < 0 || length <= 0 || bufferOffset < 0) {
            throw new IllegalArgumentException("bad slice: file " + fileIndex + " @" + fileOffset + " +" + length
                    + " -> " + bufferOffset);
        }
    }

    /** The HTTP range of this slice, inclusive: {@code first-last}. */
    public String range() {
        return fileOffset + "-" + (fileOffset + length - 1);
    }

    /**
     * Splits {@code length} bytes of the torrent from {@code offset} (e.g. one piece, or several
     * consecutive pieces) into slices in file order; zero-length files are left out. Pure.
     */
    public static List<FileSlice> plan(TorrentInfo info, long offset, int length) {
        if (offset < 0 || length <= 0 || offset > info.totalLength() - length) {
            throw new IllegalArgumentException("span " + offset + " +" + length + " is outside the torrent's "
                    + info.totalLength() + " bytes");
        }
        List<TorrentFile> files = info.files();
        List<FileSlice> slices = new ArrayList<>();
        long end = offset + length;
        for (int i = firstFileEndingAfter(files, offset); i < files.size() && files.get(i).offset() < end; i++) {
            TorrentFile f = files.get(i);
            long from = Math.max(offset, f.offset());
            long to = Math.min(end, f.offset() + f.length());
            if (to > from) {
                slices.add(new FileSlice(i, from - f.offset(), (int) (to - from), (int) (from - offset), f.pad()));
            }
        }
        return List.copyOf(slices);
    }

    /** Binary search: the first file whose end lies beyond {@code offset} (files are in offset order). */
    private static int firstFileEndingAfter(List<TorrentFile> files, long offset) {
        int lo = 0;
        int hi = files.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            TorrentFile f = files.get(mid);
            if (f.offset() + f.length() <= offset) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
