package org.hypertube.catalog.source;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.hypertube.system.OutsideFetch;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;
import org.w3c.dom.Document;
import org.xml.sax.ErrorHandler;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one HTTP setup every film source uses: a {@link RestClient} over the JDK HttpClient with a
 * connect timeout, one time budget per call (retries and their waits included), at most a few
 * retries on 429/5xx with backoff and Retry-After, a cap on the answer's size, and a Caffeine cache
 * of answers the source's own check accepted. Keys in query strings never reach a message or a log
 * line: every URL shown is {@link #redact redacted}.
 */
@Component
public class SourceHttp {

    /** Query parameters that carry secrets (TMDB api_key, OMDb/Torznab apikey, Jackett links). */
    private static final Pattern SECRET_PARAM = Pattern.compile(
            "(?i)([?&;](?:api_?key|jackett_apikey|access_token|token|key)=)[^&#\\s\"'<>]*");
    private static final String USER_AGENT = "Hypertube/0.1 (self-hosted film server)";
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(250);
    /** A retry is pointless when less than this would be left for it. */
    private static final Duration SHORTEST_USEFUL_ATTEMPT = Duration.ofMillis(200);
    private static final int MESSAGE_EXCERPT = 160;

    /** A check a source applies to a parsed answer: errors sent with HTTP 200 end here. */
    @FunctionalInterface
    public interface AnswerCheck<T> {
        void check(T answer) throws SourceUnavailableException;
    }

    private final SourceHttpProperties settings;
    private final RestClient restClient;
    private final RestClient nonRedirectingClient;
    private final JsonMapper jsonMapper = JsonMapper.builder().build();
    private final DocumentBuilderFactory xmlFactory = safeXmlFactory();
    private final Cache<String, byte[]> answers;

    private final OutsideFetch outside;

    public SourceHttp(SourceHttpProperties settings, OutsideFetch outside) {
        this.settings = settings;
        this.outside = outside;
        this.restClient = client(true);
        this.nonRedirectingClient = client(false);
        this.answers = Caffeine.newBuilder()
                .expireAfterWrite(settings.cacheTtl())
                .maximumWeight(settings.cacheSize().toBytes())
                .weigher((String key, byte[] body) -> body.length + key.length())
                .build();
    }

    private RestClient client(boolean followRedirects) {
        // Never to an inside address, redirects included, except the operator's own source URLs
        // (operatorUrl). The read time-out is a backstop only, a little later than the call's budget,
        // which is what really bounds an attempt (and reports it as a time-out rather than as a
        // cancelled stream). gzip is asked for and inflated by the client; the cap applies to the
        // inflated bytes, so no bomb gets past it.
        return RestClient.builder()
                .requestFactory(outside.requestFactory(followRedirects, settings.connectTimeout(),
                        settings.timeout().plusSeconds(1)))
                .defaultHeader(HttpHeaders.USER_AGENT, USER_AGENT)
                .build();
    }

    /**
     * A configured base URL ({@code variable} names it in errors): checked, without its trailing slash. When
     * the operator set it (not a built-in service's host), its host and port are trusted even when they are an
     * inside address (an indexer on the LAN); the built-in hosts, the sources' other URLs, and every redirect
     * elsewhere are not.
     */
    String operatorUrl(String url, String variable) {
        String checked = SourceBaseUrl.require(url, variable);
        if (SourceBaseUrl.operatorChosen(checked)) {
            outside.trustOperatorUrl(checked);
        }
        return checked;
    }

    /** The settings this client runs with. */
    public SourceHttpProperties settings() {
        return settings;
    }

    /** GET a JSON answer; any status but 2xx makes the source unavailable. */
    public JsonNode getJson(String source, URI uri, Map<String, String> headers, AnswerCheck<JsonNode> check)
            throws SourceUnavailableException {
        return get(source, uri, headers, false, this::parseJson, check).orElseThrow();
    }

    /** GET a JSON answer; a 404 (the source does not know the thing asked for) gives empty. */
    public Optional<JsonNode> getJsonOrNotFound(String source, URI uri, Map<String, String> headers,
                                                AnswerCheck<JsonNode> check) throws SourceUnavailableException {
        return get(source, uri, headers, true, this::parseJson, check);
    }

    /** GET an XML answer, parsed with DTDs and external entities refused. */
    public Document getXml(String source, URI uri, Map<String, String> headers, AnswerCheck<Document> check)
            throws SourceUnavailableException {
        return get(source, uri, headers, false, this::parseXml, check).orElseThrow();
    }

    /**
     * Where {@code uri} redirects to, without following it (Jackett's download links answer with a
     * {@code Location: magnet:...}); empty when it does not redirect. The answer is not cached.
     */
    public Optional<String> redirectTarget(String source, URI uri) throws SourceUnavailableException {
        long deadline = System.nanoTime() + settings.timeout().toNanos();
        Attempt attempt = attempt(source, nonRedirectingClient, uri, Map.of(), deadline, true);
        if (attempt.status() >= 300 && attempt.status() < 400 && attempt.location() != null) {
            return Optional.of(attempt.location());
        }
        return Optional.empty();
    }

    /**
     * The secrets of one request: values of secret query parameters and of the Authorization header.
     * An error body may echo them, so they are removed from every message, not only from URLs.
     */
    private static List<String> secrets(URI uri, Map<String, String> headers) {
        List<String> secrets = new ArrayList<>();
        Matcher m = SECRET_PARAM.matcher(uri.toString());
        while (m.find()) {
            String value = m.group().substring(m.group(1).length());
            if (value.length() >= 4) {
                secrets.add(value);
                secrets.add(URLDecoder.decode(value, StandardCharsets.UTF_8));
            }
        }
        headers.forEach((name, value) -> {
            if (name.equalsIgnoreCase(HttpHeaders.AUTHORIZATION) && value != null) {
                String token = value.contains(" ") ? value.substring(value.indexOf(' ') + 1).strip() : value;
                if (token.length() >= 4) {
                    secrets.add(token);
                }
            }
        });
        return secrets;
    }

    private static String withoutSecrets(String text, List<String> secrets) {
        String out = redact(text);
        for (String secret : secrets) {
            out = out.replace(secret, "<redacted>");
        }
        return out;
    }

    /** The URL or text with the values of secret query parameters replaced. */
    public static String redact(String text) {
        return text == null ? null : SECRET_PARAM.matcher(text).replaceAll("$1<redacted>");
    }

    @FunctionalInterface
    private interface Parser<T> {
        T parse(String source, URI uri, byte[] body) throws SourceUnavailableException;
    }

    private <T> Optional<T> get(String source, URI uri, Map<String, String> headers, boolean notFoundIsEmpty,
                                Parser<T> parser, AnswerCheck<T> check) throws SourceUnavailableException {
        String cacheKey = source + " " + redact(uri.toString());
        byte[] cached = answers.getIfPresent(cacheKey);
        if (cached != null) {
            return Optional.of(parser.parse(source, uri, cached)); // it parsed and passed before
        }
        byte[] body = fetch(source, uri, headers, notFoundIsEmpty);
        if (body == null) {
            return Optional.empty();
        }
        T answer;
        try {
            answer = parser.parse(source, uri, body);
            check.check(answer);
        } catch (SourceUnavailableException e) {
            throw scrubbed(e, secrets(uri, headers));
        }
        answers.put(cacheKey, body);
        return Optional.of(answer);
    }

    /** The body of a 2xx answer, or null for a 404 when that means "not found". */
    private byte[] fetch(String source, URI uri, Map<String, String> headers, boolean notFoundIsEmpty)
            throws SourceUnavailableException {
        long deadline = System.nanoTime() + settings.timeout().toNanos();
        for (int retry = 0; ; retry++) {
            Attempt attempt = attempt(source, restClient, uri, headers, deadline, false);
            int status = attempt.status();
            if (status >= 200 && status < 300) {
                return attempt.body();
            }
            if (status == 404 && notFoundIsEmpty) {
                return null;
            }
            boolean retryable = status == 429 || status >= 500;
            if (retryable && retry < settings.maxRetries()) {
                Duration backoff = FIRST_BACKOFF.multipliedBy(1L << retry)
                        .plusMillis(ThreadLocalRandom.current().nextLong(50));
                Duration wait = attempt.retryAfter() != null && attempt.retryAfter().compareTo(backoff) > 0
                        ? attempt.retryAfter() : backoff;
                long left = deadline - System.nanoTime();
                if (wait.compareTo(settings.maxRetryWait()) <= 0
                        && wait.plus(SHORTEST_USEFUL_ATTEMPT).toNanos() < left) {
                    sleep(source, wait);
                    continue;
                }
            }
            throw new SourceUnavailableException(source, describe(uri) + " answered HTTP " + status
                    + (retryable && retry > 0 ? " after " + retry + " retries" : "")
                    + withoutSecrets(excerpt(attempt.body()), secrets(uri, headers)));
        }
    }

    private record Attempt(int status, byte[] body, Duration retryAfter, String location) {
    }

    /** One request, bounded by the call's deadline however slowly the server answers. */
    private Attempt attempt(String source, RestClient client, URI uri, Map<String, String> headers, long deadline,
                            boolean headersOnly) throws SourceUnavailableException {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            throw new SourceUnavailableException(source, describe(uri) + " timed out after " + settings.timeout().toMillis() + " ms");
        }
        FutureTask<Attempt> task = new FutureTask<>(() -> client.get()
                .uri(uri)
                .headers(h -> headers.forEach(h::set))
                .exchange((request, response) -> {
                    int status = response.getStatusCode().value();
                    HttpHeaders responseHeaders = response.getHeaders();
                    if (headersOnly) {
                        return new Attempt(status, new byte[0], null, responseHeaders.getFirst(HttpHeaders.LOCATION));
                    }
                    long max = settings.maxResponseSize().toBytes();
                    if (responseHeaders.getContentLength() > max) {
                        throw new ResponseTooLarge();
                    }
                    byte[] body;
                    try (InputStream in = response.getBody()) {
                        body = in.readNBytes((int) max + 1);
                    }
                    if (body.length > max) {
                        throw new ResponseTooLarge();
                    }
                    return new Attempt(status, body, retryAfter(responseHeaders.getFirst(HttpHeaders.RETRY_AFTER)), null);
                }, true));
        Thread.ofVirtual().name("source-" + source).start(task);
        try {
            return task.get(left, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            task.cancel(true);
            throw new SourceUnavailableException(source, describe(uri) + " timed out after " + settings.timeout().toMillis() + " ms");
        } catch (InterruptedException e) {
            task.cancel(true);
            Thread.currentThread().interrupt();
            throw new SourceUnavailableException(source, describe(uri) + " interrupted");
        } catch (CancellationException e) {
            throw new SourceUnavailableException(source, describe(uri) + " cancelled");
        } catch (ExecutionException e) {
            // The cause is not kept: RestClient's messages quote the full URL, key included.
            Throwable root = e.getCause();
            for (int depth = 0; root.getCause() != null && root.getCause() != root && depth < 10; depth++) {
                if (root instanceof ResponseTooLarge) {
                    break;
                }
                root = root.getCause();
            }
            if (root instanceof ResponseTooLarge) {
                throw new SourceUnavailableException(source, describe(uri) + " answered more than "
                        + settings.maxResponseSize().toKilobytes() + " KB");
            }
            throw new SourceUnavailableException(source, describe(uri) + " failed: " + withoutSecrets(
                    root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage()),
                    secrets(uri, headers)));
        }
    }

    /** Thrown inside the exchange so the body is never read past the cap. */
    private static final class ResponseTooLarge extends IOException {
        ResponseTooLarge() {
            super("response too large", null);
        }
    }

    private static Duration retryAfter(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        String value = header.strip();
        try {
            long seconds = Long.parseLong(value);
            return seconds < 0 ? null : Duration.ofSeconds(Math.min(seconds, 86_400));
        } catch (NumberFormatException notSeconds) {
            try {
                Duration until = Duration.between(ZonedDateTime.now(), ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME));
                return until.isNegative() ? Duration.ZERO : until;
            } catch (DateTimeParseException notADate) {
                return null;
            }
        }
    }

    private static void sleep(String source, Duration wait) throws SourceUnavailableException {
        try {
            Thread.sleep(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SourceUnavailableException(source, "interrupted while waiting to retry");
        }
    }

    private JsonNode parseJson(String source, URI uri, byte[] body) throws SourceUnavailableException {
        try {
            JsonNode node = jsonMapper.readTree(body);
            if (node == null || node.isMissingNode() || !node.isContainer()) {
                throw new SourceUnavailableException(source, describe(uri) + " did not answer a JSON object" + excerpt(body));
            }
            return node;
        } catch (JacksonException e) {
            throw new SourceUnavailableException(source, describe(uri) + " answered malformed JSON" + excerpt(body));
        }
    }

    private Document parseXml(String source, URI uri, byte[] body) throws SourceUnavailableException {
        try {
            DocumentBuilder builder;
            synchronized (xmlFactory) {
                builder = xmlFactory.newDocumentBuilder();
            }
            builder.setErrorHandler(THROWING_ERROR_HANDLER);
            builder.setEntityResolver((publicId, systemId) -> {
                throw new SAXException("external entities are not read");
            });
            return builder.parse(new ByteArrayInputStream(body));
        } catch (SAXException | IOException | ParserConfigurationException e) {
            throw new SourceUnavailableException(source, describe(uri) + " answered malformed XML" + excerpt(body));
        }
    }

    /** Without it the JDK parser prints "[Fatal Error]" lines to stderr before throwing. */
    private static final ErrorHandler THROWING_ERROR_HANDLER = new ErrorHandler() {
        @Override
        public void warning(SAXParseException e) {
        }

        @Override
        public void error(SAXParseException e) throws SAXException {
            throw e;
        }

        @Override
        public void fatalError(SAXParseException e) throws SAXException {
            throw e;
        }
    };

    private static DocumentBuilderFactory safeXmlFactory() {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        try {
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setFeature("http://xml.org/sax/features/external-general-entities", false);
            factory.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("the JDK XML parser cannot be made safe against XXE", e);
        }
        factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
        factory.setXIncludeAware(false);
        factory.setExpandEntityReferences(false);
        factory.setNamespaceAware(true);
        return factory;
    }

    /** The same failure with any secret of the request taken out of its message. */
    private static SourceUnavailableException scrubbed(SourceUnavailableException e, List<String> secrets) {
        String message = e.getMessage();
        String clean = withoutSecrets(message, secrets);
        if (clean.equals(message)) {
            return e;
        }
        String prefix = e.source() + ": ";
        return new SourceUnavailableException(e.source(), clean.startsWith(prefix) ? clean.substring(prefix.length()) : clean);
    }

    private static String describe(URI uri) {
        return "GET " + redact(uri.toString());
    }

    /** The start of a body for an error message: enough to recognise it, never a secret. */
    private static String excerpt(byte[] body) {
        if (body == null || body.length == 0) {
            return "";
        }
        String text = new String(body, 0, Math.min(body.length, MESSAGE_EXCERPT * 4), StandardCharsets.UTF_8)
                .replaceAll("\\s+", " ").strip();
        if (text.length() > MESSAGE_EXCERPT) {
            text = text.substring(0, MESSAGE_EXCERPT) + "...";
        }
        return ": " + redact(text);
    }
}
