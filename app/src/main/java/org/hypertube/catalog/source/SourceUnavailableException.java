package org.hypertube.catalog.source;

/** A source failed, timed out, refused us (429, bad key) or sent something we will not parse. */
public class SourceUnavailableException extends Exception {

    private final String source;

    public SourceUnavailableException(String source, String message) {
        super(source + ": " + message);
        this.source = source;
    }

    public SourceUnavailableException(String source, String message, Throwable cause) {
        super(source + ": " + message, cause);
        this.source = source;
    }

    public String source() {
        return source;
    }
}
