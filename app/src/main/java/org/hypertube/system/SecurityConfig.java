package org.hypertube.system;

import jakarta.servlet.http.HttpServletResponse;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.authentication.LockedException;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.Authentication;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.client.userinfo.OAuth2UserRequest;
import org.springframework.security.oauth2.client.userinfo.OAuth2UserService;
import org.springframework.security.oauth2.core.user.OAuth2User;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.AccessDeniedHandlerImpl;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;
import org.springframework.security.web.authentication.SavedRequestAwareAuthenticationSuccessHandler;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter;

/**
 * Who may see what. Only the sign-in, sign-up, password-reset pages and static files are public;
 * everything else needs a member (ROLE_USER). Someone signed in through a provider but without an
 * account yet has no role and is sent to finish signing up.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfig {

    static final String SIGNUP_COMPLETION = "/signup/oauth";

    @Bean
    PasswordEncoder passwordEncoder() {
        return PasswordEncoderFactories.createDelegatingPasswordEncoder();
    }

    /**
     * {@code /actuator/prometheus} on its own: an administrator's session or the scraper's bearer token
     * ({@link MetricsAccess}); anyone else gets 401 (a member 403), never the sign-in page.
     */
    @Bean
    @org.springframework.core.annotation.Order(3)
    SecurityFilterChain metrics(HttpSecurity http, MetricsAccess access) throws Exception {
        http.securityMatcher(MetricsAccess.PATH)
                .authorizeHttpRequests(auth -> auth.anyRequest().access(access))
                .exceptionHandling(errors -> errors.authenticationEntryPoint(
                        new org.springframework.security.web.authentication.HttpStatusEntryPoint(
                                org.springframework.http.HttpStatus.UNAUTHORIZED)))
                .requestCache(cache -> cache.disable())
                .headers(headers -> headers.contentSecurityPolicy(csp -> csp.policyDirectives(ContentSecurityPolicy.DEFAULT)));
        return http.build();
    }

    @Bean
    SecurityFilterChain web(HttpSecurity http, HypertubeProperties properties,
                            ObjectProvider<OAuth2UserService<OAuth2UserRequest, OAuth2User>> oauthUsers) throws Exception {
        http.authorizeHttpRequests(auth -> auth
                .requestMatchers("/login", "/register", "/password/**", "/language", "/error", "/favicon.ico",
                        "/assets/**", "/webjars/**", "/actuator/health/**", "/actuator/health")
                .permitAll()
                // ffprobe and ffmpeg on this machine: a secret token, on the loopback-only listener (InternalMedia).
                .requestMatchers("/internal/media/*").permitAll()
                .requestMatchers(SIGNUP_COMPLETION).authenticated()
                .requestMatchers("/actuator/**", "/admin/**").hasRole("ADMIN")
                .anyRequest().hasRole("USER"));
        // Only a page the person opened is worth returning to after signing in: not a cover image or
        // an htmx fragment a page asked for after the session ended.
        var requestCache = new org.springframework.security.web.savedrequest.HttpSessionRequestCache();
        requestCache.setRequestMatcher(request -> "GET".equals(request.getMethod())
                && request.getHeader("HX-Request") == null
                && String.valueOf(request.getHeader("Accept")).contains("text/html"));
        http.requestCache(cache -> cache.requestCache(requestCache));
        http.formLogin(form -> form
                .loginPage("/login")
                .failureHandler(loginFailure())
                .permitAll());
        http.oauth2Login(oauth -> {
            oauth.loginPage("/login")
                    .failureUrl("/login?oauthError")
                    .successHandler((request, response, authentication) -> {
                        if (isMember(authentication)) {
                            new SavedRequestAwareAuthenticationSuccessHandler().onAuthenticationSuccess(request, response, authentication);
                        } else {
                            response.sendRedirect(request.getContextPath() + SIGNUP_COMPLETION);
                        }
                    });
            OAuth2UserService<OAuth2UserRequest, OAuth2User> service = oauthUsers.getIfAvailable();
            if (service != null) {
                oauth.userInfoEndpoint(info -> info.userService(service));
            }
        });
        // The form token's mask is drawn from several DRBGs, not from the one lock of NativePRNG (StripedSecureRandom).
        var tokens = new org.springframework.security.web.csrf.XorCsrfTokenRequestAttributeHandler();
        tokens.setSecureRandom(new StripedSecureRandom(16));
        http.csrf(csrf -> csrf.csrfTokenRequestHandler(tokens));
        http.logout(logout -> logout.logoutUrl("/logout").logoutSuccessUrl("/login?logout").permitAll());
        http.exceptionHandling(errors -> errors.accessDeniedHandler((request, response, denied) -> {
            var authentication = org.springframework.security.core.context.SecurityContextHolder.getContext().getAuthentication();
            if (authentication != null && authentication.isAuthenticated() && !isMember(authentication)
                    && "GET".equals(request.getMethod())) {
                response.sendRedirect(request.getContextPath() + SIGNUP_COMPLETION);
            } else {
                new AccessDeniedHandlerImpl().handle(request, response, denied);
            }
        }));
        http.headers(headers -> headers
                .contentSecurityPolicy(csp -> csp.policyDirectives(ContentSecurityPolicy.DEFAULT))
                .frameOptions(frame -> frame.deny())
                .referrerPolicy(referrer -> referrer.policy(ReferrerPolicyHeaderWriter.ReferrerPolicy.SAME_ORIGIN))
                // An https site says so on every answer, even one a TLS-terminating proxy forwarded as http.
                .httpStrictTransportSecurity(hsts -> {
                    if (ReverseProxy.https(properties)) {
                        hsts.requestMatcher(org.springframework.security.web.util.matcher.AnyRequestMatcher.INSTANCE)
                                .maxAgeInSeconds(31_536_000).includeSubDomains(false);
                    } else {
                        hsts.disable();
                    }
                }));
        return http.build();
    }

    private static boolean isMember(Authentication authentication) {
        return authentication.getAuthorities().stream().anyMatch(a -> "ROLE_USER".equals(a.getAuthority()));
    }

    private static AuthenticationFailureHandler loginFailure() {
        return (request, response, exception) -> {
            String reason = exception instanceof LockedException ? "locked" : "error";
            request.getSession().setAttribute("LOGIN_USERNAME", request.getParameter("username"));
            response.setStatus(HttpServletResponse.SC_FOUND);
            response.sendRedirect(request.getContextPath() + "/login?" + reason);
        };
    }
}
