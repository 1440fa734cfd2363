package org.hypertube.catalog.source;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * Reads fields as the sources really send them: numbers as numbers or strings, single values or
 * arrays, and "", "N/A" or null for "not known", which all become null here.
 */
final class SourceJson {

    private static final Pattern YEAR = Pattern.compile("(1[89]\\d\\d|2[01]\\d\\d)");
    private static final Pattern IMDB_ID = Pattern.compile("tt\\d{7,10}");
    private static final Pattern HEX_HASH = Pattern.compile("[0-9a-fA-F]{40}");
    /** Long enough for any summary; a source's essay is cut, not stored whole. */
    static final int MAX_TEXT = 4000;
    static final int MAX_LIST = 50;

    private SourceJson() {
    }

    /**
     * A surprise in an answer that passed its checks (a field of an unexpected type deep inside, say)
     * makes the source unavailable rather than breaking the page that asked.
     */
    static SourceUnavailableException unreadable(String source, RuntimeException e) {
        return new SourceUnavailableException(source, "answered something that could not be read ("
                + e.getClass().getSimpleName() + ")");
    }

    /** A field's text (first element of an array), stripped; null when absent, blank or "N/A". */
    static String text(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        if (value != null && value.isArray()) {
            value = value.isEmpty() ? null : value.get(0);
        }
        if (value == null || value.isNull() || value.isContainer()) {
            return null;
        }
        return clean(value.asString());
    }

    static String clean(String text) {
        if (text == null) {
            return null;
        }
        String stripped = text.strip();
        if (stripped.isEmpty() || stripped.equalsIgnoreCase("N/A")) {
            return null;
        }
        return stripped.length() > MAX_TEXT ? stripped.substring(0, MAX_TEXT) + "..." : stripped;
    }

    /** A field that is a string or an array of strings, as a list without blanks. */
    static List<String> texts(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        List<String> out = new ArrayList<>();
        if (value == null || value.isNull()) {
            return out;
        }
        if (value.isArray()) {
            for (JsonNode element : value) {
                String text = element.isValueNode() ? clean(element.asString()) : null;
                if (text != null && out.size() < MAX_LIST) {
                    out.add(text);
                }
            }
        } else if (value.isValueNode()) {
            String text = clean(value.asString());
            if (text != null) {
                out.add(text);
            }
        }
        return out;
    }

    /** A whole number sent as a number or a numeric string ("1,234" too); null otherwise. */
    static Long number(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (value.isIntegralNumber()) {
            return value.asLong();
        }
        if (value.isNumber()) {
            return (long) value.asDouble();
        }
        String text = clean(value.isString() ? value.asString() : null);
        if (text == null) {
            return null;
        }
        try {
            return Long.parseLong(text.replace(",", ""));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    static Integer integer(JsonNode node, String field) {
        Long n = number(node, field);
        return n == null || n > Integer.MAX_VALUE || n < Integer.MIN_VALUE ? null : n.intValue();
    }

    /** A decimal number sent as a number or a string; null when absent or not a number. */
    static Double decimal(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (value.isNumber()) {
            return value.asDouble();
        }
        String text = clean(value.isString() ? value.asString() : null);
        if (text == null) {
            return null;
        }
        try {
            double d = Double.parseDouble(text);
            return Double.isFinite(d) ? d : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** The first plausible year in a text such as "1968", "1968-10-01", "2013–2020"; else null. */
    static Integer year(String text) {
        if (text == null) {
            return null;
        }
        Matcher m = YEAR.matcher(text);
        return m.find() ? Integer.valueOf(m.group(1)) : null;
    }

    /** "tt" + digits, lower-case, or null. */
    static String imdbId(String text) {
        if (text == null) {
            return null;
        }
        Matcher m = IMDB_ID.matcher(text.strip().toLowerCase());
        return m.find() ? m.group() : null;
    }

    /** 40 hex digits in lower case, or null. */
    static String infoHash(String text) {
        return text != null && HEX_HASH.matcher(text.strip()).matches() ? text.strip().toLowerCase() : null;
    }

    /** An absolute http(s) URL, or null. */
    static String url(String text) {
        if (text == null) {
            return null;
        }
        String lower = text.toLowerCase();
        return lower.startsWith("https://") || lower.startsWith("http://") ? text : null;
    }

    /** A rating on 0-10 that the source really gave: null for absent, 0 (no votes yet) or out of range. */
    static Double rating(Double value) {
        return value == null || value <= 0 || value > 10 ? null : value;
    }

    /** Plain text from the HTML the Internet Archive puts in descriptions. */
    static String htmlToText(String html) {
        if (html == null) {
            return null;
        }
        String bounded = html.length() > MAX_TEXT * 4 ? html.substring(0, MAX_TEXT * 4) : html;
        String text = bounded.replaceAll("(?i)<br\\s*/?>|</p>", "\n")
                .replaceAll("<[^>]{0,2000}>", "")
                .replace("&nbsp;", " ")
                .replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'")
                .replace("&amp;", "&")
                .replaceAll("[ \\t\\x0B\\f\\r]+", " ")
                .replaceAll(" *\\n[\\n ]*", "\n");
        return clean(text);
    }
}
