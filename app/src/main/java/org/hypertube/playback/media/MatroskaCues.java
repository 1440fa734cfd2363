package org.hypertube.playback.media;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The keyframe times of a Matroska file's first video track, from its Cues: SeekHead (first kilobytes)
 * → Cues (usually at the end, a few KB per hour) → CueTime of each cue point of that track, scaled by
 * TimecodeScale. A handful of small range reads instead of the whole film (Jellyfin's
 * MatroskaKeyframeExtractor does the same). Muxers (ffmpeg, mkvmerge) put a cue on every video keyframe.
 */
final class MatroskaCues {

    static final int EBML = 0x1A45DFA3;
    static final int SEGMENT = 0x18538067;
    static final int SEEK_HEAD = 0x114D9B74;
    static final int SEEK = 0x4DBB;
    static final int SEEK_ID = 0x53AB;
    static final int SEEK_POSITION = 0x53AC;
    static final int INFO = 0x1549A966;
    static final int TIMECODE_SCALE = 0x2AD7B1;
    static final int TRACKS = 0x1654AE6B;
    static final int TRACK_ENTRY = 0xAE;
    static final int TRACK_NUMBER = 0xD7;
    static final int TRACK_TYPE = 0x83;
    static final int CUES = 0x1C53BB6B;
    static final int CUE_POINT = 0xBB;
    static final int CUE_TIME = 0xB3;
    static final int CUE_TRACK_POSITIONS = 0xB7;
    static final int CUE_TRACK = 0xF7;
    static final int CLUSTER = 0x1F43B675;

    static final int HEAD = 64 * 1024;
    static final int MAX_CUES = 16 * 1024 * 1024;
    static final int MAX_ELEMENT = 4 * 1024 * 1024;

    private final ByteSource source;
    private long segmentStart;
    private final Map<Integer, Long> positions = new HashMap<>();
    private long timecodeScale = 1_000_000;
    private long videoTrack = -1;
    private byte[] cues;

    private MatroskaCues(ByteSource source) {
        this.source = source;
    }

    /** Keyframe times in seconds (file timestamps), ascending; empty when the file has no readable Cues. */
    static Optional<double[]> keyframes(ByteSource source) throws IOException {
        return new MatroskaCues(source).read();
    }

    private Optional<double[]> read() throws IOException {
        byte[] head = source.read(0, HEAD);
        Ebml.Element ebml = Ebml.header(head, 0, head.length);
        if (ebml == null || ebml.id() != EBML || ebml.size() == Ebml.UNKNOWN || ebml.dataEnd() > head.length) {
            return Optional.empty();
        }
        Ebml.Element segment = Ebml.header(head, ebml.dataEnd(), head.length);
        if (segment == null || segment.id() != SEGMENT) {
            return Optional.empty();
        }
        segmentStart = segment.dataStart();
        boolean[] infoSeen = {false};
        walkTopLevel(head, segment.dataStart(), infoSeen);
        if (!infoSeen[0] && positions.containsKey(INFO)) {
            readElement(positions.get(INFO), INFO).ifPresent(b -> info(b, 0, b.length));
        }
        if (videoTrack < 0 && positions.containsKey(TRACKS)) {
            readElement(positions.get(TRACKS), TRACKS).ifPresent(b -> tracks(b, 0, b.length));
        }
        if (cues == null && positions.containsKey(CUES)) {
            cues = readElement(positions.get(CUES), CUES).orElse(null);
        }
        if (videoTrack < 0 || cues == null) {
            return Optional.empty();
        }
        List<Long> times = new ArrayList<>();
        Ebml.children(cues, 0, cues.length, point -> {
            if (point.id() != CUE_POINT) {
                return;
            }
            long[] time = {-1};
            boolean[] video = {false};
            Ebml.children(cues, point.dataStart(), point.dataEnd(), c -> {
                if (c.id() == CUE_TIME) {
                    time[0] = Ebml.uint(cues, c);
                } else if (c.id() == CUE_TRACK_POSITIONS) {
                    Ebml.children(cues, c.dataStart(), c.dataEnd(), p -> {
                        if (p.id() == CUE_TRACK && Ebml.uint(cues, p) == videoTrack) {
                            video[0] = true;
                        }
                    });
                }
            });
            if (video[0] && time[0] >= 0) {
                times.add(time[0]);
            }
        });
        if (times.isEmpty()) {
            return Optional.empty();
        }
        double[] seconds = times.stream().sorted().distinct()
                .mapToDouble(t -> t * (double) timecodeScale / 1e9).toArray();
        return Optional.of(seconds);
    }

