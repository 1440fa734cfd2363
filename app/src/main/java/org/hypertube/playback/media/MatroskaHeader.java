package org.hypertube.playback.media;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What a Matroska/WebM file's Info and Tracks say, as ffprobe would say it: codecs (from CodecID and
 * CodecPrivate), sizes, channels, languages, default flags and the duration; one stream per TrackEntry
 * in order. Both elements are in the first kilobytes of every muxer's output; when they are not in the
 * head, the SeekHead's positions are followed (one read each, at most {@link MatroskaCues#MAX_ELEMENT}).
 */
final class MatroskaHeader {

    static final int DOC_TYPE = 0x4282;
    static final int DURATION = 0x4489;
    static final int CODEC_ID = 0x86;
    static final int CODEC_PRIVATE = 0x63A2;
    static final int LANGUAGE = 0x22B59C;
    static final int NAME = 0x536E;
    static final int FLAG_DEFAULT = 0x88;
    static final int FLAG_FORCED = 0x55AA;
    static final int VIDEO = 0xE0;
    static final int PIXEL_WIDTH = 0xB0;
    static final int PIXEL_HEIGHT = 0xBA;
    static final int AUDIO = 0xE1;
    static final int CHANNELS = 0x9F;
    static final int MAX_TRACKS = 64;
    static final List<String> FORMATS = List.of("matroska", "webm");

    private final ByteSource source;
    private byte[] info;
    private byte[] tracks;
    private long segmentStart;
    private long infoAt = -1;
    private long tracksAt = -1;

    private MatroskaHeader(ByteSource source) {
        this.source = source;
    }

    /** The file's streams, or empty when this is not a Matroska file whose Info and Tracks this reader finds. */
    static Optional<MediaProbe> read(ByteSource source) throws IOException {
        return new MatroskaHeader(source).parse();
    }

    private Optional<MediaProbe> parse() throws IOException {
        long size = source.size();
        byte[] head = source.read(0, MatroskaCues.HEAD);
        Ebml.Element ebml = Ebml.header(head, 0, head.length);
        if (ebml == null || ebml.id() != MatroskaCues.EBML || ebml.size() == Ebml.UNKNOWN || ebml.dataEnd() > head.length) {
            return Optional.empty();
        }
        String[] docType = {null};
        Ebml.children(head, ebml.dataStart(), ebml.dataEnd(), e -> {
            if (e.id() == DOC_TYPE) {
                docType[0] = string(head, e);
            }
        });
        if (!"matroska".equals(docType[0]) && !"webm".equals(docType[0])) {
            return Optional.empty();
        }
        Ebml.Element segment = Ebml.header(head, ebml.dataEnd(), head.length);
        if (segment == null || segment.id() != MatroskaCues.SEGMENT) {
            return Optional.empty();
        }
        segmentStart = segment.dataStart();
        walk(head, segment.dataStart());
        if (info == null && infoAt >= 0) {
            info = element(infoAt, MatroskaCues.INFO);
        }
        if (tracks == null && tracksAt >= 0) {
            tracks = element(tracksAt, MatroskaCues.TRACKS);
        }
        if (info == null || tracks == null) {
            return Optional.empty();
        }
        double duration = duration(info);
        if (duration <= 0) {
            return Optional.empty();
        }
        List<MediaProbe.VideoStream> video = new ArrayList<>();
        List<MediaProbe.AudioStream> audio = new ArrayList<>();
        List<MediaProbe.SubtitleStream> subtitles = new ArrayList<>();
        int[] index = {0};
        Ebml.children(tracks, 0, tracks.length, entry -> {
            if (entry.id() == MatroskaCues.TRACK_ENTRY && index[0] < MAX_TRACKS) {
                MatroskaTrack.add(tracks, entry, index[0]++, video, audio, subtitles);
            }
        });
        if (index[0] == 0) {
            return Optional.empty();
        }
        return Optional.of(new MediaProbe(FORMATS, duration, 0, (long) (size * 8 / duration), video, audio, subtitles));
    }

