package org.hypertube.catalog.source;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * TMDB v3; the source exists only when a key is set.
 *
 * @param apiKey       TMDB_API_KEY: a v3 key (sent as {@code api_key}) or a v4 read access token
 *                     (sent as a Bearer header)
 * @param baseUrl      TMDB_BASE_URL, https://api.themoviedb.org/3
 * @param imageBaseUrl TMDB_IMAGE_BASE_URL, https://image.tmdb.org/t/p/ (size and file path follow)
 */
@ConfigurationProperties("hypertube.catalog.tmdb")
public record TmdbProperties(String apiKey, String baseUrl, String imageBaseUrl) {

    public TmdbProperties {
        apiKey = apiKey == null ? null : apiKey.strip();
    }

    @Override
    public String toString() {
        return "TmdbProperties[apiKey=" + (apiKey == null || apiKey.isEmpty() ? "(none)" : "(set)")
                + ", baseUrl=" + baseUrl + ", imageBaseUrl=" + imageBaseUrl + "]";
    }
}
