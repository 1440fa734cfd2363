package org.hypertube.playback.media;

import java.nio.ByteBuffer;

/**
 * The profile, level and picture format of a video track from its codec configuration record, as
 * ffprobe names them: H.264 {@code avcC} (MP4 box, Matroska CodecPrivate), AV1 {@code av1C} (both),
 * VP9 {@code vpcC} (MP4) or its Matroska CodecPrivate features. A record that is absent or short gives
 * nulls and 0, which {@link Decision} reads as "not told".
 */
final class CodecConfig {

    /** Profile name (or null), picture format (or null) and level (0 when unknown). */
    record Picture(String profile, String pixelFormat, int level) {
        static final Picture UNKNOWN = new Picture(null, null, 0);
    }

    private CodecConfig() {
    }

    /** An AVCDecoderConfigurationRecord: version, profile_idc, constraint flags, level_idc. */
    static Picture avc(ByteBuffer b) {
        int profile = Mp4Boxes.u8(b, 1);
        int constraints = Mp4Boxes.u8(b, 2);
        int level = Mp4Boxes.u8(b, 3);
        if (Mp4Boxes.u8(b, 0) != 1 || level < 0) {
            return Picture.UNKNOWN;
        }
        String name = switch (profile) {
            case 66 -> (constraints & 0x40) != 0 ? "Constrained Baseline" : "Baseline";
            case 77 -> "Main";
            case 88 -> "Extended";
            case 100 -> "High";
            case 110 -> (constraints & 0x10) != 0 ? "High 10 Intra" : "High 10";
            case 122 -> "High 4:2:2";
            case 244 -> "High 4:4:4 Predictive";
            case 44 -> "CAVLC 4:4:4";
            default -> "unknown profile " + profile;
        };
        String pixels = switch (profile) {
            case 66, 77, 88, 100 -> "yuv420p";
            case 110 -> "yuv420p10le";
            case 122 -> "yuv422p";
            case 244, 44 -> "yuv444p";
            default -> "unknown";
        };
        return new Picture(name, pixels, level);
    }

    /** An AV1CodecConfigurationRecord: marker and version, profile and level, depth and chroma bits. */
    static Picture av1(ByteBuffer b) {
        int first = Mp4Boxes.u8(b, 0);
        int second = Mp4Boxes.u8(b, 1);
        int third = Mp4Boxes.u8(b, 2);
        if (first != 0x81 || third < 0) {
            return Picture.UNKNOWN;
        }
        int profile = second >> 5;
        int depth = (third & 0x40) == 0 ? 8 : (third & 0x20) != 0 ? 12 : 10;
        boolean mono = (third & 0x10) != 0;
        boolean x = (third & 0x08) != 0;
        boolean y = (third & 0x04) != 0;
        String chroma = mono ? "gray" : x && y ? "yuv420p" : x ? "yuv422p" : "yuv444p";
        String name = switch (profile) {
            case 0 -> "Main";
            case 1 -> "High";
            case 2 -> "Professional";
            default -> "unknown profile " + profile;
        };
        return new Picture(name, depth == 8 ? chroma : chroma + depth + "le", second & 0x1f);
    }

    /** An MP4 {@code vpcC} box's content (a full box: version and flags first). */
    static Picture vpcc(ByteBuffer b) {
        int profile = Mp4Boxes.u8(b, 4);
        int level = Mp4Boxes.u8(b, 5);
        int bits = Mp4Boxes.u8(b, 6);
        if (bits < 0) {
            return Picture.UNKNOWN;
        }
        return vp9(profile, level, bits >> 4, (bits >> 1) & 0x7);
    }

    /**
     * A Matroska VP9 CodecPrivate: features as (id, length, value); 1 profile, 2 level, 3 bit depth,
     * 4 chroma subsampling. Each is optional.
     */
    static Picture vp9Private(ByteBuffer b) {
        int profile = -1;
        int level = 0;
        int depth = -1;
        int chroma = -1;
        int pos = 0;
        while (pos + 2 < b.limit() && pos < 64) {
            int id = Mp4Boxes.u8(b, pos);
            int length = Mp4Boxes.u8(b, pos + 1);
            if (length != 1) {
                break;
            }
            int value = Mp4Boxes.u8(b, pos + 2);
            switch (id) {
                case 1 -> profile = value;
                case 2 -> level = value;
                case 3 -> depth = value;
                case 4 -> chroma = value;
                default -> {
                    // unknown feature
                }
            }
            pos += 3;
        }
        if (profile < 0 && depth < 0) {
            return Picture.UNKNOWN;
        }
        return vp9(profile, level, depth, chroma);
    }

    private static Picture vp9(int profile, int level, int depth, int chroma) {
        String name = profile >= 0 && profile <= 3 ? "Profile " + profile : null;
        // chroma: 0, 1 = 4:2:0; 2 = 4:2:2; 3 = 4:4:4. Without it, profiles 0 and 2 are 4:2:0.
        int c = chroma >= 0 ? chroma : profile == 0 || profile == 2 ? 1 : profile >= 0 ? 3 : -1;
        int d = depth > 0 ? depth : profile == 0 || profile == 1 ? 8 : -1;
        String base = c < 0 ? null : c <= 1 ? "yuv420p" : c == 2 ? "yuv422p" : "yuv444p";
        String pixels = base == null || d < 0 ? null : d == 8 ? base : base + d + "le";
        return new Picture(name, pixels, Math.max(0, level));
    }
}
