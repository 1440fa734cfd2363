package org.hypertube.api;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/** Token requests per client address per minute are capped; over it, 429 with Retry-After. */
/** Runs before Spring Security, whose token endpoint answers without passing the request on. */
@Component
@org.springframework.core.annotation.Order(org.springframework.core.Ordered.HIGHEST_PRECEDENCE + 20)
class TokenRateLimit extends OncePerRequestFilter {

    private static final Logger log = LoggerFactory.getLogger(TokenRateLimit.class);

    private final int perMinute;
    private final Cache<String, AtomicInteger> counts = Caffeine.newBuilder()
            .expireAfterWrite(Duration.ofMinutes(1)).maximumSize(100_000).build();

    TokenRateLimit(ApiProperties properties) {
        this.perMinute = properties.tokenRequestsPerMinute();
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !"/oauth/token".equals(request.getRequestURI());
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        int count = counts.get(request.getRemoteAddr(), a -> new AtomicInteger()).incrementAndGet();
        if (count > perMinute) {
            if (count == perMinute + 1) {
                log.warn("token requests from {} over {} per minute: refused for a while", request.getRemoteAddr(), perMinute);
            }
            response.setStatus(429);
            response.setHeader("Retry-After", "60");
            response.setContentType("application/problem+json");
            response.setCharacterEncoding("UTF-8");
            response.getWriter().write("{\"title\":\"Too Many Requests\",\"status\":429,"
                    + "\"detail\":\"Too many token requests; retry in a minute.\"}");
            return;
        }
        chain.doFilter(request, response);
    }
}
