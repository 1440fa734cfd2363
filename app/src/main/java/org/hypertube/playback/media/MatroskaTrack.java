package org.hypertube.playback.media;

import java.nio.ByteBuffer;
import java.util.List;

/** One Matroska TrackEntry as the stream ffprobe would list (see {@link MatroskaHeader}). */
final class MatroskaTrack {

    private MatroskaTrack() {
    }

    static void add(byte[] b, Ebml.Element entry, int index, List<MediaProbe.VideoStream> video,
                    List<MediaProbe.AudioStream> audio, List<MediaProbe.SubtitleStream> subtitles) {
        long[] type = {-1};
        String[] codecId = {null};
        // Matroska's defaults: a track is default unless told not, and English unless told otherwise.
        String[] language = {"eng"};
        String[] name = {null};
        boolean[] flags = {true, false}; // default, forced
        Ebml.Element[] codecPrivate = {null};
        long[] picture = {0, 0};
        long[] channels = {0};
        Ebml.children(b, entry.dataStart(), entry.dataEnd(), c -> {
            switch (c.id()) {
                case MatroskaCues.TRACK_TYPE -> type[0] = Ebml.uint(b, c);
                case MatroskaHeader.CODEC_ID -> codecId[0] = MatroskaHeader.string(b, c);
                case MatroskaHeader.LANGUAGE -> language[0] = MatroskaHeader.lower(MatroskaHeader.string(b, c));
                case MatroskaHeader.NAME -> name[0] = MatroskaHeader.string(b, c);
                case MatroskaHeader.FLAG_DEFAULT -> flags[0] = Ebml.uint(b, c) == 1;
                case MatroskaHeader.FLAG_FORCED -> flags[1] = Ebml.uint(b, c) == 1;
                case MatroskaHeader.CODEC_PRIVATE -> codecPrivate[0] = c;
                case MatroskaHeader.VIDEO -> Ebml.children(b, c.dataStart(), c.dataEnd(), v -> {
                    if (v.id() == MatroskaHeader.PIXEL_WIDTH) {
                        picture[0] = Ebml.uint(b, v);
                    } else if (v.id() == MatroskaHeader.PIXEL_HEIGHT) {
                        picture[1] = Ebml.uint(b, v);
                    }
                });
                case MatroskaHeader.AUDIO -> Ebml.children(b, c.dataStart(), c.dataEnd(), a -> {
                    if (a.id() == MatroskaHeader.CHANNELS) {
                        channels[0] = Ebml.uint(b, a);
                    }
                });
                default -> {
                    // TrackNumber, TrackUID, CodecDelay...
                }
            }
        });
        if (codecId[0] == null) {
            return;
        }
        String id = codecId[0];
        String lang = language[0] == null || language[0].isEmpty() || language[0].equals("und") ? null : language[0];
        String title = name[0] == null || name[0].isEmpty() ? null : name[0];
        ByteBuffer config = codecPrivate[0] == null ? ByteBuffer.allocate(0)
                : ByteBuffer.wrap(b, codecPrivate[0].dataStart(), (int) codecPrivate[0].size()).slice();
        switch ((int) type[0]) {
            case 1 -> {
                String codec = videoCodec(id);
                CodecConfig.Picture p = switch (codec) {
                    case "h264" -> CodecConfig.avc(config);
                    case "av1" -> CodecConfig.av1(config);
                    case "vp9" -> CodecConfig.vp9Private(config);
                    default -> CodecConfig.Picture.UNKNOWN;
                };
                video.add(new MediaProbe.VideoStream(index, codec, p.profile(), p.pixelFormat(),
                        (int) Math.min(65_535, picture[0]), (int) Math.min(65_535, picture[1]), p.level(), null, null,
                        reorders(codec, p.profile()) ? 1 : 0));
            }
            case 2 -> audio.add(new MediaProbe.AudioStream(index, audioCodec(id), null, (int) Math.min(64, channels[0] == 0 ? 1 : channels[0]),
                    lang, title, flags[0]));
            case 17 -> subtitles.add(new MediaProbe.SubtitleStream(index, subtitleCodec(id), lang, title, flags[1], flags[0]));
            default -> {
                // buttons, logo, complex tracks
            }
        }
    }

    static String videoCodec(String id) {
        return switch (id) {
            case "V_MPEG4/ISO/AVC" -> "h264";
            case "V_MPEGH/ISO/HEVC" -> "hevc";
            case "V_VP8" -> "vp8";
            case "V_VP9" -> "vp9";
            case "V_AV1" -> "av1";
            case "V_MPEG4/ISO/ASP", "V_MPEG4/ISO/SP", "V_MPEG4/ISO/AP" -> "mpeg4";
            case "V_MPEG2" -> "mpeg2video";
            case "V_MPEG1" -> "mpeg1video";
            default -> "unknown";
        };
    }

    static String audioCodec(String id) {
        if (id.startsWith("A_AAC")) {
            return "aac";
        }
        return switch (id) {
            case "A_AC3" -> "ac3";
            case "A_EAC3" -> "eac3";
            case "A_DTS" -> "dts";
            case "A_OPUS" -> "opus";
            case "A_VORBIS" -> "vorbis";
            case "A_FLAC" -> "flac";
            case "A_MPEG/L3" -> "mp3";
            case "A_MPEG/L2" -> "mp2";
            case "A_TRUEHD" -> "truehd";
            default -> "unknown";
        };
    }

    static String subtitleCodec(String id) {
        return switch (id) {
            case "S_TEXT/UTF8", "S_TEXT/ASCII" -> "subrip";
            case "S_TEXT/ASS", "S_TEXT/SSA", "S_ASS", "S_SSA" -> "ass";
            case "S_TEXT/WEBVTT" -> "webvtt";
            case "S_HDMV/PGS" -> "hdmv_pgs_subtitle";
            case "S_VOBSUB" -> "dvd_subtitle";
            case "S_DVBSUB" -> "dvb_subtitle";
            default -> "unknown";
        };
    }

    /**
     * Whether ffmpeg will see the video as reordered (has_b_frames &gt; 0), which moves its Matroska seeks
     * ({@link HlsCommand#DTS_HEURISTIC}): H.264 other than Baseline, as x264 and every film encoder writes
     * it by default (the exact count is in the SPS's VUI, not read here); VP9 and AV1 are never reordered.
     */
    static boolean reorders(String codec, String profile) {
        return "h264".equals(codec) && profile != null && !profile.contains("Baseline");
    }
}
