package org.hypertube.playback;

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

/**
 * Keeps the listeners apart: {@code /internal/**} answers only on the internal (loopback) listener and
 * {@code /cluster/**} only on the cluster listener ({@link ClusterListener}), and neither listener answers
 * anything else; all get a bare 404, before any other filter. A cluster request without a valid HMAC
 * ({@link ClusterAuth}) gets a 401.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class InternalOnly extends OncePerRequestFilter {

    private static final Logger log = LoggerFactory.getLogger(InternalOnly.class);

    private final InternalMedia internal;
    private final ClusterListener cluster;
    private final ClusterAuth auth;

    InternalOnly(InternalMedia internal, ClusterListener cluster, ClusterAuth auth) {
        this.internal = internal;
        this.cluster = cluster;
        this.auth = auth;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String uri = request.getRequestURI();
        boolean internalPath = uri.startsWith("/internal/");
        boolean clusterPath = uri.startsWith("/cluster/");
        if (internalPath != internal.internal(request) || clusterPath != cluster.cluster(request)) {
            response.sendError(HttpServletResponse.SC_NOT_FOUND);
            return;
        }
        if (clusterPath && !signed(request)) {
            log.warn("cluster request refused (no valid signature) from {}: {} {}", request.getRemoteAddr(),
                    request.getMethod(), uri);
            response.sendError(HttpServletResponse.SC_UNAUTHORIZED);
            return;
        }
        chain.doFilter(request, response);
    }

    private boolean signed(HttpServletRequest request) {
        String query = request.getQueryString();
        String target = request.getRequestURI() + (query == null ? "" : "?" + query);
        return auth.verify(request.getMethod(), target, request.getHeader(ClusterAuth.HEADER));
    }
}
