package org.hypertube.system;

import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/** Absolute links to this server, for e-mails and API answers. */
@Component
public class SiteLinks {

    private final HypertubeProperties properties;
    private final Environment environment;

    SiteLinks(HypertubeProperties properties, Environment environment) {
        this.properties = properties;
        this.environment = environment;
    }

    /** An absolute link to a path of this server, e.g. {@code link("/login")}. */
    public String link(String pathAndQuery) {
        String base = properties.baseUrl() != null
                ? properties.baseUrl().toString()
                // No configured address: the port we really listen on (it may have been chosen at random).
                : "http://localhost:" + environment.getProperty("local.server.port", environment.getProperty("server.port", "8080"));
        return (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + pathAndQuery;
    }

    /** A path of this site to send someone back to (a language change, a watchlist button); "/" for anything else, never another host. */
    public static String localPath(String target) {
        if (target == null || !target.startsWith("/") || target.startsWith("//") || target.contains("\\")
                || target.length() > 2000 || target.chars().anyMatch(c -> c < 0x20)) {
            return "/";
        }
        return target;
    }
}
