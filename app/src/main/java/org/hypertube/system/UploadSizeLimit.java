package org.hypertube.system;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.util.unit.DataSize;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.FlashMap;
import org.springframework.web.servlet.support.SessionFlashMapManager;

/**
 * An upload over the cap goes back to the page it came from with a message. Checked on the declared
 * length before anything reads the body: Tomcat would otherwise fail the first parameter read (the
 * CSRF check) with a bare 413 and the person would see no explanation.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
class UploadSizeLimit extends OncePerRequestFilter {

    private final long maxBytes;
    private final SessionFlashMapManager flash = new SessionFlashMapManager();

    UploadSizeLimit(@Value("${spring.servlet.multipart.max-request-size}") DataSize maxRequestSize) {
        this.maxBytes = maxRequestSize.toBytes();
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String type = request.getContentType();
        return !"POST".equals(request.getMethod()) || type == null || !type.toLowerCase().startsWith("multipart/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (request.getContentLengthLong() <= maxBytes) {
            chain.doFilter(request, response);
            return;
        }
        String back = sameSitePath(request.getHeader("Referer"), request);
        var message = new FlashMap();
        message.put("uploadError", "upload.tooLarge");
        message.setTargetRequestPath(back);
        flash.saveOutputFlashMap(message, request, response);
        response.sendRedirect(back);
    }

    static String sameSitePath(String referer, HttpServletRequest request) {
        try {
            URI uri = URI.create(referer == null ? "/" : referer);
            boolean ours = uri.getHost() == null || uri.getHost().equalsIgnoreCase(request.getServerName());
            String path = uri.getRawPath();
            if (ours && path != null && path.startsWith("/") && !path.startsWith("//")) {
                return path;
            }
        } catch (IllegalArgumentException malformed) {
            // a malformed Referer: go home
        }
        return "/";
    }
}