    /** Top-level elements found in the head: SeekHead, Info, Tracks (and Cues, rarely this early). */
    private void walkTopLevel(byte[] head, int from, boolean[] infoSeen) throws IOException {
        int pos = from;
        List<Long> moreSeekHeads = new ArrayList<>();
        while (pos < head.length) {
            Ebml.Element e = Ebml.header(head, pos, head.length);
            if (e == null || e.size() == Ebml.UNKNOWN || e.id() == CLUSTER) {
                break;
            }
            if (e.dataStart() + e.size() > head.length) {
                break;
            }
            switch (e.id()) {
                case SEEK_HEAD -> seekHead(head, e.dataStart(), e.dataEnd(), moreSeekHeads, pos - segmentStart);
                case INFO -> {
                    info(head, e.dataStart(), e.dataEnd());
                    infoSeen[0] = true;
                }
                case TRACKS -> tracks(head, e.dataStart(), e.dataEnd());
                case CUES -> cues = Arrays.copyOfRange(head, e.dataStart(), e.dataEnd());
                default -> {
                    // Void, Tags, Chapters, Attachments...
                }
            }
            pos = e.dataEnd();
        }
        for (long position : moreSeekHeads) {
            Optional<byte[]> other = readElement(position, SEEK_HEAD);
            if (other.isPresent()) {
                seekHead(other.get(), 0, other.get().length, new ArrayList<>(), position);
            }
        }
    }

    private void seekHead(byte[] b, int from, int to, List<Long> moreSeekHeads, long ownPosition) {
        Ebml.children(b, from, to, seek -> {
            if (seek.id() != SEEK) {
                return;
            }
            int[] id = {0};
            long[] position = {-1};
            Ebml.children(b, seek.dataStart(), seek.dataEnd(), c -> {
                if (c.id() == SEEK_ID && c.size() <= 4) {
                    id[0] = (int) Ebml.uint(b, c);
                } else if (c.id() == SEEK_POSITION) {
                    position[0] = Ebml.uint(b, c);
                }
            });
            if (position[0] < 0) {
                return;
            }
            if (id[0] == SEEK_HEAD) {
                if (position[0] != ownPosition && moreSeekHeads.size() < 2) {
                    moreSeekHeads.add(position[0]);
                }
            } else {
                positions.putIfAbsent(id[0], position[0]);
            }
        });
    }

    private void info(byte[] b, int from, int to) {
        Ebml.children(b, from, to, c -> {
            if (c.id() == TIMECODE_SCALE) {
                long scale = Ebml.uint(b, c);
                if (scale > 0 && scale <= 1_000_000_000L) {
                    timecodeScale = scale;
                }
            }
        });
    }

    private void tracks(byte[] b, int from, int to) {
        Ebml.children(b, from, to, entry -> {
            if (entry.id() != TRACK_ENTRY || videoTrack >= 0) {
                return;
            }
            long[] number = {-1};
            long[] type = {-1};
            Ebml.children(b, entry.dataStart(), entry.dataEnd(), c -> {
                if (c.id() == TRACK_NUMBER) {
                    number[0] = Ebml.uint(b, c);
                } else if (c.id() == TRACK_TYPE) {
                    type[0] = Ebml.uint(b, c);
                }
            });
            if (type[0] == 1 && number[0] > 0) {
                videoTrack = number[0];
            }
        });
    }

    /** The data of the element with this ID at a SeekPosition (relative to the segment's data). */
    private Optional<byte[]> readElement(long position, int expectedId) throws IOException {
        long offset = segmentStart + position;
        byte[] header = source.read(offset, 12);
        Ebml.Element e = Ebml.header(header, 0, header.length);
        int cap = expectedId == CUES ? MAX_CUES : MAX_ELEMENT;
        if (e == null || e.id() != expectedId || e.size() == Ebml.UNKNOWN || e.size() > cap) {
            return Optional.empty();
        }
        byte[] data = source.read(offset + e.dataStart(), (int) e.size());
        return data.length == e.size() ? Optional.of(data) : Optional.empty();
    }
}
