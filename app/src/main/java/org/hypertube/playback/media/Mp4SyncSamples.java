package org.hypertube.playback.media;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Optional;

/**
 * The keyframe (sync sample) times of an MP4/MOV video track from its {@code moov} box, wherever it is:
 * top-level boxes are walked by their headers (one small range read each: ftyp, free, mdat, moov), then
 * only moov is read. A sample's presentation time is its decode time (stts) plus its composition offset
 * (ctts), shifted by the edit list (elst) as ffmpeg's demuxer does; sync samples are listed in stss.
 * Fragmented files (no samples in moov) and files without stss (every frame a keyframe) give nothing.
 */
final class Mp4SyncSamples {

    static final int MAX_MOOV = 64 * 1024 * 1024;
    static final int MAX_SAMPLES = 20_000_000;

    private Mp4SyncSamples() {
    }

    /**
     * @param trackIndex ffprobe's index of the video stream (the mov demuxer makes one stream per trak, in
     *                   order); when that trak is not video, the first video trak is used
     */
    static Optional<double[]> keyframes(ByteSource source, int trackIndex) throws IOException {
        Optional<ByteBuffer> moov = Mp4Boxes.moov(source, MAX_MOOV, false);
        return moov.isEmpty() ? Optional.empty() : parseMoov(moov.get(), trackIndex);
    }

    static Optional<double[]> parseMoov(ByteBuffer moov, int trackIndex) {
        long movieTimescale = 0;
        ByteBuffer chosen = null;
        ByteBuffer firstVideo = null;
        int trak = 0;
        for (ByteBuffer box = nextBox(moov); box != null; box = nextBox(moov)) {
            int type = box.getInt(box.position() - 4);
            if (type == fourcc("mvhd")) {
                movieTimescale = timescale(box);
            } else if (type == fourcc("trak")) {
                boolean video = isVideo(box.duplicate());
                if (video && firstVideo == null) {
                    firstVideo = box.duplicate();
                }
                if (trak == trackIndex && video) {
                    chosen = box.duplicate();
                }
                trak++;
            }
        }
        ByteBuffer track = chosen != null ? chosen : firstVideo;
        return track == null || movieTimescale <= 0 ? Optional.empty() : track(track, movieTimescale);
    }

    private static Optional<double[]> track(ByteBuffer trak, long movieTimescale) {
        ByteBuffer mdia = child(trak, "mdia");
        ByteBuffer mdhd = mdia == null ? null : child(mdia, "mdhd");
        ByteBuffer minf = mdia == null ? null : child(mdia, "minf");
        ByteBuffer stbl = minf == null ? null : child(minf, "stbl");
        ByteBuffer stts = stbl == null ? null : child(stbl, "stts");
        ByteBuffer stss = stbl == null ? null : child(stbl, "stss");
        if (mdhd == null || stts == null || stss == null) {
            return Optional.empty();
        }
        long timescale = timescale(mdhd);
        if (timescale <= 0) {
            return Optional.empty();
        }
        long[] syncSamples = table(stss, 1);
        long[] timeToSample = table(stts, 2);
        ByteBuffer cttsBox = child(stbl, "ctts");
        long[] compositionOffsets = cttsBox == null ? new long[0] : table(cttsBox, 2);
        if (syncSamples.length == 0 || timeToSample.length == 0) {
            return Optional.empty();
        }
        // edit list: leading empty edits delay the track; the first real edit starts it at media_time
        double delay = 0;
        long mediaTime = 0;
        ByteBuffer edts = child(trak, "edts");
        ByteBuffer elst = edts == null ? null : child(edts, "elst");
        if (elst != null) {
            int version = elst.get() & 0xff;
            elst.position(elst.position() + 3);
            long entries = Integer.toUnsignedLong(elst.getInt());
            for (long i = 0; i < entries && elst.remaining() >= (version == 1 ? 20 : 12); i++) {
                long duration = version == 1 ? elst.getLong() : Integer.toUnsignedLong(elst.getInt());
                long time = version == 1 ? elst.getLong() : elst.getInt();
                elst.getInt(); // rate
                if (time == -1) {
                    delay += (double) duration / movieTimescale;
                } else {
                    mediaTime = time;
                    break;
                }
            }
        }
        double[] times = new double[syncSamples.length];
        int count = 0;
        long sample = 1;
        long dts = 0;
        int sttsEntry = 0;
        long sttsLeft = timeToSample[0];
        int cttsEntry = 0;
        long cttsLeft = compositionOffsets.length > 0 ? compositionOffsets[0] : 0;
        for (long sync : syncSamples) {
            if (sync < sample || sync > MAX_SAMPLES) {
                return Optional.empty(); // not ascending: broken table
            }
            while (sample < sync) {
                if (sttsLeft == 0) {
                    sttsEntry += 2;
                    if (sttsEntry >= timeToSample.length) {
                        return Optional.empty();
                    }
                    sttsLeft = timeToSample[sttsEntry];
                    continue;
                }
                long step = Math.min(sttsLeft, sync - sample);
                dts += step * timeToSample[sttsEntry + 1];
                sttsLeft -= step;
                // the composition-offset cursor moves by the same samples
                long move = step;
                while (move > 0 && cttsEntry < compositionOffsets.length) {
                    long m = Math.min(move, cttsLeft);
                    cttsLeft -= m;
                    move -= m;
                    if (cttsLeft == 0 && cttsEntry + 2 < compositionOffsets.length) {
                        cttsEntry += 2;
                        cttsLeft = compositionOffsets[cttsEntry];
                    } else if (cttsLeft == 0) {
                        cttsEntry = compositionOffsets.length;
                    }
                }
                sample += step;
            }
            long cts = cttsEntry < compositionOffsets.length ? (int) compositionOffsets[cttsEntry + 1] : 0;
            times[count++] = (double) (dts + cts - mediaTime) / timescale + delay;
        }
        double[] sorted = Arrays.stream(times, 0, count).sorted().distinct().toArray();
        return sorted.length == 0 ? Optional.empty() : Optional.of(sorted);
    }

