package org.hypertube.account;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Ends a session whose member changed their password or role since it signed in: every session
 * remembers the member's credentials version of its sign-in ({@link MemberPrincipal}), and a request
 * whose version is older than the member's current one is signed out and sent to the sign-in page.
 * Runs before Spring Security's filters, so that no endpoint of theirs (the OAuth2 authorization
 * endpoint among them) sees such a session.
 */
class SessionGuard extends OncePerRequestFilter {

    @Configuration(proxyBeanMethods = false)
    static class Registration {
        @Bean
        FilterRegistrationBean<SessionGuard> sessionGuard(JdbcTemplate jdbc) {
            var registration = new FilterRegistrationBean<>(new SessionGuard(jdbc));
            registration.setOrder(SecurityFilterProperties.DEFAULT_FILTER_ORDER - 1);
            return registration;
        }
    }

    private static final Logger log = LoggerFactory.getLogger(SessionGuard.class);

    private final JdbcTemplate jdbc;

    SessionGuard(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        var session = request.getSession(false);
        if (session != null
                && session.getAttribute(HttpSessionSecurityContextRepository.SPRING_SECURITY_CONTEXT_KEY) instanceof SecurityContext context
                && context.getAuthentication() != null
                && context.getAuthentication().getPrincipal() instanceof MemberPrincipal member
                && !current(member)) {
            log.info("ended a session of member {}: their password or role changed since it signed in", member.id());
            session.invalidate();
            response.sendRedirect(request.getContextPath() + "/login?ended");
            return;
        }
        chain.doFilter(request, response);
    }

    private boolean current(MemberPrincipal member) {
        List<Integer> version = jdbc.queryForList("select credentials_version from members where id = ?", Integer.class,
                member.id());
        return !version.isEmpty() && version.getFirst() == member.credentialsVersion();
    }
}
