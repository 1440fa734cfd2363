package org.hypertube.system;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.SystemDefaultDnsResolver;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.ManagedHttpClientConnectionFactory;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.config.Http1Config;
import org.apache.hc.client5.http.impl.DefaultRedirectStrategy;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.apache.hc.core5.util.Timeout;
import org.hypertube.torrent.OutsideAddressPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.http.client.ClientHttpRequestFactory;
import org.springframework.http.client.HttpComponentsClientHttpRequestFactory;
import org.springframework.stereotype.Component;

/**
 * The one way the server fetches URLs that come from outside (covers, {@code .torrent} files, film
 * sources' links, the API's picture URLs): none may reach this machine or its networks
 * (server-side request forgery). Every connection, the first and each redirect's, goes through a
 * resolver that keeps only the addresses the {@link OutsideAddressPolicy} allows, and the HTTP client
 * then connects to exactly those addresses, never to the name again, so DNS rebinding cannot slip an
 * inside address in between the check and the connection. Refused: loopback, private, link-local
 * (169.254.169.254, cloud metadata, included), unique-local, carrier-grade NAT, unspecified,
 * multicast, reserved, and these inside IPv6 forms.
 *
 * <p>The operator may allow inside addresses altogether ({@code HYPERTUBE_ALLOW_LOCAL_ADDRESSES}, the
 * tests do for their stand-ins) or trust a few addresses ({@code HYPERTUBE_TRUSTED_ADDRESSES}); the
 * hosts of the URLs the operator configured (a Torznab indexer on the LAN) are trusted, at their port,
 * once registered with {@link #trustOperatorUrl}. The same policy is handed to the torrent engine for
 * trackers and web seeds ({@link #policy()}).
 */
