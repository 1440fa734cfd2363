package org.hypertube.catalog.source;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * OMDb; the source exists only when a key is set.
 *
 * @param apiKey  OMDB_API_KEY
 * @param baseUrl OMDB_BASE_URL, https://www.omdbapi.com/
 */
@ConfigurationProperties("hypertube.catalog.omdb")
public record OmdbProperties(String apiKey, String baseUrl) {

    public OmdbProperties {
        apiKey = apiKey == null ? null : apiKey.strip();
    }

    @Override
    public String toString() {
        return "OmdbProperties[apiKey=" + (apiKey == null || apiKey.isEmpty() ? "(none)" : "(set)") + ", baseUrl=" + baseUrl + "]";
    }
}
