package org.hypertube.api;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.hypertube.system.ContentSecurityPolicy;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.server.resource.web.BearerTokenAuthenticationEntryPoint;
import org.springframework.security.oauth2.server.resource.web.access.BearerTokenAccessDeniedHandler;
import org.springframework.security.web.SecurityFilterChain;

/**
 * /api/** accepts only bearer tokens from our authorization server: reading needs scope "read",
 * changing needs "write" (only tokens a member consented to carry it). No session, no cookie, so no
 * CSRF. Refusals come as problem details with the WWW-Authenticate header RFC 6750 asks for.
 */
@Configuration(proxyBeanMethods = false)
class ApiSecurity {

    static final String READ = "read";
    static final String WRITE = "write";

    @Bean
    @Order(2)
    SecurityFilterChain apiChain(HttpSecurity http, JwtDecoder jwtDecoder) throws Exception {
        var unauthorized = new BearerTokenAuthenticationEntryPoint();
        var forbidden = new BearerTokenAccessDeniedHandler();
        http.securityMatcher("/api/**")
                .authorizeHttpRequests(auth -> auth
                        .requestMatchers("/api/docs", "/api/docs/**").permitAll()
                        .requestMatchers(HttpMethod.GET, "/api/**").hasAuthority("SCOPE_" + READ)
                        .requestMatchers(HttpMethod.HEAD, "/api/**").hasAuthority("SCOPE_" + READ)
                        .anyRequest().hasAuthority("SCOPE_" + WRITE))
                .oauth2ResourceServer(resource -> resource
                        .jwt(jwt -> jwt.decoder(jwtDecoder))
                        .authenticationEntryPoint((request, response, e) -> {
                            unauthorized.commence(request, response, e);
                            problem(response, HttpStatus.UNAUTHORIZED, "A valid bearer token is needed.");
                        })
                        .accessDeniedHandler((request, response, e) -> {
                            forbidden.handle(request, response, e);
                            problem(response, HttpStatus.FORBIDDEN, "This token's scope does not allow it.");
                        }))
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .csrf(csrf -> csrf.disable())
                .requestCache(cache -> cache.disable())
                // Swagger UI (/api/docs/ui) is a page too; the rest of the chain answers JSON, which a policy does not hurt.
                .headers(headers -> headers.contentSecurityPolicy(csp -> csp.policyDirectives(ContentSecurityPolicy.SWAGGER_UI)));
        return http.build();
    }

    static void problem(HttpServletResponse response, HttpStatus status, String detail) throws IOException {
        response.setStatus(status.value());
        response.setContentType("application/problem+json");
        response.setCharacterEncoding("UTF-8");
        response.getWriter().write("{\"title\":\"" + status.getReasonPhrase() + "\",\"status\":"
                + status.value() + ",\"detail\":\"" + detail + "\"}");
    }
}
