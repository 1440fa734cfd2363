package org.hypertube.api;

import jakarta.servlet.http.HttpServletRequest;
import java.util.HashMap;
import java.util.List;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientCredentialsAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.web.authentication.OAuth2ClientCredentialsAuthenticationConverter;
import org.springframework.security.web.authentication.AuthenticationConverter;

/**
 * A client-credentials token request without {@code scope} gets the client's registered scopes
 * (RFC 6749 §3.3 lets the server choose a default); one naming a scope gets what it names, as before.
 */
final class DefaultScopes implements AuthenticationConverter {

    private final AuthenticationConverter delegate = new OAuth2ClientCredentialsAuthenticationConverter();

    /** The token endpoint's converters, with the client-credentials one replaced by this one. */
    static void install(List<AuthenticationConverter> converters) {
        converters.replaceAll(c -> c instanceof OAuth2ClientCredentialsAuthenticationConverter ? new DefaultScopes() : c);
    }

    @Override
    public Authentication convert(HttpServletRequest request) {
        Authentication converted = delegate.convert(request);
        if (!(converted instanceof OAuth2ClientCredentialsAuthenticationToken token) || !token.getScopes().isEmpty()) {
            return converted;
        }
        // The client has already been authenticated by the time a grant is read.
        if (SecurityContextHolder.getContext().getAuthentication() instanceof OAuth2ClientAuthenticationToken client
                && client.getRegisteredClient() != null) {
            return new OAuth2ClientCredentialsAuthenticationToken(client, client.getRegisteredClient().getScopes(),
                    new HashMap<>(token.getAdditionalParameters()));
        }
        return converted;
    }
}
