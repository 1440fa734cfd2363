package org.hypertube.playback;

import java.io.IOException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import org.hypertube.torrent.Torrent;
import org.hypertube.torrent.TorrentStream;

/**
 * The film file of a download, readable at any offset: from the torrent while it downloads (reads wait
 * for verified pieces and steer the engine) or straight from disk once finished.
 */
interface MediaFile {

    String infoHash();

    /** The file's name, for its type. */
    String name();

    long length();

    /** A new reader at offset 0; each reader is one wish for the engine, dropped when closed. */
    SeekableByteChannel open() throws IOException;

    /** Bytes readable at once from this offset without waiting for the swarm. */
    long readableFrom(long offset);

    /** The parts the server holds, as [start, end) fractions of the file ({@link VerifiedRanges}). */
    default java.util.List<java.util.List<Double>> verified() {
        return VerifiedRanges.prefix(readableFrom(0), length());
    }

    default String contentType() {
        String n = name().toLowerCase(Locale.ROOT);
        if (n.endsWith(".mp4") || n.endsWith(".m4v")) {
            return "video/mp4";
        }
        if (n.endsWith(".webm")) {
            return "video/webm";
        }
        if (n.endsWith(".mov")) {
            return "video/quicktime";
        }
        if (n.endsWith(".mkv")) {
            return "video/x-matroska";
        }
        return "application/octet-stream";
    }

    /** A strong validator: the same torrent file always has the same bytes. */
    default String etag() {
        return "\"" + infoHash() + "-" + length() + "\"";
    }

    record OnDisk(String infoHash, Path path, long length) implements MediaFile {
        @Override
        public String name() {
            return path.getFileName().toString();
        }

        @Override
        public SeekableByteChannel open() throws IOException {
            return Files.newByteChannel(path, StandardOpenOption.READ);
        }

        @Override
        public long readableFrom(long offset) {
            return Math.max(0, length - offset);
        }

        @Override
        public java.util.List<java.util.List<Double>> verified() {
            return VerifiedRanges.WHOLE;
        }
    }

    /** A file of a torrent in the engine; {@code bitrate} (bytes/s, 0 = unknown) sizes each reader's readahead. */
    record InTorrent(Torrent torrent, int fileIndex, String name, long length, long bitrate) implements MediaFile {
        @Override
        public String infoHash() {
            return torrent.infoHash().hex();
        }

        @Override
        public SeekableByteChannel open() throws IOException {
            TorrentStream stream;
            try {
                stream = torrent.openStream(fileIndex);
            } catch (IllegalStateException | IndexOutOfBoundsException e) {
                throw new IOException("torrent " + infoHash() + " cannot be read now: " + e.getMessage(), e);
            }
            if (bitrate > 0) {
                stream.setBitrate(bitrate);
            }
            return stream;
        }

        /**
         * Counted from the torrent's verified pieces: no reader is opened, so asking (every status poll)
         * adds no wish to the engine.
         */
        @Override
        public long readableFrom(long offset) {
            var info = torrent.info().orElse(null);
            if (info == null || offset < 0 || offset >= length) {
                return 0;
            }
            var file = info.files().stream().filter(f -> !f.pad()).skip(fileIndex).findFirst().orElse(null);
            if (file == null) {
                return 0;
            }
            java.util.BitSet have = torrent.verifiedPieces();
            long pieceLength = info.pieceLength();
            long start = file.offset() + offset;
            long end = file.offset() + file.length();
            long at = start;
            while (at < end && have.get((int) (at / pieceLength))) {
                at = Math.min(end, (at / pieceLength + 1) * pieceLength);
            }
            return at - start;
        }

        @Override
        public java.util.List<java.util.List<Double>> verified() {
            var info = torrent.info().orElse(null);
            var file = info == null ? null : info.files().stream().filter(f -> !f.pad()).skip(fileIndex).findFirst().orElse(null);
            return file == null ? java.util.List.of()
                    : VerifiedRanges.of(torrent.verifiedPieces(), info.pieceLength(), file.offset(), file.length());
        }
    }
}
