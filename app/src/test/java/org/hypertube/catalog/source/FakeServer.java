package org.hypertube.catalog.source;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.springframework.util.unit.DataSize;

/** What the source tests share: a WireMock server on loopback, fixtures, quick settings. */
final class FakeServer {

    private FakeServer() {
    }

    /** WireMock on 127.0.0.1 and a free port, started for the test class and reset before each test. */
    static WireMockExtension extension() {
        return WireMockExtension.newInstance().options(options().bindAddress("127.0.0.1").dynamicPort()).build();
    }

    /**
     * A budget roomy enough for a cold JVM on a busy 2-core machine, so only the tests about slowness
     * see timeouts; a 64 KB cap so "too large" is cheap.
     */
    static SourceHttp quickHttp() {
        return http(Duration.ofSeconds(5));
    }

    /** A one-second budget, for the tests of a source slower than that. */
    static SourceHttp impatientHttp() {
        return http(Duration.ofSeconds(1));
    }

    private static SourceHttp http(Duration budget) {
        return new SourceHttp(new SourceHttpProperties(Duration.ofSeconds(1), budget, 2,
                Duration.ofSeconds(1), DataSize.ofKilobytes(64), Duration.ofMinutes(10), DataSize.ofMegabytes(8)),
                new org.hypertube.system.OutsideFetch(new org.hypertube.system.OutsideProperties(true, null)));
    }

    /** A fixture under src/test/resources/providers, e.g. "yts/list_movies.json". */
    static String fixture(String path) {
        try (InputStream in = FakeServer.class.getResourceAsStream("/providers/" + path)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture providers/" + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
