package org.hypertube.torrent.webseed;

import static org.hypertube.torrent.webseed.ResponseHead.printable;
import static org.hypertube.torrent.webseed.ResponseHead.protocol;

import java.io.InputStream;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hypertube.torrent.webseed.WebSeedException.Kind;

/**
 * The answer to one {@code GET} with {@code Range: bytes=first-last} for a {@link FileSlice}: a 206
 * whose {@code Content-Range} and length match the request, its body read into the caller's buffer;
 * a 200 only when the whole file was asked; a redirect to follow; or a {@link WebSeedException}
 * saying what was wrong. Bytes only, no socket: public so the fuzz tests reach it.
 */
public final class RangeResponse {
    /** Without a usable {@code Retry-After}, wait as libtorrent does. */
    public static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(30);
    static final int MAX_INTERIM_RESPONSES = 5;
    /** A redirect's body up to this size is read and dropped so the connection can be reused. */
    static final int MAX_SKIPPED_BODY = 64 * 1024;
    private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);
    private static final Pattern CONTENT_RANGE = Pattern.compile("(?i)bytes ([0-9]{1,18})-([0-9]{1,18})/([0-9]{1,18}|\\*)");

    private RangeResponse() {}

    /** What a response that is not an error leads to. */
    public sealed interface Outcome {
        /** Whether the connection may carry the next request. */
        boolean keepAlive();
    }

    /** The slice's bytes are in the buffer. */
    public record Filled(boolean keepAlive) implements Outcome {}

    /** Ask {@code location} (possibly relative) instead; the redirect's body was skipped when small. */
    public record Redirect(String location, boolean keepAlive) implements Outcome {}

    /**
     * Reads one response to a request for {@code slice} of a file of {@code fileLength} bytes (as the
     * torrent says). On {@link Filled}, {@code dst}'s next {@code slice.length()} bytes hold the data.
     */
    public static Outcome read(InputStream in, FileSlice slice, long fileLength, ByteBuffer dst, Clock clock)
            throws WebSeedException {
        if (dst.remaining() != slice.length()) {
            throw new IllegalArgumentException(dst.remaining() + " bytes of room for a slice of " + slice.length());
        }
        ResponseHead head = ResponseHead.read(in);
        for (int interim = 0; head.status() < 200; interim++) {
            if (head.status() == 101 || interim == MAX_INTERIM_RESPONSES) {
                throw protocol("unexpected HTTP " + head.status());
            }
            head = ResponseHead.read(in);
        }
        int status = head.status();
        if (status == 200 || status == 206) {
            checkContent(head, slice, fileLength);
            ResponseBody.read(head, in, dst);
            return new Filled(head.keepAlive());
        }
        if (REDIRECTS.contains(status)) {
            String location = head.single("location")
                    .orElseThrow(() -> new WebSeedException(Kind.BAD_URL, "HTTP " + status + " without a Location"));
            boolean reusable = ResponseBody.skip(head, in, MAX_SKIPPED_BODY) && head.keepAlive();
            return new Redirect(location, reusable);
        }
        if (status == 503 || status == 429) {
            throw WebSeedException.retryLater(status, retryAfter(head.single("retry-after").orElse(null), clock));
        }
        if (status < 300) {
            throw protocol("unexpected HTTP " + status + " to a range request");
        }
        throw WebSeedException.status(status, printable(head.reason()));
    }

    private static void checkContent(ResponseHead head, FileSlice slice, long fileLength) throws WebSeedException {
        long first = slice.fileOffset();
        long last = first + slice.length() - 1;
        if (head.status() == 200 && (first != 0 || slice.length() != fileLength)) {
            throw new WebSeedException(Kind.IGNORES_RANGE, "HTTP 200 (the whole file) for a request of bytes "
                    + slice.range() + " of " + fileLength);
        }
        String encoding = head.single("content-encoding").orElse("identity");
        if (!encoding.equalsIgnoreCase("identity")) {
            throw protocol("Content-Encoding " + printable(encoding) + " although identity was asked");
        }
        String range = head.single("content-range").orElse(null);
        if (range == null) {
            if (head.status() == 206) {
                throw protocol("HTTP 206 without a Content-Range");
            }
            return;
        }
        Matcher m = CONTENT_RANGE.matcher(range);
        if (!m.matches() || Long.parseLong(m.group(1)) != first || Long.parseLong(m.group(2)) != last
                || !m.group(3).equals("*") && Long.parseLong(m.group(3)) <= last) {
            throw protocol("Content-Range " + printable(range) + " does not answer bytes " + slice.range());
        }
    }

    /** Retry-After in seconds or as an HTTP date; 30 s when missing or unreadable, zero when past. */
    static Duration retryAfter(String value, Clock clock) {
        if (value == null) {
            return DEFAULT_RETRY_AFTER;
        }
        if (value.matches("[0-9]{1,9}")) {
            return Duration.ofSeconds(Long.parseLong(value));
        }
        try {
            ZonedDateTime at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME.withLocale(Locale.ROOT));
            Duration d = Duration.between(clock.instant(), at.toInstant());
            return d.isNegative() ? Duration.ZERO : d;
        } catch (DateTimeParseException e) {
            return DEFAULT_RETRY_AFTER;
        }
    }
}
