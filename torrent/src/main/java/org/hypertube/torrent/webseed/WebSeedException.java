package org.hypertube.torrent.webseed;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;

/**
 * A web seed could not supply a file slice. The {@link Kind} says what went wrong so that
 * {@link WebSeedHealth} can decide between waiting, marking one file unavailable and dropping the seed.
 */
public final class WebSeedException extends IOException {

    public enum Kind {
        /** 503 or 429: come back after {@link #retryAfter()}. */
        RETRY_LATER,
        /** A 200 with the whole file came back for a partial request. */
        IGNORES_RANGE,
        /** Any other status that is not a success or a redirect (404, 416, 500...). */
        HTTP_STATUS,
        /** The host (or a redirect's host) resolves only to addresses the policy refuses. */
        NOT_ALLOWED_ADDRESS,
        /** A URL that is not http(s) or cannot be parsed, or too many redirects. */
        BAD_URL,
        /** The response broke HTTP/1.1 or did not answer the request (wrong range, length, truncated body). */
        PROTOCOL,
        /** The network failed: connection refused or reset, time-out, TLS failure. */
        IO
    }

    private final Kind kind;
    private final int status;
    private final Duration retryAfter;
    private final int fileIndex;

    WebSeedException(Kind kind, String message) {
        this(kind, message, null);
    }

    WebSeedException(Kind kind, String message, Throwable cause) {
        this(kind, message, 0, null, -1, cause);
    }

    private WebSeedException(Kind kind, String message, int status, Duration retryAfter, int fileIndex, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.status = status;
        this.retryAfter = retryAfter;
        this.fileIndex = fileIndex;
    }

    static WebSeedException status(int status, String reason) {
        return new WebSeedException(Kind.HTTP_STATUS, "HTTP " + status + " " + reason, status, null, -1, null);
    }

    static WebSeedException retryLater(int status, Duration retryAfter) {
        return new WebSeedException(Kind.RETRY_LATER, "HTTP " + status + ", retry after " + retryAfter.toSeconds() + " s",
                status, retryAfter, -1, null);
    }

    /** The same failure, naming the file and URL it happened on. */
    WebSeedException at(int file, String url) {
        return new WebSeedException(kind, getMessage() + " (file " + file + ", " + url + ")", status, retryAfter, file, getCause());
    }

    public Kind kind() {
        return kind;
    }

    /** The HTTP status that caused it, or 0. */
    public int status() {
        return status;
    }

    /** For {@link Kind#RETRY_LATER}: how long the server asked us to wait. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    /** The torrent file (index in {@code TorrentInfo.files()}) being fetched, or -1 when not known. */
    public int fileIndex() {
        return fileIndex;
    }

    @Override
    public String toString() {
        return "WebSeedException[" + kind + (fileIndex >= 0 ? " file " + fileIndex : "") + "]: " + getMessage();
    }
}
