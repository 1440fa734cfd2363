package org.hypertube.playback.subtitle;

import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Any text subtitle we meet (SRT, WebVTT, ASS/SSA, MicroDVD {@code .sub}) as one normalised WebVTT
 * file: detected charset (see {@link SubtitleCharset}), {@code HH:MM:SS.mmm} times kept absolute,
 * cues sorted by start (overlaps kept, as WebVTT allows), cues ending before they start dropped,
 * text escaped with only balanced {@code <i> <b> <u>} left. Bounded: a file over the size cap, with
 * more cues than the cap, or with nothing readable is a {@link SubtitleException}, never a partial
 * page. The format is told by the content; the file name only names the file in messages.
 *
 * <p>No {@code shift}: times stay absolute everywhere (sidecars, OpenSubtitles, ffmpeg windows with
 * {@code -copyts}), so nothing needs moving.
 */
public final class WebVtt {

    public static final long DEFAULT_MAX_BYTES = 2L << 20;
    public static final int DEFAULT_MAX_CUES = 20_000;
    /** Later than any film: a time past it is a typo, its cue is dropped. */
    static final long MAX_TIME_MILLIS = 100L * 3600_000 - 1;

    /** What was read. */
    public enum Format { SRT, WEBVTT, ASS, MICRODVD }

    /** A converted file: its cues (sorted) and how it was read. */
    public record Result(Format format, Charset charset, List<Cue> cues) {

        public Result {
            cues = List.copyOf(cues);
        }

        /** The WebVTT text. */
        public String vtt() {
            return render(cues);
        }
    }

    private static final String TIME = "(?:(\\d{1,3})\\s*:\\s*)?(\\d{1,2})\\s*:\\s*(\\d{1,2})(?:\\s*[,.:]\\s*(\\d{1,3}))?";
    private static final Pattern TIMING = Pattern.compile("^\\s*" + TIME + "\\s*-{1,2}>\\s*" + TIME + "(.*)$");
    private static final Pattern NUMBER_LINE = Pattern.compile("^\\s*\\d+\\s*$");
    private static final Pattern ASS_SECTIONS = Pattern.compile("(?im)^[ \\t]*(\\[(script info|events|v4\\+? styles)]|dialogue[ \\t]*:)");
    private static final Pattern ASS_TIME = Pattern.compile("^\\s*(\\d{1,2}):(\\d{1,2}):(\\d{1,2})(?:[.,](\\d{1,3}))?\\s*$");
    private static final Pattern MICRODVD_LINE = Pattern.compile("^\\s*\\{(\\d{1,9})}\\{(\\d{0,9})}(.*)$");
    private static final Pattern MICRODVD_CODE = Pattern.compile("\\{([a-zA-Z]):([^}]*)}");
    private static final Pattern DRAWING = Pattern.compile("\\\\p(\\d+)");
    private static final double DEFAULT_FPS = 23.976;

    private final long maxBytes;
    private final int maxCues;

    public WebVtt(long maxBytes, int maxCues) {
        if (maxBytes < 1 || maxCues < 1) {
            throw new IllegalArgumentException("subtitle limits must be positive");
        }
        this.maxBytes = maxBytes;
        this.maxCues = maxCues;
    }

    /** 2 MiB and 20 000 cues. */
    public static WebVtt withDefaults() {
        return new WebVtt(DEFAULT_MAX_BYTES, DEFAULT_MAX_CUES);
    }

    public long maxBytes() {
        return maxBytes;
    }

    /** The subtitle file as normalised WebVTT. */
    public String toWebVtt(byte[] data, String fileName) throws SubtitleException {
        return parse(data, fileName).vtt();
    }

    /** The subtitle file's cues; see the class comment for what is refused. */
    public Result parse(byte[] data, String fileName) throws SubtitleException {
        return parse(data, fileName, false);
    }

    /**
     * The subtitle file's cues; with {@code emptyAllowed} a file of a known format without any cue
     * (an embedded track with nothing in the part read) is an empty result rather than an error.
     */
    public Result parse(byte[] data, String fileName, boolean emptyAllowed) throws SubtitleException {
        String name = fileName == null || fileName.isBlank() ? "subtitle" : fileName;
        if (data.length > maxBytes) {
            throw new SubtitleException(name + " is " + data.length + " bytes, over the " + maxBytes + "-byte limit for subtitles");
        }
        Charset charset = SubtitleCharset.detect(data);
        String text = SubtitleCharset.decode(data);
        Format format = format(text);
        if (format == null) {
            throw new SubtitleException(name + " is not a subtitle format we read (SRT, WebVTT, ASS/SSA, MicroDVD)");
        }
        Cues cues = new Cues(name);
        switch (format) {
            case SRT -> srt(text, cues);
            case WEBVTT -> webVtt(text, cues);
            case ASS -> ass(text, cues);
            case MICRODVD -> microDvd(text, cues);
        }
        if (cues.list.isEmpty() && !emptyAllowed) {
            throw new SubtitleException(name + " has no readable " + format + " cue");
        }
        List<Cue> sorted = new ArrayList<>(cues.list);
        sorted.sort(Comparator.comparingLong(Cue::startMillis).thenComparingLong(Cue::endMillis));
        return new Result(format, charset, sorted);
    }

