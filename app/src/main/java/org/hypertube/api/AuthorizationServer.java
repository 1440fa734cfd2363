package org.hypertube.api;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import org.hypertube.account.AccountService;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.hypertube.system.HypertubeProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.hypertube.system.ContentSecurityPolicy;
import org.springframework.core.annotation.Order;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcOperations;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.oauth2.server.authorization.OAuth2AuthorizationServerConfigurer;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.server.authorization.JdbcOAuth2AuthorizationConsentService;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationConsentService;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.client.JdbcRegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.util.matcher.MediaTypeRequestMatcher;

/**
 * Our OAuth2 authorization server: tokens at /oauth/token (client credentials; authorization code
 * with PKCE for programs acting for a member, after the member consents), refresh, revocation and
 * introspection. Everything it keeps is in the database, so a restart signs no program out and
 * several instances are one server: access tokens are JWTs signed with a key kept there ({@link SigningKey}),
 * issued authorizations (codes, refresh tokens) and consents are Spring Authorization Server's JDBC
 * stores, and a member's password or role change revokes theirs ({@link MemberAuthorizations}).
 */
@Configuration(proxyBeanMethods = false)
class AuthorizationServer {

    static final String CONSENT_PAGE = "/oauth/consent";

    @Bean
    @Order(1)
    SecurityFilterChain authorizationServerChain(HttpSecurity http, RegisteredClientRepository clients) throws Exception {
        var server = new OAuth2AuthorizationServerConfigurer();
        http.securityMatcher(server.getEndpointsMatcher())
                .with(server, as -> as
                        .registeredClientRepository(clients)
                        .authorizationEndpoint(authorize -> authorize.consentPage(CONSENT_PAGE))
                        .tokenEndpoint(token -> token.accessTokenRequestConverters(DefaultScopes::install)))
                .authorizeHttpRequests(auth -> auth.anyRequest().authenticated())
                // A person who is not signed in is sent to the sign-in page, then back to the consent.
                .exceptionHandling(errors -> errors.defaultAuthenticationEntryPointFor(
                        new LoginUrlAuthenticationEntryPoint("/login"), new MediaTypeRequestMatcher(MediaType.TEXT_HTML)))
                // Its answers are redirects and errors; the consent page, in the site's chain, sets its own.
                .headers(headers -> headers.contentSecurityPolicy(csp -> csp.policyDirectives(ContentSecurityPolicy.DEFAULT)));
        return http.build();
    }

    @Bean
    AuthorizationServerSettings authorizationServerSettings() {
        return AuthorizationServerSettings.builder()
                .authorizationEndpoint("/oauth/authorize")
                .tokenEndpoint("/oauth/token")
                .tokenRevocationEndpoint("/oauth/revoke")
                .tokenIntrospectionEndpoint("/oauth/introspect")
                .jwkSetEndpoint("/oauth/jwks")
                .build();
    }

    @Bean
    RegisteredClientRepository registeredClients(JdbcOperations jdbc) {
        return new JdbcRegisteredClientRepository(jdbc);
    }

    @Bean
    OAuth2AuthorizationService authorizations(JdbcOperations jdbc, RegisteredClientRepository clients, AccountService accounts) {
        return new MemberAuthorizations(jdbc, clients, accounts);
    }

    @Bean
    OAuth2AuthorizationConsentService consents(JdbcOperations jdbc, RegisteredClientRepository clients) {
        return new JdbcOAuth2AuthorizationConsentService(jdbc, clients);
    }

    @Bean
    RSAKey signingKey(JdbcOperations jdbc, HypertubeProperties properties) {
        return SigningKey.load(jdbc, properties.dataDir().resolve("oauth").resolve("signing-key.jwk"));
    }

    @Bean
    JWKSource<SecurityContext> jwkSource(RSAKey signingKey) {
        return new ImmutableJWKSet<>(new JWKSet(signingKey));
    }

    /**
     * Our own tokens; one issued for a member is refused once the member's password or role changed
     * after it was issued (its "cv" claim is older), so revoking is immediate, not at expiry.
     */
    @Bean
    JwtDecoder jwtDecoder(RSAKey signingKey, AccountService accounts) throws com.nimbusds.jose.JOSEException {
        var decoder = NimbusJwtDecoder.withPublicKey(signingKey.toRSAPublicKey()).build();
        OAuth2TokenValidator<Jwt> current = jwt -> {
            if (!(jwt.getClaim("uid") instanceof Number uid)) {
                return OAuth2TokenValidatorResult.success();
            }
            boolean valid = jwt.getClaim("cv") instanceof Number cv
                    && accounts.credentialsVersion(uid.longValue()).filter(v -> v == cv.intValue()).isPresent();
            return valid ? OAuth2TokenValidatorResult.success() : OAuth2TokenValidatorResult.failure(
                    new OAuth2Error("invalid_token", "The member's password or role changed since this token was issued.", null));
        };
        decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(JwtValidators.createDefault(), current));
        return decoder;
    }
}
