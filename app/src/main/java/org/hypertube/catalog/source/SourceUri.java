package org.hypertube.catalog.source;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * Builds a request URL from a configured base, path segments and query parameters. Every name and
 * value is percent-encoded (spaces as %20, '+' and '&' escaped), so a search text can never add a
 * parameter of its own.
 */
final class SourceUri {

    private final StringBuilder path;
    private final StringBuilder query = new StringBuilder();

    private SourceUri(String base) {
        this.path = new StringBuilder(base);
    }

    /** {@code base} as {@link SourceBaseUrl#require} returns it: no trailing slash. */
    static SourceUri of(String base) {
        return new SourceUri(base);
    }

    /** Appends "/" and the segment, encoded. */
    SourceUri segment(String segment) {
        path.append('/').append(encode(segment));
        return this;
    }

    /** Appends "/" and a fixed path of ours (not encoded, so it may contain "/"). */
    SourceUri path(String fixedPath) {
        path.append('/').append(fixedPath);
        return this;
    }

    /** Adds {@code name=value}; a null value adds nothing. */
    SourceUri param(String name, Object value) {
        if (value != null) {
            query.append(query.isEmpty() ? '?' : '&').append(encode(name)).append('=').append(encode(value.toString()));
        }
        return this;
    }

    URI build() {
        return URI.create(path.toString() + query);
    }

    static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
