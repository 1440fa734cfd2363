package org.hypertube.playback.media;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Walking ISO BMFF boxes inside a buffer that came from the file. Nothing read is trusted: a box that
 * does not fit its parent ends the walk, and a parent yields at most {@link #MAX_CHILDREN} boxes.
 */
final class Mp4Boxes {

    static final int MAX_CHILDREN = 4096;
    static final int MAX_TOP_BOXES = 10_000;

    /** A box: its four-character type and a buffer over its content only (position 0). */
    record Box(String type, ByteBuffer data) {
    }

    private Mp4Boxes() {
    }

    /** The boxes in {@code parent} from its position to its limit; stops at the first one that does not fit. */
    static List<Box> children(ByteBuffer parent) {
        List<Box> out = new ArrayList<>();
        ByteBuffer b = parent.slice();
        int pos = 0;
        while (b.limit() - pos >= 8 && out.size() < MAX_CHILDREN) {
            long size = Integer.toUnsignedLong(b.getInt(pos));
            byte[] type = new byte[4];
            b.get(pos + 4, type);
            int header = 8;
            if (size == 1) {
                if (b.limit() - pos < 16) {
                    break;
                }
                size = b.getLong(pos + 8);
                header = 16;
            } else if (size == 0) {
                size = b.limit() - pos;
            }
            if (size < header || size > b.limit() - pos) {
                break;
            }
            out.add(new Box(new String(type, StandardCharsets.ISO_8859_1), b.slice(pos + header, (int) size - header)));
            pos += (int) size;
        }
        return out;
    }

    /**
     * The content of the file's top-level {@code moov} box, wherever it is: the top-level boxes are walked
     * by their headers (one small read each: ftyp, free, mdat...), then only moov is read. Empty when
     * there is none, it is larger than {@code maxMoov}, or (with {@code ftypFirst}) the file does not
     * open with {@code ftyp}.
     */
    static java.util.Optional<ByteBuffer> moov(ByteSource source, int maxMoov, boolean ftypFirst) throws java.io.IOException {
        long size = source.size();
        long offset = 0;
        for (int i = 0; i < MAX_TOP_BOXES && offset + 8 <= size; i++) {
            ByteBuffer h = ByteBuffer.wrap(source.read(offset, 16));
            if (h.remaining() < 8) {
                return java.util.Optional.empty();
            }
            long boxSize = Integer.toUnsignedLong(h.getInt());
            int type = h.getInt();
            int headerSize = 8;
            if (boxSize == 1) {
                if (h.remaining() < 8) {
                    return java.util.Optional.empty();
                }
                boxSize = h.getLong();
                headerSize = 16;
            } else if (boxSize == 0) {
                boxSize = size - offset;
            }
            if (boxSize < headerSize || (ftypFirst && i == 0 && type != Mp4SyncSamples.fourcc("ftyp"))) {
                return java.util.Optional.empty();
            }
            if (type == Mp4SyncSamples.fourcc("moov")) {
                if (boxSize > maxMoov) {
                    return java.util.Optional.empty();
                }
                byte[] moov = source.read(offset + headerSize, (int) (boxSize - headerSize));
                return moov.length == boxSize - headerSize ? java.util.Optional.of(ByteBuffer.wrap(moov))
                        : java.util.Optional.empty();
            }
            offset += boxSize;
        }
        return java.util.Optional.empty();
    }

    /** The first child of this type, or null. */
    static Box child(ByteBuffer parent, String type) {
        for (Box box : children(parent)) {
            if (box.type().equals(type)) {
                return box;
            }
        }
        return null;
    }

    /** The box at this path of children ("mdia", "minf", "stbl"), or null. */
    static Box path(ByteBuffer parent, String... types) {
        Box box = null;
        ByteBuffer at = parent;
        for (String type : types) {
            box = child(at, type);
            if (box == null) {
                return null;
            }
            at = box.data();
        }
        return box;
    }

    /**
     * Timescale and duration of an mvhd or mdhd box (version 0: 32-bit times, version 1: 64-bit);
     * zeros when the box is too short.
     */
    static long[] timescaleAndDuration(ByteBuffer box) {
        if (box.limit() < 1) {
            return new long[] {0, 0};
        }
        boolean wide = (box.get(0) & 0xff) == 1;
        int at = wide ? 20 : 12;
        if (at + (wide ? 12 : 8) > box.limit()) {
            return new long[] {0, 0};
        }
        long timescale = Integer.toUnsignedLong(box.getInt(at));
        long duration = wide ? box.getLong(at + 4) : Integer.toUnsignedLong(box.getInt(at + 4));
        if (!wide && duration == 0xFFFFFFFFL || duration < 0) {
            duration = 0; // "unknown"
        }
        return new long[] {timescale, duration};
    }

    /** The fragment duration of an mehd box, in the movie's timescale; 0 when absent or broken. */
    static long fragmentDuration(ByteBuffer mehd) {
        if (mehd.limit() < 8) {
            return 0;
        }
        boolean wide = (mehd.get(0) & 0xff) == 1;
        if (wide) {
            return mehd.limit() >= 12 ? Math.max(0, mehd.getLong(4)) : 0;
        }
        return Integer.toUnsignedLong(mehd.getInt(4));
    }

    /** An unsigned byte at {@code at}, or -1 past the end. */
    static int u8(ByteBuffer b, int at) {
        return at >= 0 && at < b.limit() ? b.get(at) & 0xff : -1;
    }

    /** An unsigned 16-bit number at {@code at}, or -1 past the end. */
    static int u16(ByteBuffer b, int at) {
        return at >= 0 && at + 2 <= b.limit() ? b.getShort(at) & 0xffff : -1;
    }
}
