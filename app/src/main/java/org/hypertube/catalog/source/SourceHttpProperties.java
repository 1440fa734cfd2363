package org.hypertube.catalog.source;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * The one HTTP setup every outside film source shares (see {@link SourceHttp}).
 *
 * @param connectTimeout  to open a connection (CATALOG_SOURCE_CONNECT_TIMEOUT)
 * @param timeout         a whole call may take, retries and their waits included (CATALOG_SOURCE_TIMEOUT)
 * @param maxRetries      retries after a 429 or 5xx answer (CATALOG_SOURCE_RETRIES)
 * @param maxRetryWait    the longest wait before a retry; a Retry-After asking more fails the call
 *                        at once (CATALOG_SOURCE_MAX_RETRY_WAIT)
 * @param maxResponseSize bigger answers are refused (CATALOG_SOURCE_MAX_RESPONSE)
 * @param cacheTtl        how long a successful answer is reused (CATALOG_SOURCE_CACHE_TTL)
 * @param cacheSize       the bytes of answers kept (CATALOG_SOURCE_CACHE_SIZE)
 */
@ConfigurationProperties("hypertube.catalog.http")
public record SourceHttpProperties(Duration connectTimeout, Duration timeout, Integer maxRetries, Duration maxRetryWait,
                                   DataSize maxResponseSize, Duration cacheTtl, DataSize cacheSize) {

    public SourceHttpProperties {
        connectTimeout = positive(connectTimeout, Duration.ofSeconds(3), "CATALOG_SOURCE_CONNECT_TIMEOUT");
        timeout = positive(timeout, Duration.ofSeconds(6), "CATALOG_SOURCE_TIMEOUT");
        maxRetries = maxRetries == null ? 2 : maxRetries;
        if (maxRetries < 0 || maxRetries > 5) {
            throw new IllegalArgumentException("CATALOG_SOURCE_RETRIES must be between 0 and 5, not " + maxRetries);
        }
        maxRetryWait = maxRetryWait == null ? Duration.ofSeconds(2) : maxRetryWait;
        maxResponseSize = maxResponseSize == null ? DataSize.ofMegabytes(4) : maxResponseSize;
        if (maxResponseSize.toBytes() < 1024 || maxResponseSize.toBytes() > DataSize.ofMegabytes(64).toBytes()) {
            throw new IllegalArgumentException("CATALOG_SOURCE_MAX_RESPONSE must be between 1KB and 64MB, not " + maxResponseSize);
        }
        cacheTtl = cacheTtl == null ? Duration.ofMinutes(10) : cacheTtl;
        cacheSize = cacheSize == null ? DataSize.ofMegabytes(64) : cacheSize;
    }

    /** The defaults, for code that builds sources by hand (tests, tools). */
    public static SourceHttpProperties defaults() {
        return new SourceHttpProperties(null, null, null, null, null, null, null);
    }

    private static Duration positive(Duration value, Duration fallback, String variable) {
        if (value == null) {
            return fallback;
        }
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(variable + " must be a positive duration, not " + value);
        }
        return value;
    }
}
