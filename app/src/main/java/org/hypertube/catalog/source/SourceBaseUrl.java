package org.hypertube.catalog.source;

import java.net.URI;
import java.util.Locale;
import java.util.Set;

/** Checks a configured base URL at start-up, naming the variable that holds it. */
final class SourceBaseUrl {

    /**
     * The hosts and ports of the built-in base URLs (config/catalog-sources.properties): public services,
     * so never trusted past the outside-address check, whatever they come to resolve to.
     */
    static final Set<String> BUILT_IN_ORIGINS = Set.of("yts.gg:443", "archive.org:443", "api.themoviedb.org:443",
            "image.tmdb.org:443", "www.omdbapi.com:443");

    private SourceBaseUrl() {
    }

    /** Whether a checked base URL is one the operator chose (an indexer on the LAN), not a built-in service's. */
    static boolean operatorChosen(String checkedUrl) {
        URI uri = URI.create(checkedUrl);
        int port = uri.getPort() >= 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
        return !BUILT_IN_ORIGINS.contains(uri.getHost().toLowerCase(Locale.ROOT) + ":" + port);
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
