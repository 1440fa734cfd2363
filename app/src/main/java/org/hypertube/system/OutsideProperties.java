package org.hypertube.system;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Which addresses URLs from outside may reach ({@link OutsideFetch}, and the engine's trackers and web seeds).
 *
 * @param allowLocalAddresses inside addresses (loopback, private, link-local...) allowed too
 *                            (HYPERTUBE_ALLOW_LOCAL_ADDRESSES; HYPERTUBE_ALLOW_LOCAL_WEB_SEEDS, its old name,
 *                            still counts); off by default
 * @param trustedAddresses    a few IP addresses allowed although inside (HYPERTUBE_TRUSTED_ADDRESSES, comma-separated),
 *                            for a server on the LAN
 */
@ConfigurationProperties("hypertube.outside")
public record OutsideProperties(Boolean allowLocalAddresses, List<String> trustedAddresses) {

    public OutsideProperties {
        allowLocalAddresses = allowLocalAddresses != null && allowLocalAddresses;
        trustedAddresses = trustedAddresses == null ? List.of()
                : trustedAddresses.stream().filter(a -> !a.isBlank()).toList();
    }
}
