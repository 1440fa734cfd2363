package org.hypertube.system;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.security.web.csrf.DefaultCsrfToken;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;
import org.springframework.web.util.HtmlUtils;
import org.thymeleaf.spring6.view.ThymeleafViewResolver;

/**
 * Template fragments rendered once and served again to every member who sees the same (a film card, the
 * filter form): most of a page's work under load was Thymeleaf (bench/catalog). A fragment is rendered by
 * the same view as a page (messages, links, escaping), in the reader's language, with a stand-in for the
 * session's CSRF token that {@link #withToken} replaces per request. The caller's key must hold everything
 * the fragment shows (compared with {@code equals}); the fragment must show nothing else of the request or
 * the member (no name, no address with a session id).
 */
@Component
public class SharedFragments {

    private static final String TOKEN_ATTRIBUTE = CsrfToken.class.getName();
    /** What the rendered fragments may hold at most (about 20,000 cards). */
    static final long MAX_BYTES = 48L << 20;
    /**
     * What the pages kept whole may hold at most: a page is kept per member, so most are not asked again
     * (review-1200, item 2); in their own cache they never evict the cards and forms every member shares.
     */
    static final long MAX_PAGE_BYTES = 8L << 20;

    private record Key(String view, Locale locale, Object data) {
    }

    private final ThymeleafViewResolver views;
    private final Cache<Key, String> rendered = byteBounded(MAX_BYTES).build();
    /** The pages kept whole ({@link #page}), apart from the fragments; counted (cache "pages" in the metrics). */
    private final Cache<Key, String> pages = byteBounded(MAX_PAGE_BYTES).recordStats().build();
    /** Stands for the CSRF token in shared HTML: random per process, so no outside text can predict it. */
    private final String tokenHole;
    /** Begins the stand-in of a part of a page served per request ({@link #part}), random like the token's. */
    private final String partHole;

    SharedFragments(ThymeleafViewResolver views, MeterRegistry registry) {
        this.views = views;
        CaffeineCacheMetrics.monitor(registry, pages, "pages");
        byte[] random = new byte[16];
        new SecureRandom().nextBytes(random);
        this.tokenHole = "csrf-hole-" + HexFormat.of().formatHex(random);
        new SecureRandom().nextBytes(random);
        this.partHole = "part-hole-" + HexFormat.of().formatHex(random) + "-";
    }

    /** What a page's model holds instead of a part given to {@link #page} under this name (letters and digits). */
    public String part(String name) {
        return partHole + name + ".";
    }

    /**
     * A whole page (its frame, headings, notices) rendered once per language and {@code key}, then served
     * with this request's CSRF token and with {@code parts} (HTML rendered apart, e.g. the film cards, already
     * with the token: they are put in as given) where the model had {@link #part} stand-ins. As for {@link #html}: the key holds everything the page shows
     * but the parts, the token and the language.
     */
    public String page(String view, Object key, Supplier<Map<String, ?>> model, Map<String, String> parts,
                       HttpServletRequest request) {
        String html = withToken(cached(pages, view, key, model), request);
        StringBuilder out = new StringBuilder(html.length() + parts.values().stream().mapToInt(String::length).sum());
        int from = 0;
        for (int at = html.indexOf(partHole); at >= 0; at = html.indexOf(partHole, from)) {
            int end = html.indexOf('.', at + partHole.length());
            String part = end < 0 ? null : parts.get(html.substring(at + partHole.length(), end));
            if (part == null) {
                throw new IllegalStateException("no part for " + html.substring(at, Math.min(html.length(), at + 80)));
            }
            out.append(html, from, at).append(part);
            from = end + 1;
        }
        return out.append(html, from, html.length()).toString();
    }

    /**
     * The HTML of {@code view} (e.g. {@code "catalog/cards :: card"}) showing {@code data} in the reader's
     * language, rendered with {@code model} the first time, within a request; the CSRF token still a stand-in.
     */
    public String html(String view, Object data, Supplier<Map<String, ?>> model) {
        return cached(rendered, view, data, model);
    }

    private String cached(Cache<Key, String> cache, String view, Object data, Supplier<Map<String, ?>> model) {
        Locale locale = LocaleContextHolder.getLocale();
        return cache.get(new Key(view, locale, data), key -> render(view, locale, model.get()));
    }

    /**
     * Bounded by bytes, not entries: a key may hold a page's whole address (a card's no-JS return), which
     * anyone can make long and new with every request.
     */
    private static Caffeine<Key, String> byteBounded(long maxBytes) {
        return Caffeine.newBuilder()
                .maximumWeight(maxBytes)
                .weigher((Key k, String html) -> (int) Math.min(Integer.MAX_VALUE,
                        2L * (html.length() + String.valueOf(k.data()).length())))
                .expireAfterAccess(Duration.ofMinutes(10));
    }

    private String render(String view, Locale locale, Map<String, ?> model) {
        var attributes = (ServletRequestAttributes) RequestContextHolder.currentRequestAttributes();
        var capture = new Capture(attributes.getResponse());
        try {
            views.resolveViewName(view, locale).render(model, new WithoutToken(attributes.getRequest(), tokenHole), capture);
        } catch (Exception e) {
            throw new IllegalStateException("could not render " + view, e);
        }
        return capture.html();
    }

    /** Shared HTML with this request's CSRF token (none without a token) where {@link #render} put the stand-in. */
    public String withToken(String html, HttpServletRequest request) {
        CsrfToken token = (CsrfToken) request.getAttribute(TOKEN_ATTRIBUTE);
        return html.replace(tokenHole, token == null ? "" : HtmlUtils.htmlEscape(token.getToken()));
    }

    /** The request as a fragment sees it: the session's CSRF token replaced by the stand-in. */
    private static final class WithoutToken extends HttpServletRequestWrapper {

        private final CsrfToken hole;

        WithoutToken(HttpServletRequest request, String hole) {
            super(request);
            CsrfToken real = (CsrfToken) request.getAttribute(TOKEN_ATTRIBUTE);
            this.hole = real == null ? null : new DefaultCsrfToken(real.getHeaderName(), real.getParameterName(), hole);
        }

        @Override
        public Object getAttribute(String name) {
            Object value = super.getAttribute(name);
            return hole != null && value instanceof CsrfToken ? hole : value;
        }
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
            throw new IllegalStateException("a shared fragment is written as text");
        }

        /** Never a session id in a shared address. */
        @Override
        public String encodeURL(String url) {
            return url;
        }

        @Override
        public String encodeRedirectURL(String url) {
            return url;
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
        public void setHeader(String name, String value) {
        }

        @Override
        public void addHeader(String name, String value) {
        }

        @Override
        public void setStatus(int status) {
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
