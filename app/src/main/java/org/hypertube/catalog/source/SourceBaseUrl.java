package org.hypertube.catalog.source;

import java.net.URI;

/** Checks a configured base URL at start-up, naming the variable that holds it. */
final class SourceBaseUrl {

    private SourceBaseUrl() {
    }

    /** The URL without a trailing slash, or an exception naming {@code variable}. */
    static String require(String url, String variable) {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException(variable + " must be set to an http(s) URL");
        }
        String trimmed = url.strip();
        URI uri;
        try {
            uri = URI.create(trimmed);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(variable + " is not a URL: " + SourceHttp.redact(trimmed));
        }
        if (uri.getHost() == null || !("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))) {
            throw new IllegalArgumentException(variable + " must be an absolute http(s) URL, not " + SourceHttp.redact(trimmed));
        }
        while (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        return trimmed;
    }

    static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }
}
