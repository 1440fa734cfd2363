package org.hypertube.system;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;
import org.thymeleaf.spring6.view.ThymeleafViewResolver;

/**
 * Template fragments rendered once and served again as the same HTML while what they show is the same:
 * a film grid is most of a page's work (measured with bench/catalog). A fragment is rendered by the
 * same view as a page would (messages, links, escaping), in the reader's language.
 *
 * <p>The caller's {@code data} must hold everything the fragment shows, compared with {@code equals};
 * the fragment must show nothing else of the request (no CSRF token, no member's name).
 */
@Component
public class RenderedFragments {

    private record Key(String view, Locale locale, Object data) {
    }

    private final ThymeleafViewResolver views;
    private final Cache<Key, String> rendered = Caffeine.newBuilder()
            .maximumSize(500).expireAfterAccess(Duration.ofMinutes(10)).build();

    RenderedFragments(ThymeleafViewResolver views) {
        this.views = views;
    }

    /**
     * The HTML of {@code view} (e.g. {@code "catalog/discover :: results"}) for {@code data}, rendered with
     * {@code model} the first time, within a request.
     */
    public String render(String view, Object data, Map<String, ?> model) {
        Locale locale = LocaleContextHolder.getLocale();
        return rendered.get(new Key(view, locale, data), key -> renderNow(view, locale, model));
    }

    private String renderNow(String view, Locale locale, Map<String, ?> model) {
        var request = (ServletRequestAttributes) RequestContextHolder.currentRequestAttributes();
        var capture = new Capture(request.getResponse());
        try {
            views.resolveViewName(view, locale).render(model, request.getRequest(), capture);
        } catch (Exception e) {
            throw new IllegalStateException("could not render " + view, e);
        }
        return capture.html();
    }

    /** A response that keeps what is written to it and changes nothing of the real one. */
    private static final class Capture extends HttpServletResponseWrapper {

        private final StringWriter out = new StringWriter();
        private final PrintWriter writer = new PrintWriter(out);

        Capture(HttpServletResponse response) {
            super(response);
        }

        String html() {
            writer.flush();
            return out.toString();
        }

        @Override
        public PrintWriter getWriter() {
            return writer;
        }

        @Override
        public jakarta.servlet.ServletOutputStream getOutputStream() {
            throw new IllegalStateException("a rendered fragment is written as text");
        }

        @Override
        public void setContentType(String type) {
        }

        @Override
        public void setCharacterEncoding(String charset) {
        }

        @Override
        public void setLocale(Locale locale) {
        }

        @Override
        public void flushBuffer() {
        }

        @Override
        public boolean isCommitted() {
            return false;
        }

        @Override
        public void resetBuffer() {
            out.getBuffer().setLength(0);
        }
    }
}
