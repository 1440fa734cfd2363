package org.hypertube.system;

import java.util.Optional;
import org.springframework.security.core.Authentication;

/** The language a signed-in person chose in their profile; the account feature answers it. */
public interface PreferredLanguage {

    Optional<String> of(Authentication authentication);
}
