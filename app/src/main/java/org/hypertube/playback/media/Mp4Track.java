package org.hypertube.playback.media;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/** One {@code trak} of an MP4's moov as the stream ffprobe would list (see {@link Mp4Header}). */
final class Mp4Track {

    /** Bytes of a VisualSampleEntry before its child boxes (avcC, vpcC, av1C...). */
    private static final int VISUAL_ENTRY = 78;
    /** Bytes of an AudioSampleEntry (version 0) before its child boxes; QuickTime versions 1 and 2 add 16 and 36. */
    private static final int AUDIO_ENTRY = 28;

    private Mp4Track() {
    }

    static void add(ByteBuffer trak, int index, List<MediaProbe.VideoStream> video, List<MediaProbe.AudioStream> audio,
                    List<MediaProbe.SubtitleStream> subtitles) {
        Mp4Boxes.Box tkhd = Mp4Boxes.child(trak, "tkhd");
        boolean enabled = tkhd != null && (Mp4Boxes.u8(tkhd.data(), 3) & 1) == 1;
        Mp4Boxes.Box mdhd = Mp4Boxes.path(trak, "mdia", "mdhd");
        Mp4Boxes.Box hdlr = Mp4Boxes.path(trak, "mdia", "hdlr");
        Mp4Boxes.Box stbl = Mp4Boxes.path(trak, "mdia", "minf", "stbl");
        if (hdlr == null || stbl == null || hdlr.data().limit() < 12) {
            return; // ffprobe would show a stream of no known kind: nothing Decision looks at
        }
        String handler = fourcc(hdlr.data(), 8);
        Mp4Boxes.Box stsd = Mp4Boxes.child(stbl.data(), "stsd");
        if (stsd == null || stsd.data().limit() < 8) {
            return;
        }
        List<Mp4Boxes.Box> entries = Mp4Boxes.children(stsd.data().slice(8, stsd.data().limit() - 8));
        if (entries.isEmpty()) {
            return;
        }
        Mp4Boxes.Box entry = entries.getFirst();
        String language = mdhd == null ? null : language(mdhd.data());
        switch (handler) {
            case "vide" -> video.add(video(index, entry, mdhd, stbl));
            case "soun" -> audio.add(new MediaProbe.AudioStream(index, audioCodec(entry), null,
                    Math.max(0, Mp4Boxes.u16(entry.data(), 16)), language, null, enabled));
            case "sbtl", "text", "subt", "clcp" -> subtitles.add(new MediaProbe.SubtitleStream(index,
                    subtitleCodec(entry.type()), language, null, false, enabled));
            default -> {
                // hint, meta, tmcd tracks
            }
        }
    }

    private static MediaProbe.VideoStream video(int index, Mp4Boxes.Box entry, Mp4Boxes.Box mdhd, Mp4Boxes.Box stbl) {
        ByteBuffer e = entry.data();
        int width = Math.max(0, Mp4Boxes.u16(e, 24));
        int height = Math.max(0, Mp4Boxes.u16(e, 26));
        ByteBuffer config = e.limit() > VISUAL_ENTRY ? e.slice(VISUAL_ENTRY, e.limit() - VISUAL_ENTRY) : ByteBuffer.allocate(0);
        String codec;
        CodecConfig.Picture picture = CodecConfig.Picture.UNKNOWN;
        switch (entry.type()) {
            case "avc1", "avc3" -> {
                codec = "h264";
                Mp4Boxes.Box avcc = Mp4Boxes.child(config, "avcC");
                picture = avcc == null ? picture : CodecConfig.avc(avcc.data());
            }
            case "hvc1", "hev1" -> codec = "hevc";
            case "vp09" -> {
                codec = "vp9";
                Mp4Boxes.Box vpcc = Mp4Boxes.child(config, "vpcC");
                picture = vpcc == null ? picture : CodecConfig.vpcc(vpcc.data());
            }
            case "vp08" -> codec = "vp8";
            case "av01" -> {
                codec = "av1";
                Mp4Boxes.Box av1c = Mp4Boxes.child(config, "av1C");
                picture = av1c == null ? picture : CodecConfig.av1(av1c.data());
            }
            case "mp4v" -> codec = "mpeg4";
            default -> codec = "unknown";
        }
        Rational rate = frameRate(mdhd, stbl);
        boolean reordered = Mp4Boxes.child(stbl.data(), "ctts") != null;
        return new MediaProbe.VideoStream(index, codec, picture.profile(), picture.pixelFormat(), width, height,
                picture.level(), rate, rate, reordered ? 1 : 0);
    }

