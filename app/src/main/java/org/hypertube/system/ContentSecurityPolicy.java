package org.hypertube.system;

import java.util.Collection;
import java.util.stream.Collectors;

/**
 * Our content security policy: only our own scripts and styles, no inline code anywhere. Each of the
 * four security chains sets it: the site's and the metrics endpoint's (SecurityConfig), the API's with
 * Swagger UI (ApiSecurity, {@link #SWAGGER_UI}) and the authorization server's (AuthorizationServer).
 */
public final class ContentSecurityPolicy {

    private static final String BASE = "default-src 'self'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; media-src 'self' blob:; connect-src 'self'; font-src 'self'; "
            + "object-src 'none'; base-uri 'self'; frame-ancestors 'none'; form-action 'self'";

    public static final String DEFAULT = BASE;

    /**
     * Swagger UI's: its scripts are our own files too, but it sets one inline style, which is allowed
     * here (styles cannot run code); scripts stay ours only.
     */
    public static final String SWAGGER_UI = BASE.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'");

    private ContentSecurityPolicy() {
    }

    /**
     * The policy for a page whose form may lead elsewhere, e.g. the OAuth2 consent, which ends in a
     * redirect to the program's own address (browsers apply form-action to redirects too).
     */
    public static String allowingFormTargets(Collection<String> origins) {
        return BASE + origins.stream().filter(o -> o.matches("^https?://[A-Za-z0-9.:\\[\\]-]+$"))
                .map(o -> " " + o).collect(Collectors.joining());
    }
}
