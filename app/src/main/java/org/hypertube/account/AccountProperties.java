package org.hypertube.account;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Account settings, bound from the environment (see README).
 *
 * @param mailFrom      sender of reset e-mails (MAIL_FROM)
 * @param admins        usernames made administrators at start-up, every other account but the first
 *                      being demoted (HYPERTUBE_ADMINS); empty: nobody's role changes ({@link AdminList})
 * @param resetTokenTtl how long a password-reset link works
 * @param verifyTokenTtl how long an e-mail verification link works
 * @param oauth         OAuth2 login providers by registration id (intra42, github, google)
 */
@ConfigurationProperties("hypertube.account")
record AccountProperties(String mailFrom, List<String> admins, Duration resetTokenTtl, Duration verifyTokenTtl,
                         Map<String, OAuthProvider> oauth) {

    AccountProperties {
        admins = admins == null ? List.of() : admins.stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
        resetTokenTtl = resetTokenTtl == null ? Duration.ofMinutes(30) : resetTokenTtl;
        verifyTokenTtl = verifyTokenTtl == null ? Duration.ofHours(48) : verifyTokenTtl;
        oauth = oauth == null ? Map.of() : oauth;
    }

    /** One provider; it is offered only when both client id and secret are set. */
    record OAuthProvider(String clientId, String clientSecret, URI authorizationUri, URI tokenUri, URI userInfoUri) {

        boolean configured() {
            return clientId != null && !clientId.isBlank() && clientSecret != null && !clientSecret.isBlank();
        }
    }
}
