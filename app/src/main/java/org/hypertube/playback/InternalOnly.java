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
 * anything else; all get a bare 404, before any other filter. Which listener a request came through is
 * told by its local port; its path is judged decoded and normalized, as Spring matches it, so an encoded
 * {@code /%63luster/...} on the public port is refused like {@code /cluster/...}. A cluster request without
 * a valid HMAC ({@link ClusterAuth}) gets a 401 (logged at most once a minute).
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class InternalOnly extends OncePerRequestFilter {

    private static final Logger log = LoggerFactory.getLogger(InternalOnly.class);

    private final InternalMedia internal;
    private final ClusterListener cluster;
    private final ClusterAuth auth;
    private final WarnLimit refusals = new WarnLimit(java.time.Duration.ofMinutes(1));

    InternalOnly(InternalMedia internal, ClusterListener cluster, ClusterAuth auth) {
        this.internal = internal;
        this.cluster = cluster;
        this.auth = auth;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        // By the port a request reached, never by its path alone: Spring matches the decoded, normalized path
        // (/%63luster/... and /;x/cluster/... are /cluster/... to it), so the path is judged that way too.
        String path = decodedPath(request);
        String raw = request.getRequestURI();
        boolean internalPath = path.startsWith("/internal/");
        boolean clusterPath = path.startsWith("/cluster/");
        boolean onInternal = internal.internal(request);
        boolean onCluster = cluster.cluster(request);
        boolean refused;
        if (onCluster) {
            refused = !clusterPath || !raw.startsWith("/cluster/");
        } else if (onInternal) {
            refused = !internalPath || !raw.startsWith("/internal/");
        } else {
            refused = internalPath || clusterPath;
        }
        if (refused) {
            response.sendError(HttpServletResponse.SC_NOT_FOUND);
            return;
        }
        if (onCluster && !signed(request)) {
            refusals.warn(() -> log.warn("cluster request refused (no valid signature) from {}: {} {}",
                    request.getRemoteAddr(), request.getMethod(), raw));
            response.sendError(HttpServletResponse.SC_UNAUTHORIZED);
            return;
        }
        chain.doFilter(request, response);
    }

    /** The path as the servlet container decoded and normalized it, which is what Spring MVC and Security match. */
    static String decodedPath(HttpServletRequest request) {
        String servletPath = request.getServletPath() == null ? "" : request.getServletPath();
        String pathInfo = request.getPathInfo() == null ? "" : request.getPathInfo();
        return servletPath + pathInfo;
    }

    private boolean signed(HttpServletRequest request) {
        String query = request.getQueryString();
        String target = request.getRequestURI() + (query == null ? "" : "?" + query);
        return auth.verify(request.getMethod(), cluster.address(), target, request.getHeader("Range"),
                request.getHeader(ClusterAuth.HEADER));
    }
}