    /** WebVTT text of cues, in the given order. */
    public static String render(List<Cue> cues) {
        StringBuilder out = new StringBuilder("WEBVTT\n\n");
        for (Cue cue : cues) {
            out.append(timestamp(cue.startMillis())).append(" --> ").append(timestamp(cue.endMillis())).append('\n')
                    .append(cue.text()).append("\n\n");
        }
        return out.toString();
    }

    /** {@code HH:MM:SS.mmm}. */
    public static String timestamp(long millis) {
        long h = millis / 3600_000;
        long m = millis / 60_000 % 60;
        long s = millis / 1000 % 60;
        long ms = millis % 1000;
        return String.format(Locale.ROOT, "%02d:%02d:%02d.%03d", h, m, s, ms);
    }

    private static Format format(String text) {
        String start = text.stripLeading();
        if (start.startsWith("WEBVTT") && (start.length() == 6 || Character.isWhitespace(start.charAt(6)))) {
            return Format.WEBVTT;
        }
        if (ASS_SECTIONS.matcher(text).find()) {
            return Format.ASS;
        }
        String first = start.lines().findFirst().orElse("");
        if (MICRODVD_LINE.matcher(first).matches()) {
            return Format.MICRODVD;
        }
        if (text.lines().anyMatch(l -> timing(l) != null)) {
            return Format.SRT;
        }
        return null;
    }

    /** Collects cues, refusing more than the cap. */
    private final class Cues {
        final String name;
        final List<Cue> list = new ArrayList<>();

        Cues(String name) {
            this.name = name;
        }

        void add(long start, long end, String text) throws SubtitleException {
            if (start < 0 || end <= start || end > MAX_TIME_MILLIS || text.isEmpty()) {
                return;
            }
            if (list.size() >= maxCues) {
                throw new SubtitleException(name + " has more than " + maxCues + " cues");
            }
            list.add(new Cue(start, end, text));
        }
    }

    private static long millis(String hours, String minutes, String seconds, String fraction) {
        long h = hours == null ? 0 : Long.parseLong(hours);
        long m = Long.parseLong(minutes);
        long s = Long.parseLong(seconds);
        long ms = 0;
        if (fraction != null) {
            String padded = (fraction + "00").substring(0, 3);
            ms = Long.parseLong(padded);
        }
        return ((h * 60 + m) * 60 + s) * 1000 + ms;
    }

    private record Timing(long start, long end) {
    }

    private static Timing timing(String line) {
        if (!line.contains("->")) {
            return null; // most lines: no regex
        }
        Matcher m = TIMING.matcher(line);
        if (!m.matches()) {
            return null;
        }
        return new Timing(millis(m.group(1), m.group(2), m.group(3), m.group(4)),
                millis(m.group(5), m.group(6), m.group(7), m.group(8)));
    }

    /**
     * SRT, read leniently: a cue is a timing line and the lines up to the next timing line, less the
     * blank lines and the cue number just before the next timing (so missing or extra blank lines do
     * not lose cues).
     */
    private static void srt(String text, Cues cues) throws SubtitleException {
        Timing current = null;
        List<String> lines = new ArrayList<>();
        for (String line : text.split("\n", -1)) {
            Timing next = timing(line);
            if (next == null) {
                if (current != null) {
                    lines.add(line);
                }
                continue;
            }
            if (current != null) {
                srtCue(current, lines, true, cues);
            }
            current = next;
            lines.clear();
        }
        if (current != null) {
            srtCue(current, lines, false, cues);
        }
    }

    private static void srtCue(Timing timing, List<String> lines, boolean numberFollows, Cues cues) throws SubtitleException {
        int end = lines.size();
        while (end > 0 && lines.get(end - 1).isBlank()) {
            end--;
        }
        if (numberFollows && end > 0 && NUMBER_LINE.matcher(lines.get(end - 1)).matches()) {
            end--;
        }
        CueText text = new CueText();
        for (int i = 0; i < end; i++) {
            if (i > 0) {
                text.newline();
            }
            text.markup(lines.get(i), false);
        }
        cues.add(timing.start(), timing.end(), text.build());
    }

