package org.hypertube.account;

import java.io.Serial;
import java.io.Serializable;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.oauth2.core.user.OAuth2User;

/**
 * Someone a provider vouched for who has no account yet. Holds no role, so every page but the
 * sign-up completion stays closed until they pick a username (and give an e-mail if the provider had none).
 */
final class PendingSignup implements OAuth2User, Serializable {

    @Serial
    private static final long serialVersionUID = 1L;

    private final ProviderProfile profile;

    PendingSignup(ProviderProfile profile) {
        this.profile = profile;
    }

    ProviderProfile profile() { return profile; }

    @Override
    public Map<String, Object> getAttributes() { return Map.of("sub", profile.subject()); }

    @Override
    public Collection<? extends GrantedAuthority> getAuthorities() { return List.of(); }

    @Override
    public String getName() { return profile.provider() + ":" + profile.subject(); }
}
