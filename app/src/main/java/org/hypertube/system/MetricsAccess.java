package org.hypertube.system;

import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.function.Supplier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.authorization.AuthorizationResult;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;
import org.springframework.stereotype.Component;

/**
 * Who may read {@code /actuator/prometheus}: an administrator signed in, or a scraper sending
 * {@code Authorization: Bearer <HYPERTUBE_METRICS_TOKEN>} (Prometheus' {@code authorization} setting).
 * Without a token set, administrators only. The token is compared in constant time and must be long
 * enough not to be guessed.
 */
@Component
class MetricsAccess implements AuthorizationManager<RequestAuthorizationContext> {

    static final String PATH = "/actuator/prometheus";
    static final int MIN_TOKEN_LENGTH = 24;

    private final byte[] token;

    MetricsAccess(@Value("${hypertube.metrics-token:}") String token) {
        String t = token == null ? "" : token.strip();
        if (!t.isEmpty() && t.length() < MIN_TOKEN_LENGTH) {
            throw new IllegalStateException("HYPERTUBE_METRICS_TOKEN must be at least " + MIN_TOKEN_LENGTH
                    + " characters (e.g. openssl rand -hex 24)");
        }
        this.token = t.isEmpty() ? null : t.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public AuthorizationResult authorize(Supplier<? extends Authentication> authentication,
                                         RequestAuthorizationContext context) {
        return new AuthorizationDecision(bearer(context.getRequest()) || admin(authentication.get()));
    }

    private boolean bearer(HttpServletRequest request) {
        String header = request.getHeader("Authorization");
        if (token == null || header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        return MessageDigest.isEqual(token, header.substring(7).strip().getBytes(StandardCharsets.UTF_8));
    }

    private static boolean admin(Authentication authentication) {
        return authentication != null && authentication.isAuthenticated()
                && authentication.getAuthorities().stream().anyMatch(a -> "ROLE_ADMIN".equals(a.getAuthority()));
    }
}
