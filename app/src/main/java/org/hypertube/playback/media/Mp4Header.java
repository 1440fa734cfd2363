package org.hypertube.playback.media;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What an MP4/MOV file's {@code moov} box says, as ffprobe would say it: the codecs, sizes, channels,
 * languages and duration of its tracks (one stream per {@code trak}, in order, as the mov demuxer
 * numbers them). Enough for {@link Decision}; a track or file it cannot name gives "unknown" (ffprobe
 * then decides). The top-level boxes are walked by their headers as {@link Mp4SyncSamples} does, then
 * only moov is read, at most {@link #MAX_MOOV} bytes.
 */
final class Mp4Header {

    static final int MAX_MOOV = 16 * 1024 * 1024;
    static final int MAX_TRACKS = 64;
    static final List<String> FORMATS = List.of("mov", "mp4", "m4a", "3gp", "3g2", "mj2");

    private Mp4Header() {
    }

    /** The file's streams, or empty when this is not an MP4 whose moov this reader can read. */
    static Optional<MediaProbe> read(ByteSource source) throws IOException {
        long size = source.size();
        Optional<ByteBuffer> moov = Mp4Boxes.moov(source, MAX_MOOV, true);
        return moov.isEmpty() ? Optional.empty() : parseMoov(moov.get(), size);
    }

    static Optional<MediaProbe> parseMoov(ByteBuffer moov, long fileSize) {
        long[] movie = {0, 0}; // timescale, duration
        List<MediaProbe.VideoStream> video = new ArrayList<>();
        List<MediaProbe.AudioStream> audio = new ArrayList<>();
        List<MediaProbe.SubtitleStream> subtitles = new ArrayList<>();
        int index = 0;
        Mp4Boxes.Box mvex = null;
        for (Mp4Boxes.Box box : Mp4Boxes.children(moov)) {
            switch (box.type()) {
                case "mvhd" -> movie = Mp4Boxes.timescaleAndDuration(box.data());
                case "mvex" -> mvex = box;
                case "trak" -> {
                    if (index >= MAX_TRACKS) {
                        return Optional.empty();
                    }
                    Mp4Track.add(box.data(), index++, video, audio, subtitles);
                }
                default -> {
                    // udta, meta, iods...
                }
            }
        }
        long units = movie[1];
        if (units <= 0 && mvex != null) {
            Mp4Boxes.Box mehd = Mp4Boxes.child(mvex.data(), "mehd");
            units = mehd == null ? 0 : Mp4Boxes.fragmentDuration(mehd.data());
        }
        double duration = movie[0] > 0 && units > 0 ? (double) units / movie[0] : 0;
        if (duration <= 0 || index == 0) {
            return Optional.empty();
        }
        long bitRate = (long) (fileSize * 8 / duration);
        return Optional.of(new MediaProbe(FORMATS, duration, 0, bitRate, video, audio, subtitles));
    }
}
