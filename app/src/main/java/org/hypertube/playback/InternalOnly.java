package org.hypertube.playback;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Keeps the two listeners apart: {@code /internal/**} answers only on the internal (loopback) listener,
 * and that listener answers nothing else. Both get a bare 404, before any other filter.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class InternalOnly extends OncePerRequestFilter {

    private final InternalMedia internal;

    InternalOnly(InternalMedia internal) {
        this.internal = internal;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        boolean internalPath = request.getRequestURI().startsWith("/internal/");
        if (internalPath != internal.internal(request)) {
            response.sendError(HttpServletResponse.SC_NOT_FOUND);
            return;
        }
        chain.doFilter(request, response);
    }
}