@Component
public class OutsideFetch implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(OutsideFetch.class);
    static final int MAX_REDIRECTS = 5;
    /** An answer's head: at most this many header lines, each at most this long (browsers and servers use similar bounds). */
    static final int MAX_HEADERS = 100;
    static final int MAX_HEADER_LINE = 8 * 1024;
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

    /** A refused connection: the host resolves only to addresses the policy refuses. */
    public static final class InsideAddressException extends UnknownHostException {
        InsideAddressException(String message) {
            super(message);
        }
    }

    /** A fetched answer: its status, Content-Type (or "") and body. */
    public record Answer(int status, String contentType, byte[] body) {
    }

    /** A body longer than the caller's bound. */
    public static final class TooLargeException extends IOException {
        TooLargeException(long max) {
            super("answer larger than " + max + " bytes");
        }
    }

    /** The whole exchange took longer than the caller's deadline. */
    public static final class DeadlineException extends IOException {
        DeadlineException(Duration deadline) {
            super("no complete answer within " + deadline.toMillis() + " ms");
        }
    }

    /** Cuts off exchanges past their deadline (one daemon thread; a cut-off is only a cancel). */
    private static final ScheduledExecutorService DEADLINES = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "outside-fetch-deadline");
        thread.setDaemon(true);
        return thread;
    });

    private final OutsideAddressPolicy policy;
    private final boolean allowLocal;
    private final Set<String> operatorOrigins = ConcurrentHashMap.newKeySet();
    private final DnsResolver resolver = new GuardedResolver();
    private final List<CloseableHttpClient> clients = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final CloseableHttpClient following;

    @org.springframework.beans.factory.annotation.Autowired
    public OutsideFetch(OutsideProperties properties) {
        this(properties.allowLocalAddresses(), properties.trustedAddresses());
    }

    OutsideFetch(boolean allowLocal, List<String> trustedAddresses) {
        this.allowLocal = allowLocal;
        OutsideAddressPolicy p = OutsideAddressPolicy.of(allowLocal);
        for (String address : trustedAddresses) {
            try {
                p = p.trusting(InetAddress.ofLiteral(address.strip()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("HYPERTUBE_TRUSTED_ADDRESSES holds " + address + ", not an IP address");
            }
        }
        this.policy = p;
        this.following = client(true, CONNECT_TIMEOUT, false);
        log.info("outside URLs: {}", allowLocal ? "inside addresses allowed (HYPERTUBE_ALLOW_LOCAL_ADDRESSES)" : policy);
    }

    private CloseableHttpClient client(boolean followRedirects, Duration connectTimeout, boolean decompress) {
        var connections = PoolingHttpClientConnectionManagerBuilder.create()
                .setDnsResolver(resolver)
                .setDefaultConnectionConfig(ConnectionConfig.custom().setConnectTimeout(Timeout.of(connectTimeout)).build())
                // An answer's head is bounded too: a host sending header lines forever fails the fetch.
                .setConnectionFactory(ManagedHttpClientConnectionFactory.builder()
                        .http1Config(Http1Config.custom().setMaxHeaderCount(MAX_HEADERS).setMaxLineLength(MAX_HEADER_LINE).build())
                        .build())
                .setMaxConnTotal(64)
                .setMaxConnPerRoute(8)
                .build();
        HttpClientBuilder builder = HttpClients.custom()
                .setConnectionManager(connections)
                .disableCookieManagement()
                .disableAuthCaching()
                // Callers decide on retries (SourceHttp has its own budget and back-off).
                .disableAutomaticRetries()
                .setDefaultRequestConfig(RequestConfig.custom().setMaxRedirects(MAX_REDIRECTS).build());
        if (!decompress) {
            builder.disableContentCompression(); // a small gzip body must not inflate past the caller's bound
        }
        if (followRedirects) {
            builder.setRedirectStrategy(NO_DOWNGRADE);
        } else {
            builder.disableRedirectHandling();
        }
        CloseableHttpClient client = builder.build();
        clients.add(client);
        return client;
    }

    /** Redirects to http(s) only, never from https down to http; one not followed ends as its 3xx answer. */
    private static final DefaultRedirectStrategy NO_DOWNGRADE = new DefaultRedirectStrategy() {
        @Override
        public boolean isRedirectAllowed(HttpHost current, HttpHost next, HttpRequest redirect, HttpContext context) {
            String scheme = next.getSchemeName().toLowerCase(Locale.ROOT);
            return (scheme.equals("https") || scheme.equals("http") && !"https".equalsIgnoreCase(current.getSchemeName()))
                    && super.isRedirectAllowed(current, next, redirect, context);
        }
    };

    /** The address policy, for the torrent engine's trackers and web seeds. */
    public OutsideAddressPolicy policy() {
        return policy;
    }

    /** Whether the operator allows every inside address. */
    public boolean allowsLocalAddresses() {
        return allowLocal;
    }

    /**
     * Trusts the host and port of a URL the operator configured (a film source, an indexer), whatever
     * it resolves to; redirects elsewhere are still checked.
     */
    public void trustOperatorUrl(String url) {
        URI uri = URI.create(url);
        operatorOrigins.add(origin(uri.getHost(), port(uri)));
    }

    /**
     * A request factory for Spring's RestClient over a guarded client of its own (redirects followed or
     * not); its connections are closed with this bean.
     */
    public ClientHttpRequestFactory requestFactory(boolean followRedirects, Duration connectTimeout, Duration readTimeout) {
        var factory = new HttpComponentsClientHttpRequestFactory(client(followRedirects, connectTimeout, true)) {
            @Override
            public void destroy() {
                // closed with OutsideFetch
            }
        };
        factory.setReadTimeout(readTimeout);
        return factory;
    }

    /**
     * {@code GET uri} with redirects followed; the body is read only for a 200, up to {@code maxBytes}.
     * {@code timeout} bounds each read and also the whole fetch (connections, redirects, body): when it passes,
     * the request is cancelled ({@link DeadlineException}). An answer refused (not 200, too large) is cut off, not read to its end, so a hostile host
     * cannot hold the caller with an endless body.
     *
     * @throws InsideAddressException a host (the first or a redirect's) is an inside address
     * @throws TooLargeException      the body is longer than {@code maxBytes}
     */
    public Answer get(URI uri, Map<String, String> headers, Duration timeout, int maxBytes) throws IOException {
        return get(uri, headers, timeout, maxBytes, null);
    }

    /**
     * As {@link #get(URI, Map, Duration, int)}, and the whole exchange (connections, redirects, headers and body) is
     * cut off after {@code deadline} (null: after {@code timeout}), however slowly the other side drips its answer.
     *
     * @throws DeadlineException the deadline passed
     */
    public Answer get(URI uri, Map<String, String> headers, Duration timeout, int maxBytes, Duration deadline)
            throws IOException {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
            throw new IOException("not an http(s) URL");
        }
        HttpGet request = new HttpGet(uri);
        headers.forEach(request::setHeader);
        request.setConfig(RequestConfig.custom().setMaxRedirects(MAX_REDIRECTS)
                .setResponseTimeout(Timeout.of(timeout)).build());
        Duration whole = deadline == null ? timeout : deadline;
        ScheduledFuture<?> timer = DEADLINES.schedule(request::cancel, whole.toMillis(), TimeUnit.MILLISECONDS);
        try {
            return following.execute(request, response -> read(request, response, maxBytes));
        } catch (IOException e) {
            // A refused answer cancels the request too (read): only the timer's cancel is the deadline's.
            if (timer.isDone() && !(e instanceof TooLargeException)) {
                throw new DeadlineException(whole);
            }
            throw e;
        } finally {
            timer.cancel(false);
        }
    }

    private static Answer read(HttpGet request, ClassicHttpResponse response, int maxBytes) throws IOException {
        Header type = response.getFirstHeader("Content-Type");
        String contentType = type == null ? "" : type.getValue();
        HttpEntity entity = response.getEntity();
        if (response.getCode() != 200 || entity == null) {
            cutOff(request, response);
            return new Answer(response.getCode(), contentType, new byte[0]);
        }
        if (entity.getContentLength() > maxBytes) {
            cutOff(request, response);
            throw new TooLargeException(maxBytes);
        }
        byte[] body = entity.getContent().readNBytes(maxBytes + 1);
        if (body.length > maxBytes) {
            cutOff(request, response);
            throw new TooLargeException(maxBytes);
        }
        return new Answer(200, contentType, body); // read to its end: the connection goes back to the pool
    }

    /** Closes the connection at once; without the entity, the client does not read the rest of the body to reuse it. */
    private static void cutOff(HttpGet request, ClassicHttpResponse response) {
        request.cancel();
        response.setEntity(null);
    }

    private static int port(URI uri) {
        return uri.getPort() >= 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    private static String origin(String host, int port) {
        String bare = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        return bare.toLowerCase(Locale.ROOT) + ":" + port;
    }

    /** Resolves once and keeps only allowed addresses; the client connects to what this returns. */
    private final class GuardedResolver implements DnsResolver {
        @Override
        public InetAddress[] resolve(String host) throws UnknownHostException {
            return allowed(host, -1, SystemDefaultDnsResolver.INSTANCE.resolve(host));
        }

        @Override
        public List<InetSocketAddress> resolve(String host, int port) throws UnknownHostException {
            return Arrays.stream(allowed(host, port, SystemDefaultDnsResolver.INSTANCE.resolve(host)))
                    .map(a -> new InetSocketAddress(a, port)).toList();
        }

        @Override
        public String resolveCanonicalHostname(String host) throws UnknownHostException {
            return SystemDefaultDnsResolver.INSTANCE.resolveCanonicalHostname(host);
        }

        private InetAddress[] allowed(String host, int port, InetAddress[] all) throws UnknownHostException {
            if (port >= 0 && operatorOrigins.contains(origin(host, port))) {
                return all;
            }
            InetAddress[] allowed = Arrays.stream(all).filter(policy::allows).toArray(InetAddress[]::new);
            if (allowed.length == 0) {
                String message = all.length == 0 ? host + " resolves to no address"
                        : host + " is " + all[0].getHostAddress() + ", a "
                        + OutsideAddressPolicy.localKind(all[0]).orElse("refused") + " address: outside URLs may not"
                        + " reach inside addresses (unless HYPERTUBE_ALLOW_LOCAL_ADDRESSES or HYPERTUBE_TRUSTED_ADDRESSES)";
                log.warn("outside fetch refused: {}", message);
                throw new InsideAddressException(message);
            }
            return allowed;
        }
    }

    @Override
    public void destroy() throws IOException {
        for (CloseableHttpClient client : clients) {
            client.close();
        }
    }
}
