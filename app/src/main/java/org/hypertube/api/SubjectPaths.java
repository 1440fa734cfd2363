package org.hypertube.api;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.regex.Pattern;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The subject's own paths ({@code /users}, {@code /movies/42}, {@code /movies/42/comments}, {@code /comments/7} ...)
 * answer as the API for a program: a request carrying a bearer token, or accepting JSON only, is forwarded to the
 * same path under /api, where the API's security chain and handlers answer it. Browsers (which accept HTML) go on to
 * the site as before. Runs before Spring Security, which then sees the forwarded /api request.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 30)
class SubjectPaths extends OncePerRequestFilter {

    private static final Pattern PATHS = Pattern.compile("/(users|movies|comments)(/[^/]{1,40})?|/movies/[^/]{1,40}/comments");

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        return !PATHS.matcher(path).matches() || !(bearer(request) || jsonOnly(request));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        String query = request.getQueryString();
        request.getRequestDispatcher("/api" + path + (query == null ? "" : "?" + query)).forward(request, response);
    }

    static boolean bearer(HttpServletRequest request) {
        String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
        return authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7);
    }

    /** True when every type the request accepts is JSON ({@code application/json} or a {@code +json} type). */
    static boolean jsonOnly(HttpServletRequest request) {
        String accept = request.getHeader(HttpHeaders.ACCEPT);
        if (accept == null || accept.isBlank() || accept.length() > 1000) {
            return false;
        }
        try {
            List<MediaType> types = MediaType.parseMediaTypes(accept);
            return !types.isEmpty() && types.stream().allMatch(t -> "application".equals(t.getType())
                    && ("json".equals(t.getSubtype()) || t.getSubtype().endsWith("+json")));
        } catch (InvalidMediaTypeException e) {
            return false;
        }
    }
}
