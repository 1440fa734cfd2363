package org.hypertube.catalog.source;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The operator's Torznab indexer (Jackett or Prowlarr); the source exists only when both the URL and
 * the key are set, and one without the other stops the start-up.
 *
 * @param url      TORZNAB_URL, the indexer's endpoint that takes {@code ?t=...}, e.g.
 *                 http://127.0.0.1:9117/api/v2.0/indexers/yts/results/torznab/api
 * @param apiKey   TORZNAB_API_KEY
 * @param trackers TORZNAB_TRACKERS (default: YTS_TRACKERS), for magnets built from a bare info-hash
 */
@ConfigurationProperties("hypertube.catalog.torznab")
public record TorznabProperties(String url, String apiKey, List<String> trackers) {

    public TorznabProperties {
        url = url == null ? null : url.strip();
        apiKey = apiKey == null ? null : apiKey.strip();
        trackers = trackers == null ? List.of()
                : trackers.stream().map(String::strip).filter(t -> !t.isEmpty()).toList();
        boolean hasUrl = url != null && !url.isEmpty();
        boolean hasKey = apiKey != null && !apiKey.isEmpty();
        if (hasUrl && !hasKey) {
            throw new IllegalArgumentException("TORZNAB_API_KEY must be set when TORZNAB_URL is");
        }
        if (hasKey && !hasUrl) {
            throw new IllegalArgumentException("TORZNAB_URL must be set when TORZNAB_API_KEY is");
        }
    }

    @Override
    public String toString() {
        return "TorznabProperties[url=" + SourceHttp.redact(url) + ", apiKey="
                + (apiKey == null || apiKey.isEmpty() ? "(none)" : "(set)") + ", trackers=" + trackers + "]";
    }
}
