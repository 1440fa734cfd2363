package org.hypertube.system;

import java.util.Collection;
import java.util.stream.Collectors;

/** Our content security policy: only our own scripts and styles, no inline code anywhere. */
public final class ContentSecurityPolicy {

    private static final String BASE = "default-src 'self'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; media-src 'self' blob:; connect-src 'self'; font-src 'self'; "
            + "object-src 'none'; base-uri 'self'; frame-ancestors 'none'; form-action 'self'";

    public static final String DEFAULT = BASE;

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
