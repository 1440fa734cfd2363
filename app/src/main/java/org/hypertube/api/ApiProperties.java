package org.hypertube.api;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * @param operatorClientId     a client the operator defines by environment (API_CLIENT_ID), or blank
 * @param operatorClientSecret its secret (API_CLIENT_SECRET); stored hashed
 * @param operatorRedirectUris where it may send people back after consent (API_CLIENT_REDIRECT_URIS), if it acts for them
 * @param accessTokenTtl       how long an access token works
 * @param tokenRequestsPerMinute token requests one address may make per minute
 */
@ConfigurationProperties("hypertube.api")
record ApiProperties(String operatorClientId, String operatorClientSecret, List<String> operatorRedirectUris,
                     Duration accessTokenTtl, Integer tokenRequestsPerMinute) {

    ApiProperties {
        operatorRedirectUris = operatorRedirectUris == null ? List.of()
                : operatorRedirectUris.stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
        accessTokenTtl = accessTokenTtl == null ? Duration.ofMinutes(30) : accessTokenTtl;
        tokenRequestsPerMinute = tokenRequestsPerMinute == null ? 60 : tokenRequestsPerMinute;
    }

    boolean hasOperatorClient() {
        return operatorClientId != null && !operatorClientId.isBlank() && operatorClientSecret != null
                && !operatorClientSecret.isBlank();
    }
}
