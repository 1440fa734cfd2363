package org.hypertube.catalog.source;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The Internet Archive's public-domain feature films, keyless.
 *
 * @param enabled ARCHIVE_ENABLED
 * @param baseUrl ARCHIVE_BASE_URL, https://archive.org
 */
@ConfigurationProperties("hypertube.catalog.archive")
public record ArchiveProperties(Boolean enabled, String baseUrl) {

    public ArchiveProperties {
        enabled = enabled == null || enabled;
    }
}
