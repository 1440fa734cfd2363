package org.hypertube.playback.media;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The last lines a tool wrote to stderr, for the error log: ffmpeg can print for hours, so only a
 * bounded tail is kept (lines cut at {@link #MAX_LINE} characters, at most {@code maxLines} of them).
 */
final class OutputTail {

    static final int MAX_LINE = 400;
    private final int maxLines;
    private final Deque<String> lines = new ArrayDeque<>();

    OutputTail(int maxLines) {
        this.maxLines = maxLines;
    }

    /** Reads the stream to its end (in the caller's thread), keeping the tail; returns on EOF or error. */
    void consume(InputStream in) {
        byte[] buffer = new byte[8192];
        StringBuilder line = new StringBuilder();
        try (in) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                for (int i = 0; i < n; i++) {
                    byte b = buffer[i];
                    if (b == '\n' || b == '\r') {
                        add(line);
                    } else if (line.length() < MAX_LINE) {
                        line.append((char) (b & 0xff));
                    }
                }
            }
        } catch (IOException e) {
            // the process went away; what was read is kept
        }
        add(line);
    }

    private void add(StringBuilder line) {
        if (line.isEmpty()) {
            return;
        }
        String text = new String(line.toString().getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
        line.setLength(0);
        synchronized (lines) {
            lines.addLast(text);
            while (lines.size() > maxLines) {
                lines.removeFirst();
            }
        }
    }

    /** The kept lines, oldest first, one per line. */
    String text() {
        synchronized (lines) {
            return String.join("\n", lines);
        }
    }

    /** The last kept line, or "" (ffmpeg's last line usually says why it stopped). */
    String last() {
        synchronized (lines) {
            return lines.isEmpty() ? "" : lines.getLast();
        }
    }
}
