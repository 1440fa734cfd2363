package org.hypertube.playback;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.hypertube.torrent.StreamTimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HTTP range responses (RFC 9110 §14) over a {@link MediaFile}: 200 with the whole file, 206 with one
 * range or several ({@code multipart/byteranges}), 416 for a range past the end, {@code If-Range}
 * honoured, HEAD answered from the headers alone. A client that goes away closes its reader, which
 * drops its wishes in the engine.
 */
final class RangeResponse {

    private static final Logger log = LoggerFactory.getLogger(RangeResponse.class);
    /** More ranges than a player ever asks; a longer list is served whole rather than parsed. */
    static final int MAX_RANGES = 16;
    private static final SecureRandom RANDOM = new SecureRandom();

    record Range(long start, long end) {
        long length() {
            return end - start + 1;
        }
    }

    private RangeResponse() {
    }

    /**
     * The ranges asked for, resolved against the length: null when the header is absent or malformed
     * (the whole file is served, as the RFC says), an empty list when none is satisfiable.
     */
    static List<Range> parse(String header, long length) {
        if (header == null || !header.startsWith("bytes=") || header.length() > 1000) {
            return null;
        }
        List<Range> ranges = new ArrayList<>();
        String[] specs = header.substring(6).split(",", -1);
        if (specs.length > MAX_RANGES) {
            return null;
        }
        for (String raw : specs) {
            String spec = raw.strip();
            int dash = spec.indexOf('-');
            if (dash < 0) {
                return null;
            }
            try {
                String first = spec.substring(0, dash).strip();
                String last = spec.substring(dash + 1).strip();
                if (first.isEmpty()) {
                    if (last.isEmpty()) {
                        return null;
                    }
                    long suffix = Long.parseLong(last);
                    if (suffix <= 0 || length == 0) {
                        continue;
                    }
                    ranges.add(new Range(Math.max(0, length - suffix), length - 1));
                } else {
                    long start = Long.parseLong(first);
                    long end = last.isEmpty() ? Long.MAX_VALUE : Long.parseLong(last);
                    if (start < 0 || end < start) {
                        return null;
                    }
                    if (start >= length) {
                        continue;
                    }
                    ranges.add(new Range(start, Math.min(end, length - 1)));
                }
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return ranges;
    }

    static void serve(HttpServletRequest request, HttpServletResponse response, MediaFile file) throws IOException {
        long length = file.length();
        boolean head = "HEAD".equals(request.getMethod());
        response.setHeader("Accept-Ranges", "bytes");
        response.setHeader("ETag", file.etag());
        response.setHeader("Cache-Control", "private, max-age=3600");
        List<Range> ranges = parse(request.getHeader("Range"), length);
        String ifRange = request.getHeader("If-Range");
        if (ranges != null && ifRange != null && !ifRange.equals(file.etag())) {
            ranges = null;  // the client's copy is another version: send it all
        }
        if (ranges != null && ranges.isEmpty()) {
            response.setStatus(HttpServletResponse.SC_REQUESTED_RANGE_NOT_SATISFIABLE);
            response.setHeader("Content-Range", "bytes */" + length);
            return;
        }
        String type = file.contentType();
        if (ranges == null) {
            response.setStatus(HttpServletResponse.SC_OK);
            response.setContentType(type);
            response.setContentLengthLong(length);
            if (!head) {
                copy(file, List.of(new Range(0, length - 1)), response, null, type);
            }
            return;
        }
        response.setStatus(HttpServletResponse.SC_PARTIAL_CONTENT);
        if (ranges.size() == 1) {
            Range r = ranges.getFirst();
            response.setContentType(type);
            response.setHeader("Content-Range", "bytes " + r.start() + "-" + r.end() + "/" + length);
            response.setContentLengthLong(r.length());
            if (!head) {
                copy(file, ranges, response, null, type);
            }
            return;
        }
        byte[] random = new byte[12];
        RANDOM.nextBytes(random);
        String boundary = "hypertube-" + HexFormat.of().formatHex(random);
        response.setContentType("multipart/byteranges; boundary=" + boundary);
        long total = 0;
        for (Range r : ranges) {
            total += partHeader(boundary, type, r, length).length + r.length() + 2;
        }
        total += ("--" + boundary + "--\r\n").length();
        response.setContentLengthLong(total);
        if (!head) {
            copy(file, ranges, response, boundary, type);
        }
    }

    private static byte[] partHeader(String boundary, String type, Range r, long length) {
        return ("--" + boundary + "\r\nContent-Type: " + type + "\r\nContent-Range: bytes " + r.start() + "-" + r.end()
                + "/" + length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    private static void copy(MediaFile file, List<Range> ranges, HttpServletResponse response, String boundary,
                             String type) throws IOException {
        OutputStream out;
        try {
            out = response.getOutputStream();
        } catch (IOException e) {
            return;
        }
        ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
        long asked = System.nanoTime();
        boolean first = true;
        try (SeekableByteChannel channel = file.open()) {
            log.debug("{} range {}-{} asked", file.infoHash(), ranges.getFirst().start(), ranges.getFirst().end());
            for (Range r : ranges) {
                if (boundary != null) {
                    out.write(partHeader(boundary, type, r, file.length()));
                }
                channel.position(r.start());
                long left = r.length();
                while (left > 0) {
                    buffer.clear();
                    buffer.limit((int) Math.min(buffer.capacity(), left));
                    int n = channel.read(buffer);
                    if (n < 0) {
                        throw new IOException("file ended early");
                    }
                    out.write(buffer.array(), 0, n);
                    left -= n;
                    if (first) {
                        first = false;
                        log.debug("{} first {} bytes of range {}- out {} ms after it was asked", file.infoHash(), n,
                                r.start(), (System.nanoTime() - asked) / 1_000_000);
                    }
                }
                if (boundary != null) {
                    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                }
            }
            if (boundary != null) {
                out.write(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
            }
            out.flush();
        } catch (StreamTimeoutException e) {
            log.info("{} stream stalled: {}", file.infoHash(), e.getMessage());
            abort(response);
        } catch (IOException e) {
            // The player went away (a seek, a closed tab): its reader is closed above, nothing to report.
            abort(response);
        }
    }

    private static void abort(HttpServletResponse response) {
        if (!response.isCommitted()) {
            response.reset();
            response.setStatus(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
            response.setHeader("Retry-After", "5");
        }
    }
}
