package org.hypertube.account;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.client.userinfo.DefaultOAuth2UserService;
import org.springframework.security.oauth2.client.userinfo.OAuth2UserRequest;
import org.springframework.security.oauth2.client.userinfo.OAuth2UserService;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.user.OAuth2User;

/**
 * OAuth2 login with 42, GitHub and Google. Each provider is registered only when configured, with
 * explicit endpoints (no discovery call at start-up), and without OpenID Connect so that every
 * provider goes through the same user-info path.
 */
@Configuration(proxyBeanMethods = false)
class OAuthLogin {

    private static final Logger log = LoggerFactory.getLogger(OAuthLogin.class);

    /** Known providers in the order the login page shows them, with their display name, scopes and id attribute. */
    private record Known(String id, String name, ClientAuthenticationMethod method, List<String> scopes, String idAttribute) {
    }

    private static final List<Known> KNOWN = List.of(
            new Known("intra42", "42", ClientAuthenticationMethod.CLIENT_SECRET_POST, List.of("public"), "id"),
            new Known("github", "GitHub", ClientAuthenticationMethod.CLIENT_SECRET_BASIC, List.of("read:user"), "id"),
            new Known("google", "Google", ClientAuthenticationMethod.CLIENT_SECRET_BASIC, List.of("profile", "email"), "sub"));

    /** The configured providers; may be empty, in which case the login page shows no provider button. */
    static final class Providers implements ClientRegistrationRepository, Iterable<ClientRegistration> {
        private final Map<String, ClientRegistration> byId;

        Providers(Map<String, ClientRegistration> byId) {
            this.byId = byId;
        }

        @Override
        public ClientRegistration findByRegistrationId(String registrationId) {
            return byId.get(registrationId);
        }

        @Override
        public Iterator<ClientRegistration> iterator() {
            return byId.values().iterator();
        }

        List<ClientRegistration> list() {
            return new ArrayList<>(byId.values());
        }
    }

    @Bean
    Providers clientRegistrations(AccountProperties properties) {
        Map<String, ClientRegistration> registrations = new LinkedHashMap<>();
        for (Known known : KNOWN) {
            var provider = properties.oauth().get(known.id());
            if (provider == null || !provider.configured()) {
                continue;
            }
            registrations.put(known.id(), ClientRegistration.withRegistrationId(known.id())
                    .clientName(known.name())
                    .clientId(provider.clientId())
                    .clientSecret(provider.clientSecret())
                    .clientAuthenticationMethod(known.method())
                    .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
                    .redirectUri("{baseUrl}/login/oauth2/code/{registrationId}")
                    .scope(known.scopes())
                    .authorizationUri(provider.authorizationUri().toString())
                    .tokenUri(provider.tokenUri().toString())
                    .userInfoUri(provider.userInfoUri().toString())
                    .userNameAttributeName(known.idAttribute())
                    .build());
            log.info("OAuth2 login with {} enabled", known.name());
        }
        return new Providers(registrations);
    }

    @Bean
    OAuth2UserService<OAuth2UserRequest, OAuth2User> oauthMembers(AccountService accounts) {
        var provider = new DefaultOAuth2UserService();
        return request -> {
            OAuth2User user = provider.loadUser(request);
            var profile = ProviderProfile.from(request.getClientRegistration().getRegistrationId(), user.getAttributes());
            if (profile.subject() == null) {
                throw new org.springframework.security.oauth2.core.OAuth2AuthenticationException("provider sent no user id");
            }
            return accounts.signInWith(profile).<OAuth2User>map(MemberPrincipal::new)
                    .orElseGet(() -> new PendingSignup(profile));
        };
    }
}