    /** Top-level elements in the head up to the first Cluster: Info and Tracks, or the SeekHead's pointers to them. */
    private void walk(byte[] head, int from) {
        int pos = from;
        while (pos < head.length) {
            Ebml.Element e = Ebml.header(head, pos, head.length);
            if (e == null || e.size() == Ebml.UNKNOWN || e.id() == MatroskaCues.CLUSTER
                    || e.dataStart() + e.size() > head.length) {
                return;
            }
            if (e.id() == MatroskaCues.INFO) {
                info = java.util.Arrays.copyOfRange(head, e.dataStart(), e.dataEnd());
            } else if (e.id() == MatroskaCues.TRACKS) {
                tracks = java.util.Arrays.copyOfRange(head, e.dataStart(), e.dataEnd());
            } else if (e.id() == MatroskaCues.SEEK_HEAD) {
                seekHead(head, e);
            }
            pos = e.dataEnd();
        }
    }

    private void seekHead(byte[] b, Ebml.Element seekHead) {
        Ebml.children(b, seekHead.dataStart(), seekHead.dataEnd(), seek -> {
            if (seek.id() != MatroskaCues.SEEK) {
                return;
            }
            long[] idAndPosition = {0, -1};
            Ebml.children(b, seek.dataStart(), seek.dataEnd(), c -> {
                if (c.id() == MatroskaCues.SEEK_ID && c.size() <= 4) {
                    idAndPosition[0] = Ebml.uint(b, c);
                } else if (c.id() == MatroskaCues.SEEK_POSITION) {
                    idAndPosition[1] = Ebml.uint(b, c);
                }
            });
            if (idAndPosition[0] == MatroskaCues.INFO && infoAt < 0) {
                infoAt = idAndPosition[1];
            } else if (idAndPosition[0] == MatroskaCues.TRACKS && tracksAt < 0) {
                tracksAt = idAndPosition[1];
            }
        });
    }

    /** The data of the element with this ID at a SeekPosition, at most {@link MatroskaCues#MAX_ELEMENT} bytes. */
    private byte[] element(long position, int expectedId) throws IOException {
        if (position < 0 || position > Long.MAX_VALUE / 2) {
            return null;
        }
        byte[] header = source.read(segmentStart + position, 12);
        Ebml.Element e = Ebml.header(header, 0, header.length);
        if (e == null || e.id() != expectedId || e.size() == Ebml.UNKNOWN || e.size() > MatroskaCues.MAX_ELEMENT) {
            return null;
        }
        byte[] data = source.read(segmentStart + position + e.dataStart(), (int) e.size());
        return data.length == e.size() ? data : null;
    }

    /** Info's Duration (a float in TimecodeScale units) in seconds; 0 when absent. */
    private static double duration(byte[] info) {
        long[] scale = {1_000_000};
        double[] duration = {0};
        Ebml.children(info, 0, info.length, e -> {
            if (e.id() == MatroskaCues.TIMECODE_SCALE) {
                long s = Ebml.uint(info, e);
                if (s > 0 && s <= 1_000_000_000L) {
                    scale[0] = s;
                }
            } else if (e.id() == DURATION) {
                duration[0] = decimal(info, e);
            }
        });
        double seconds = duration[0] * scale[0] / 1e9;
        return Double.isFinite(seconds) && seconds > 0 ? seconds : 0;
    }

    /** A float element (4 or 8 bytes); 0 otherwise. */
    static double decimal(byte[] b, Ebml.Element e) {
        ByteBuffer buffer = ByteBuffer.wrap(b, e.dataStart(), (int) e.size());
        return e.size() == 4 ? buffer.getFloat() : e.size() == 8 ? buffer.getDouble() : 0;
    }

    /** A string element, up to its first NUL, at most 200 characters. */
    static String string(byte[] b, Ebml.Element e) {
        int length = (int) Math.min(e.size(), 200);
        String s = new String(b, e.dataStart(), length, StandardCharsets.UTF_8);
        int nul = s.indexOf('\0');
        return (nul < 0 ? s : s.substring(0, nul)).strip();
    }

    static String lower(String s) {
        return s == null ? null : s.toLowerCase(Locale.ROOT);
    }
}