    /** A full box's table of entries of {@code width} 32-bit numbers, bounded by the box's own size. */
    private static long[] table(ByteBuffer box, int width) {
        if (box.remaining() < 8) {
            return new long[0];
        }
        box.getInt(); // version and flags
        long entries = Integer.toUnsignedLong(box.getInt());
        if (entries * width * 4 > box.remaining()) {
            return new long[0];
        }
        long[] out = new long[(int) entries * width];
        for (int i = 0; i < out.length; i++) {
            out[i] = Integer.toUnsignedLong(box.getInt());
        }
        return out;
    }

    private static boolean isVideo(ByteBuffer trak) {
        ByteBuffer mdia = child(trak, "mdia");
        ByteBuffer hdlr = mdia == null ? null : child(mdia, "hdlr");
        return hdlr != null && hdlr.remaining() >= 12 && hdlr.getInt(hdlr.position() + 8) == fourcc("vide");
    }

    /** The timescale of an mvhd or mdhd box (version 0: 32-bit times, version 1: 64-bit). */
    private static long timescale(ByteBuffer box) {
        int version = box.get(box.position()) & 0xff;
        int at = box.position() + (version == 1 ? 20 : 12);
        return at + 4 <= box.limit() ? Integer.toUnsignedLong(box.getInt(at)) : 0;
    }

    /** The first child box of this type, as a buffer over its content; null when absent. */
    private static ByteBuffer child(ByteBuffer parent, String type) {
        ByteBuffer walk = parent.duplicate();
        for (ByteBuffer box = nextBox(walk); box != null; box = nextBox(walk)) {
            if (box.getInt(box.position() - 4) == fourcc(type)) {
                return box;
            }
        }
        return null;
    }

    /**
     * The next box in {@code parent} (advanced past it), as a buffer whose position is its content and
     * whose 4 bytes before the position are its type; null at the end or on a box that does not fit.
     */
    private static ByteBuffer nextBox(ByteBuffer parent) {
        if (parent.remaining() < 8) {
            return null;
        }
        int start = parent.position();
        long size = Integer.toUnsignedLong(parent.getInt(start));
        int header = 8;
        if (size == 1 && parent.remaining() >= 16) {
            size = parent.getLong(start + 8);
            header = 16;
        } else if (size == 0) {
            size = parent.remaining();
        }
        if (size < header || size > parent.remaining()) {
            return null;
        }
        ByteBuffer box = parent.duplicate();
        box.limit(start + (int) size);
        box.position(start + header);
        if (header == 16) {
            // keep "type just before position" true for 64-bit sizes too
            box = box.slice();
            ByteBuffer withType = ByteBuffer.allocate(4 + box.remaining());
            withType.putInt(parent.getInt(start + 4)).put(box).flip().position(4);
            box = withType;
        }
        parent.position(start + (int) size);
        return box;
    }

    static int fourcc(String s) {
        return (s.charAt(0) << 24) | (s.charAt(1) << 16) | (s.charAt(2) << 8) | s.charAt(3);
    }
}
