package org.hypertube.playback.subtitle;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Builds WebVTT cue text from a parser's pieces: literal text (escaped here), the only styling kept
 * ({@code <i> <b> <u>}, balanced), line breaks. Lines are trimmed, blank lines dropped (a blank
 * line would end the cue), the whole bounded in lines and characters.
 */
final class CueText {

    static final int MAX_LINES = 12;
    static final int MAX_CHARS = 1000;

    /** HTML-like tags in SRT and WebVTT cue text: {@code <i>}, {@code </font>}, {@code <c.yellow>}, {@code <00:01.000>}. */
    private static final Pattern TAG = Pattern.compile("<(/?)([a-zA-Z][a-zA-Z0-9]*)((?:[.\\s][^<>]*)?)>|<(\\d[\\d:.]*)>");
    /** Tags whose markup is dropped and text kept; anything else that looks like a tag stays literal text. */
    private static final java.util.Set<String> DROPPED = java.util.Set.of(
            "font", "c", "v", "span", "lang", "ruby", "rt", "s", "strike", "em", "strong", "small", "big", "sub", "sup", "br");
    /** {@code {\i1}}-style override blocks in SRT files made from ASS. */
    private static final Pattern OVERRIDE = Pattern.compile("\\{\\\\[^{}]*}");
    private static final Pattern STYLE_SWITCH = Pattern.compile("\\\\([ibu])(\\d+)(?![a-zA-Z])");

    private final StringBuilder out = new StringBuilder();
    private final Deque<Character> open = new ArrayDeque<>();

    /** Literal characters, escaped. */
    CueText text(String literal) {
        for (int i = 0; i < literal.length(); i++) {
            char c = literal.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '\n' -> newline();
                case '\t' -> out.append(' ');
                default -> out.append(c);
            }
        }
        return this;
    }

    CueText newline() {
        out.append('\n');
        return this;
    }

    boolean isOpen(char tag) {
        return open.contains(tag);
    }

    /** Opens i, b or u unless already open. */
    CueText open(char tag) {
        if (!open.contains(tag)) {
            open.push(tag);
            out.append('<').append(tag).append('>');
        }
        return this;
    }

    /** Closes i, b or u if open, closing and reopening any opened after it. */
    CueText close(char tag) {
        if (!open.contains(tag)) {
            return this;
        }
        Deque<Character> reopen = new ArrayDeque<>();
        while (!open.isEmpty()) {
            char top = open.pop();
            out.append("</").append(top).append('>');
            if (top == tag) {
                break;
            }
            reopen.push(top);
        }
        while (!reopen.isEmpty()) {
            open(reopen.pop());
        }
        return this;
    }

    CueText closeAll() {
        while (!open.isEmpty()) {
            out.append("</").append(open.pop()).append('>');
        }
        return this;
    }

    /** Applies the i/b/u switches of an ASS override block's content ({@code \i1\b0...}). */
    CueText overrides(String block) {
        Matcher m = STYLE_SWITCH.matcher(block);
        while (m.find()) {
            char tag = m.group(1).charAt(0);
            String value = m.group(2);
            boolean on = tag == 'b' ? !value.equals("0") && (value.length() < 3 || Integer.parseInt(value.substring(0, 3)) >= 600)
                    : !value.equals("0");
            if (on) {
                open(tag);
            } else {
                close(tag);
            }
        }
        return this;
    }

    /**
     * SRT or WebVTT cue text: i/b/u tags kept, other known tags and {@code {\...}} blocks dropped,
     * anything else literal. With {@code entities} (WebVTT input) {@code &amp; &lt; &gt; &nbsp;
     * &lrm; &rlm;} are read as the characters they stand for and a bare {@code &} as itself.
     */
    CueText markup(String raw, boolean entities) {
        int at = 0;
        Matcher m = TAG.matcher(raw);
        while (m.find()) {
            literal(raw.substring(at, m.start()), entities);
            at = m.end();
            if (m.group(4) != null) {
                continue; // a karaoke timestamp
            }
            String name = m.group(2).toLowerCase(java.util.Locale.ROOT);
            boolean closing = !m.group(1).isEmpty();
            if (name.equals("i") || name.equals("b") || name.equals("u")) {
                if (closing) {
                    close(name.charAt(0));
                } else {
                    open(name.charAt(0));
                }
            } else if (name.equals("br") && !closing) {
                newline();
            } else if (!DROPPED.contains(name)) {
                literal(m.group(), entities);
            }
        }
        literal(raw.substring(at), entities);
        return this;
    }

    private void literal(String piece, boolean entities) {
        Matcher m = OVERRIDE.matcher(piece);
        int at = 0;
        while (m.find()) {
            unescaped(piece.substring(at, m.start()), entities);
            overrides(m.group());
            at = m.end();
        }
        unescaped(piece.substring(at), entities);
    }

    private void unescaped(String piece, boolean entities) {
        if (!entities || piece.indexOf('&') < 0) {
            text(piece);
            return;
        }
        text(piece.replace("&lt;", "<").replace("&gt;", ">").replace("&nbsp;", "\u00A0")
                .replace("&lrm;", "\u200E").replace("&rlm;", "\u200F").replace("&amp;", "&"));
    }

    /** The finished cue text, or an empty string when nothing visible is left. */
    String build() {
        closeAll();
        String text = out.toString();
        String previous;
        do {
            previous = text;
            text = text.replaceAll("<([ibu])>(\\s*)</\\1>", "$2");
        } while (!text.equals(previous));
        List<String> lines = new ArrayList<>();
        for (String line : text.split("\n", -1)) {
            String trimmed = line.strip();
            if (!trimmed.isEmpty() && lines.size() < MAX_LINES) {
                lines.add(trimmed.replaceAll(" {2,}", " "));
            }
        }
        String joined = String.join("\n", lines);
        if (joined.replaceAll("</?[ibu]>", "").isBlank()) {
            return "";
        }
        if (joined.length() > MAX_CHARS) {
            joined = truncate(joined);
        }
        return joined;
    }

    /** Cuts at a character, never inside an escape or a tag, and closes what was open. */
    private static String truncate(String text) {
        int cut = MAX_CHARS;
        int amp = text.lastIndexOf('&', cut);
        if (amp >= 0 && text.indexOf(';', amp) >= cut) {
            cut = amp;
        }
        int lt = text.lastIndexOf('<', cut);
        if (lt >= 0 && text.indexOf('>', lt) >= cut) {
            cut = lt;
        }
        String head = text.substring(0, cut);
        CueText rebalanced = new CueText();
        rebalanced.markup(head.replace("&amp;", "\u0001").replace("&lt;", "\u0002").replace("&gt;", "\u0003"), false);
        return rebalanced.closeAllAndGet().replace("\u0001", "&amp;").replace("\u0002", "&lt;").replace("\u0003", "&gt;");
    }

    private String closeAllAndGet() {
        closeAll();
        return out.toString();
    }
}
