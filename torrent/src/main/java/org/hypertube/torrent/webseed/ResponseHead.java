package org.hypertube.torrent.webseed;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.hypertube.torrent.webseed.WebSeedException.Kind;

/**
 * The status line and headers of an HTTP/1.x response, read strictly and within bounds: each line at
 * most 8 KiB, at most 100 headers, no obsolete line folding, no space before a header's colon, no
 * control characters.
 */
record ResponseHead(int minorVersion, int status, String reason, List<Header> headers) {
    static final int MAX_LINE = 8 * 1024;
    static final int MAX_HEADERS = 100;

    record Header(String name, String value) {}

    ResponseHead {
        headers = List.copyOf(headers);
    }

    static ResponseHead read(InputStream in) throws WebSeedException {
        String status = readLine(in, "status line");
        if (!status.matches("(?s)HTTP/1\\.[0-9] [0-9]{3}( .*)?")) {
            throw protocol("not an HTTP/1.x status line: " + printable(status));
        }
        int code = Integer.parseInt(status.substring(9, 12));
        String reason = status.length() > 13 ? status.substring(13) : "";
        List<Header> headers = readFields(in, "header");
        return new ResponseHead(status.charAt(7) - '0', code, reason, headers);
    }

    /** Header (or trailer) lines up to the empty line that ends them. */
    static List<Header> readFields(InputStream in, String what) throws WebSeedException {
        List<Header> headers = new ArrayList<>();
        for (String line = readLine(in, what); !line.isEmpty(); line = readLine(in, what)) {
            if (headers.size() == MAX_HEADERS) {
                throw protocol("more than " + MAX_HEADERS + " " + what + " lines");
            }
            int colon = line.indexOf(':');
            if (colon <= 0 || !line.substring(0, colon).chars().allMatch(ResponseHead::isTokenChar)) {
                throw protocol("malformed " + what + " line: " + printable(line));
            }
            headers.add(new Header(line.substring(0, colon).toLowerCase(Locale.ROOT), line.substring(colon + 1).strip()));
        }
        return headers;
    }

    /**
     * One line without its CRLF (a bare LF is accepted, as RFC 9112 allows), in ISO-8859-1. Bytes
     * are read one at a time so nothing after the line is consumed; the stream is buffered.
     */
    static String readLine(InputStream in, String what) throws WebSeedException {
        return readLine(in, MAX_LINE, what);
    }

    static String readLine(InputStream in, int max, String what) throws WebSeedException {
        StringBuilder sb = new StringBuilder(64);
        try {
            while (true) {
                int c = in.read();
                if (c == -1) {
                    throw protocol("the connection closed in a " + what + " line");
                }
                if (c == '\n') {
                    return sb.toString();
                }
                if (c == '\r') {
                    if (in.read() != '\n') {
                        throw protocol("a CR not followed by LF in a " + what + " line");
                    }
                    return sb.toString();
                }
                if (c < 0x20 && c != '\t' || c == 0x7f) {
                    throw protocol("a control character in a " + what + " line");
                }
                if (sb.length() == max) {
                    throw protocol("a " + what + " line longer than " + max + " bytes");
                }
                sb.append((char) c);
            }
        } catch (WebSeedException e) {
            throw e;
        } catch (IOException e) {
            throw new WebSeedException(Kind.IO, "reading the response: " + e.getMessage(), e);
        }
    }

    /** The values of a header, each comma-separated element on its own, trimmed; empty elements dropped. */
    List<String> elements(String name) {
        List<String> out = new ArrayList<>();
        for (Header h : headers) {
            if (h.name().equals(name)) {
                for (String e : h.value().split(",")) {
                    if (!e.isBlank()) {
                        out.add(e.strip());
                    }
                }
            }
        }
        return out;
    }

    /** The value of a header that may appear once; several different values are a protocol error. */
    Optional<String> single(String name) throws WebSeedException {
        String found = null;
        for (Header h : headers) {
            if (h.name().equals(name)) {
                if (found != null && !found.equals(h.value())) {
                    throw protocol("conflicting " + name + " headers: " + printable(found) + " and " + printable(h.value()));
                }
                found = h.value();
            }
        }
        return Optional.ofNullable(found);
    }

    /** Whether the server keeps the connection open after this response. */
    boolean keepAlive() {
        List<String> connection = elements("connection").stream().map(s -> s.toLowerCase(Locale.ROOT)).toList();
        if (connection.contains("close")) {
            return false;
        }
        return minorVersion >= 1 || connection.contains("keep-alive");
    }

    static WebSeedException protocol(String message) {
        return new WebSeedException(Kind.PROTOCOL, message);
    }

    /** A bounded, printable excerpt of outside text for a message. */
    static String printable(String s) {
        String cut = s.length() > 80 ? s.substring(0, 80) + "..." : s;
        return "'" + cut.replaceAll("[^\\x20-\\x7e]", "?") + "'";
    }

    private static boolean isTokenChar(int c) {
        return c > 0x20 && c < 0x7f && "\"(),/:;<=>?@[\\]{}".indexOf(c) < 0;
    }
}
