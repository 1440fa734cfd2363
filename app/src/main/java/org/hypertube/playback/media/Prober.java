package org.hypertube.playback.media;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs ffprobe on a film and reads its JSON answer into a {@link MediaProbe}.
 *
 * <p>ffprobe reads at most 5 MB and 5 s of the film ({@code -probesize}/{@code -analyzeduration},
 * PLAYBACK.md §2.6): enough for codecs, sizes and channels of MKV (16 KB) and MP4 (head, or head plus
 * the tail moov), while a bigger probe would wait for pieces the torrent has not got. The URL may block
 * while pieces download, hence the long process timeout; a dead swarm ends ffprobe through
 * {@code -rw_timeout}.
 */
@Component
public class Prober {

    static final int MAX_OUTPUT = 4 * 1024 * 1024;
    static final String PROBE_SIZE = "5000000";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final FfmpegBinaries binaries;
    private final MediaProperties properties;

    public Prober(FfmpegBinaries binaries, MediaProperties properties) {
        this.binaries = binaries;
        this.properties = properties;
    }

    /**
     * Probes a loopback http URL (the stream endpoint, which answers Range requests) or an absolute file path.
     *
     * @throws MediaException when ffprobe fails, times out or finds no stream
     * @throws IllegalArgumentException for any other input
     */
    public MediaProbe probe(String input) {
        boolean url = MediaInput.isUrl(input);
        List<String> args = new ArrayList<>(List.of("-hide_banner", "-v", "error",
                "-probesize", PROBE_SIZE, "-analyzeduration", PROBE_SIZE));
        if (url) {
            args.addAll(List.of("-rw_timeout", "30000000"));
        }
        args.addAll(MediaInput.protocolWhitelist(input));
        args.addAll(List.of("-print_format", "json", "-show_format", "-show_streams", "-i", MediaInput.argument(input)));
        FfmpegBinaries.Result result = binaries.run(binaries.ffprobe(), args, properties.probeTimeout(), MAX_OUTPUT);
        if (result.exitCode() != 0) {
            throw new MediaException("ffprobe failed (exit " + result.exitCode() + ") on " + input + ": "
                    + result.stderr());
        }
        MediaProbe probe = parse(result.stdout());
        if (probe.video().isEmpty() && probe.audio().isEmpty()) {
            throw new MediaException("ffprobe found no audio or video stream in " + input);
        }
        return probe;
    }

    /** Reads ffprobe's {@code -show_format -show_streams} JSON. */
    static MediaProbe parse(byte[] json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JacksonException e) {
            throw new MediaException("ffprobe's answer is not JSON: " + e.getOriginalMessage(), e);
        }
        JsonNode format = root.path("format");
        List<String> formats = text(format, "format_name") == null ? List.of()
                : Arrays.stream(text(format, "format_name").split(",")).map(String::strip).toList();
        List<MediaProbe.VideoStream> video = new ArrayList<>();
        List<MediaProbe.AudioStream> audio = new ArrayList<>();
        List<MediaProbe.SubtitleStream> subtitles = new ArrayList<>();
        JsonNode streams = root.path("streams");
        if (streams.isArray()) {
            for (JsonNode s : streams) {
                int index = integer(s, "index", -1);
                String type = text(s, "codec_type");
                JsonNode disposition = s.path("disposition");
                boolean isDefault = integer(disposition, "default", 0) == 1;
                if (index < 0 || type == null) {
                    continue;
                }
                switch (type) {
                    case "video" -> {
                        if (integer(disposition, "attached_pic", 0) == 0) {
                            video.add(new MediaProbe.VideoStream(index, codec(s), text(s, "profile"),
                                    text(s, "pix_fmt"), integer(s, "width", 0), integer(s, "height", 0),
                                    Math.max(0, integer(s, "level", 0)), Rational.parse(text(s, "r_frame_rate")),
                                    Rational.parse(text(s, "avg_frame_rate")), Math.max(0, integer(s, "has_b_frames", 0))));
                        }
                    }
                    case "audio" -> audio.add(new MediaProbe.AudioStream(index, codec(s), text(s, "profile"),
                            integer(s, "channels", 0), language(s), tag(s, "title"), isDefault));
                    case "subtitle" -> subtitles.add(new MediaProbe.SubtitleStream(index, codec(s), language(s),
                            tag(s, "title"), integer(disposition, "forced", 0) == 1, isDefault));
                    default -> {
                        // data and attachment streams (fonts) do not matter for playback
                    }
                }
            }
        }
        return new MediaProbe(formats, decimal(format, "duration"), signedDecimal(format, "start_time"),
                (long) decimal(format, "bit_rate"), video, audio, subtitles);
    }

    private static String codec(JsonNode stream) {
        String codec = text(stream, "codec_name");
        return codec == null ? "unknown" : codec.toLowerCase(Locale.ROOT);
    }

    private static String language(JsonNode stream) {
        String language = tag(stream, "language");
        return language == null || language.equalsIgnoreCase("und") ? null : language;
    }

    private static String tag(JsonNode stream, String name) {
        JsonNode tags = stream.path("tags");
        if (!tags.isObject()) {
            return null;
        }
        for (var entry : tags.properties()) {
            if (entry.getKey().equalsIgnoreCase(name) && entry.getValue().isValueNode()) {
                String value = entry.getValue().asString().strip();
                return value.isEmpty() ? null : value.length() > 200 ? value.substring(0, 200) : value;
            }
        }
        return null;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull() || !value.isValueNode()) {
            return null;
        }
        String text = value.asString().strip();
        return text.isEmpty() || text.equals("N/A") ? null : text;
    }

    private static int integer(JsonNode node, String field, int dflt) {
        JsonNode value = node.get(field);
        if (value != null && value.isIntegralNumber() && value.canConvertToInt()) {
            return value.asInt();
        }
        String text = text(node, field);
        try {
            return text == null ? dflt : Integer.parseInt(text);
        } catch (NumberFormatException e) {
            return dflt;
        }
    }

    private static double signedDecimal(JsonNode node, String field) {
        String text = text(node, field);
        try {
            double value = text == null ? 0 : Double.parseDouble(text);
            return Double.isFinite(value) ? value : 0;
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static double decimal(JsonNode node, String field) {
        String text = text(node, field);
        try {
            double value = text == null ? 0 : Double.parseDouble(text);
            return Double.isFinite(value) && value > 0 ? value : 0;
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