    /** WebVTT: blocks split by blank lines; blocks without a timing line (header, NOTE, STYLE, REGION) skipped. */
    private static void webVtt(String text, Cues cues) throws SubtitleException {
        for (String block : text.split("\n[ \t]*\n")) {
            String[] lines = block.split("\n");
            int at = 0;
            while (at < lines.length && !lines[at].contains("-->")) {
                at++;
            }
            if (at >= lines.length || at > 1 || (lines[0].startsWith("NOTE") && at > 0)) {
                continue;
            }
            Timing timing = timing(lines[at]);
            if (timing == null) {
                continue;
            }
            CueText cueText = new CueText();
            for (int i = at + 1; i < lines.length; i++) {
                if (i > at + 1) {
                    cueText.newline();
                }
                cueText.markup(lines[i], true);
            }
            cues.add(timing.start(), timing.end(), cueText.build());
        }
    }

    private record AssStyle(boolean bold, boolean italic, boolean underline) {
    }

    /**
     * ASS/SSA: the {@code [Events]} section's {@code Dialogue} lines with the field order of its
     * {@code Format} line (the ASS default without one); the text field takes the rest of the line.
     * Styles that are italic, bold or underlined apply to their lines; override blocks keep only
     * italic, bold and underline switches ({@code \r} resets), drawings ({@code \p1}...{@code \p0}) are dropped.
     */
    private static void ass(String text, Cues cues) throws SubtitleException {
        String section = "";
        List<String> eventFormat = List.of("layer", "start", "end", "style", "name", "marginl", "marginr", "marginv", "effect", "text");
        List<String> styleFormat = List.of();
        Map<String, AssStyle> styles = new HashMap<>();
        for (String raw : text.split("\n")) {
            String line = raw.strip();
            if (line.startsWith("[") && line.endsWith("]")) {
                section = line.substring(1, line.length() - 1).strip().toLowerCase(Locale.ROOT);
                continue;
            }
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String key = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1);
            if (section.endsWith("styles")) {
                if (key.equals("format")) {
                    styleFormat = fields(value, Integer.MAX_VALUE).stream().map(f -> f.toLowerCase(Locale.ROOT)).toList();
                } else if (key.equals("style") && !styleFormat.isEmpty()) {
                    List<String> f = fields(value, styleFormat.size());
                    String name = field(f, styleFormat, "name");
                    if (name != null) {
                        styles.put(name.strip(), new AssStyle(flag(field(f, styleFormat, "bold")),
                                flag(field(f, styleFormat, "italic")), flag(field(f, styleFormat, "underline"))));
                    }
                }
            } else if (section.equals("events")) {
                if (key.equals("format")) {
                    eventFormat = fields(value, Integer.MAX_VALUE).stream().map(f -> f.toLowerCase(Locale.ROOT)).toList();
                } else if (key.equals("dialogue")) {
                    List<String> f = fields(value, eventFormat.size());
                    if (f.size() < eventFormat.size()) {
                        continue;
                    }
                    Long start = assTime(field(f, eventFormat, "start"));
                    Long end = assTime(field(f, eventFormat, "end"));
                    String body = field(f, eventFormat, "text");
                    String styleName = field(f, eventFormat, "style");
                    if (start == null || end == null || body == null) {
                        continue;
                    }
                    AssStyle style = styles.get(styleName == null ? "" : styleName.strip().replaceFirst("^\\*", ""));
                    cues.add(start, end, assText(body, style));
                }
            }
        }
    }

    private static boolean flag(String value) {
        return value != null && (value.strip().equals("-1") || value.strip().equals("1"));
    }

    /** Comma-separated fields, at most {@code limit}, the last taking the rest of the line. */
    private static List<String> fields(String value, int limit) {
        List<String> out = new ArrayList<>();
        int at = 0;
        while (out.size() < limit - 1) {
            int comma = value.indexOf(',', at);
            if (comma < 0) {
                break;
            }
            out.add(value.substring(at, comma).strip());
            at = comma + 1;
        }
        String rest = value.substring(at);
        out.add(out.size() == limit - 1 ? rest : rest.strip());
        return out;
    }

    private static String field(List<String> fields, List<String> format, String name) {
        int i = format.indexOf(name);
        return i < 0 || i >= fields.size() ? null : fields.get(i);
    }

    private static Long assTime(String value) {
        if (value == null) {
            return null;
        }
        Matcher m = ASS_TIME.matcher(value);
        return m.matches() ? millis(m.group(1), m.group(2), m.group(3), m.group(4)) : null;
    }

    private static void applyStyle(CueText text, AssStyle style) {
        if (style == null) {
            return;
        }
        if (style.bold()) {
            text.open('b');
        }
        if (style.italic()) {
            text.open('i');
        }
        if (style.underline()) {
            text.open('u');
        }
    }

    static String assText(String body, AssStyle style) {
        CueText text = new CueText();
        applyStyle(text, style);
        boolean drawing = false;
        StringBuilder literal = new StringBuilder();
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (c == '{') {
                int close = body.indexOf('}', i);
                if (close > i) {
                    if (!drawing) {
                        text.text(literal.toString());
                    }
                    literal.setLength(0);
                    String block = body.substring(i + 1, close);
                    if (block.contains("\\r")) {
                        text.closeAll();
                        applyStyle(text, style);
                    }
                    text.overrides(block);
                    Matcher p = DRAWING.matcher(block);
                    while (p.find()) {
                        drawing = !p.group(1).equals("0");
                    }
                    i = close;
                    continue;
                }
            }
            if (c == '\\' && i + 1 < body.length()) {
                char n = body.charAt(i + 1);
                if (n == 'N' || n == 'n') {
                    literal.append('\n');
                    i++;
                    continue;
                }
                if (n == 'h') {
                    literal.append(' ');
                    i++;
                    continue;
                }
            }
            literal.append(c);
        }
        if (!drawing) {
            text.text(literal.toString());
        }
        return text.build();
    }

    /**
     * MicroDVD: {@code {start}{end}text} in frames; a first line {@code {1}{1}23.976} (or {@code {0}{0}25})
     * gives the frame rate, else 23.976. {@code |} breaks lines; {@code {y:i}} (this line) and
     * {@code {Y:i}} (the cue) make italic, bold or underlined text, a leading {@code /} italic;
     * other control codes are dropped. A cue without an end lasts until three seconds later.
     */
    private static void microDvd(String text, Cues cues) throws SubtitleException {
        double fps = DEFAULT_FPS;
        boolean first = true;
        for (String line : text.split("\n")) {
            Matcher m = MICRODVD_LINE.matcher(line);
            if (!m.matches()) {
                continue;
            }
            long startFrame = Long.parseLong(m.group(1));
            String body = m.group(3).strip();
            if (first) {
                first = false;
                if (startFrame <= 1 && body.matches("\\d{1,3}(\\.\\d{1,6})?")) {
                    double declared = Double.parseDouble(body);
                    if (declared >= 1 && declared <= 300) {
                        fps = declared;
                        continue;
                    }
                }
            }
            long start = Math.round(startFrame * 1000 / fps);
            long end = m.group(2).isEmpty() ? start + 3000 : Math.round(Long.parseLong(m.group(2)) * 1000 / fps);
            cues.add(start, end, microDvdText(body));
        }
    }

    private static String microDvdText(String body) {
        CueText text = new CueText();
        String remaining = body;
        Matcher cueCodes = MICRODVD_CODE.matcher(remaining);
        while (cueCodes.lookingAt() && Character.isUpperCase(cueCodes.group(1).charAt(0))) {
            if (cueCodes.group(1).equals("Y")) {
                styles(text, cueCodes.group(2));
            }
            remaining = remaining.substring(cueCodes.end());
            cueCodes = MICRODVD_CODE.matcher(remaining);
        }
        String[] lines = remaining.split("\\|");
        for (int i = 0; i < lines.length; i++) {
            if (i > 0) {
                text.newline();
            }
            String line = lines[i].strip();
            List<Character> lineStyles = new ArrayList<>();
            Matcher code = MICRODVD_CODE.matcher(line);
            StringBuilder plain = new StringBuilder();
            int at = 0;
            while (code.find()) {
                plain.append(line, at, code.start());
                if (code.group(1).equals("y") || (code.group(1).equals("Y") && code.start() == 0)) {
                    for (char s : code.group(2).toLowerCase(Locale.ROOT).toCharArray()) {
                        if ((s == 'i' || s == 'b' || s == 'u') && !text.isOpen(s)) {
                            lineStyles.add(s);
                        }
                    }
                }
                at = code.end();
            }
            plain.append(line.substring(at));
            String lineText = plain.toString().strip();
            if (lineText.startsWith("/")) {
                lineText = lineText.substring(1);
                if (!text.isOpen('i')) {
                    lineStyles.add('i');
                }
            }
            lineStyles.forEach(text::open);
            text.text(lineText);
            lineStyles.forEach(text::close);
        }
        return text.build();
    }

    private static void styles(CueText text, String codes) {
        for (char s : codes.toLowerCase(Locale.ROOT).toCharArray()) {
            if (s == 'i' || s == 'b' || s == 'u') {
                text.open(s);
            }
        }
    }
}
