package org.hypertube.system;

import java.net.URI;
import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;
import jakarta.validation.constraints.NotNull;

/**
 * Settings every feature shares.
 *
 * @param baseUrl the address people reach this server at (HYPERTUBE_BASE_URL); links in e-mails use it,
 *                never the request's Host header, which a client can forge. Unset: http://localhost:PORT
 * @param dataDir the only folder the server writes files to (HYPERTUBE_DATA_DIR)
 */
@Validated
@ConfigurationProperties("hypertube")
public record HypertubeProperties(URI baseUrl, @NotNull Path dataDir) {

    public HypertubeProperties {
        if (baseUrl != null && !("http".equals(baseUrl.getScheme()) || "https".equals(baseUrl.getScheme()))) {
            throw new IllegalArgumentException("HYPERTUBE_BASE_URL must be an http(s) URL, was " + baseUrl);
        }
        if (dataDir != null) {
            dataDir = dataDir.toAbsolutePath().normalize();
        }
    }
}
