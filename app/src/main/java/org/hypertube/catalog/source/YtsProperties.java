package org.hypertube.catalog.source;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * YTS, keyless.
 *
 * @param enabled  YTS_ENABLED; its catalogue is unlicensed, so an operator can switch it off
 * @param baseUrl  YTS_BASE_URL, the API root ending in /api/v2 (the domain moves)
 * @param trackers YTS_TRACKERS, comma-separated announce URLs put into the magnets built from hashes
 */
@ConfigurationProperties("hypertube.catalog.yts")
public record YtsProperties(Boolean enabled, String baseUrl, List<String> trackers) {

    public YtsProperties {
        enabled = enabled == null || enabled;
        trackers = trackers == null ? List.of()
                : trackers.stream().map(String::strip).filter(t -> !t.isEmpty()).toList();
    }
}
