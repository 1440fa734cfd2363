package org.hypertube.system;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/** One log line per request that ended in a server error; nothing for ordinary requests. */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class RequestErrorLog extends OncePerRequestFilter {

    private static final Logger log = LoggerFactory.getLogger(RequestErrorLog.class);

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        try {
            chain.doFilter(request, response);
        } catch (IOException | ServletException | RuntimeException e) {
            log.error("{} {} failed: {}", request.getMethod(), request.getRequestURI(), e.toString(), e);
            throw e;
        }
        if (response.getStatus() >= 500 && request.getDispatcherType() == DispatcherType.REQUEST) {
            log.warn("{} {} answered {}", request.getMethod(), request.getRequestURI(), response.getStatus());
        }
    }
}