    /** The media timescale over the first time-to-sample delta: the frame rate of most files. */
    private static Rational frameRate(Mp4Boxes.Box mdhd, Mp4Boxes.Box stbl) {
        Mp4Boxes.Box stts = Mp4Boxes.child(stbl.data(), "stts");
        if (mdhd == null || stts == null || stts.data().limit() < 16) {
            return null;
        }
        long timescale = Mp4Boxes.timescaleAndDuration(mdhd.data())[0];
        long delta = Integer.toUnsignedLong(stts.data().getInt(12));
        return timescale > 0 && delta > 0 ? Rational.parse(timescale + "/" + delta) : null;
    }

    private static String audioCodec(Mp4Boxes.Box entry) {
        return switch (entry.type()) {
            case "mp4a" -> esdsCodec(entry.data());
            case ".mp3" -> "mp3";
            case "Opus" -> "opus";
            case "fLaC" -> "flac";
            case "ac-3" -> "ac3";
            case "ec-3" -> "eac3";
            case "alac" -> "alac";
            case "dtsc", "dtsh", "dtsl" -> "dts";
            default -> "unknown";
        };
    }

    /** The codec of an {@code mp4a} entry from its elementary stream descriptor's object type. */
    private static String esdsCodec(ByteBuffer entry) {
        int version = Mp4Boxes.u16(entry, 8);
        int skip = AUDIO_ENTRY + (version == 1 ? 16 : version == 2 ? 36 : 0);
        if (entry.limit() <= skip) {
            return "unknown";
        }
        ByteBuffer children = entry.slice(skip, entry.limit() - skip);
        Mp4Boxes.Box esds = Mp4Boxes.child(children, "esds");
        if (esds == null) {
            Mp4Boxes.Box wave = Mp4Boxes.child(children, "wave");
            esds = wave == null ? null : Mp4Boxes.child(wave.data(), "esds");
        }
        if (esds == null) {
            return "unknown";
        }
        int objectType = objectType(esds.data());
        return switch (objectType) {
            case 0x40, 0x66, 0x67, 0x68 -> "aac";
            case 0x69, 0x6B -> "mp3";
            case 0xA5 -> "ac3";
            case 0xA6 -> "eac3";
            case 0xA9, 0xAC -> "dts";
            case 0xDD -> "vorbis";
            default -> "unknown";
        };
    }

    /** The objectTypeIndication of the DecoderConfigDescriptor in an esds box's ES_Descriptor; -1 if absent. */
    static int objectType(ByteBuffer esds) {
        int pos = 4; // version and flags
        if (Mp4Boxes.u8(esds, pos) != 0x03) {
            return -1;
        }
        pos = skipLength(esds, pos + 1);
        if (pos < 0 || pos + 3 > esds.limit()) {
            return -1;
        }
        int flags = Mp4Boxes.u8(esds, pos + 2);
        pos += 3;
        if ((flags & 0x80) != 0) {
            pos += 2;
        }
        if ((flags & 0x40) != 0) {
            int urlLength = Mp4Boxes.u8(esds, pos);
            pos += 1 + Math.max(0, urlLength);
        }
        if ((flags & 0x20) != 0) {
            pos += 2;
        }
        if (Mp4Boxes.u8(esds, pos) != 0x04) {
            return -1;
        }
        pos = skipLength(esds, pos + 1);
        return pos < 0 ? -1 : Mp4Boxes.u8(esds, pos);
    }

    /** Past a descriptor's size (1 to 4 bytes, 7 bits each); -1 when it runs off the end. */
    private static int skipLength(ByteBuffer b, int pos) {
        for (int i = 0; i < 4; i++) {
            int v = Mp4Boxes.u8(b, pos++);
            if (v < 0) {
                return -1;
            }
            if ((v & 0x80) == 0) {
                return pos;
            }
        }
        return pos;
    }

    private static String subtitleCodec(String type) {
        return switch (type) {
            case "tx3g", "text" -> "mov_text";
            case "wvtt" -> "webvtt";
            case "c608" -> "eia_608";
            case "stpp" -> "ttml";
            default -> "unknown";
        };
    }

    /** The mdhd's packed ISO 639-2/T language (three 5-bit letters); null for "und" or a QuickTime code. */
    private static String language(ByteBuffer mdhd) {
        boolean wide = Mp4Boxes.u8(mdhd, 0) == 1;
        int packed = Mp4Boxes.u16(mdhd, wide ? 32 : 20);
        if (packed < 0x400) {
            return null;
        }
        char[] c = {(char) (((packed >> 10) & 0x1f) + 0x60), (char) (((packed >> 5) & 0x1f) + 0x60),
                (char) ((packed & 0x1f) + 0x60)};
        String language = new String(c).toLowerCase(Locale.ROOT);
        return language.equals("und") || !language.matches("[a-z]{3}") ? null : language;
    }

    private static String fourcc(ByteBuffer b, int at) {
        byte[] type = new byte[4];
        b.get(at, type);
        return new String(type, StandardCharsets.ISO_8859_1);
    }
}
