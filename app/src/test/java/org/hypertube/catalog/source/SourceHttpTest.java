package org.hypertube.catalog.source;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

class SourceHttpTest {

    private static final String KEY = "s3cr3t-k3y-value";
    @RegisterExtension
    static final WireMockExtension server = FakeServer.extension();
    private SourceHttp http;

    @BeforeEach
    void freshClient() {
        http = FakeServer.quickHttp();
    }

    private URI uri(String path) {
        return URI.create(server.baseUrl() + path + "?q=x&api_key=" + KEY);
    }

    private JsonNode getJson(String path) throws SourceUnavailableException {
        return http.getJson("test", uri(path), Map.of(), answer -> { });
    }

    @Test
    void retriesAfterA429AndUsesTheAnswerThatFollows() throws Exception {
        server.stubFor(get(urlPathEqualTo("/busy")).inScenario("busy").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "0")
                        .withBody("{\"success\":false}")).willSetStateTo("calm"));
        server.stubFor(get(urlPathEqualTo("/busy")).inScenario("busy").whenScenarioStateIs("calm")
                .willReturn(okJson("{\"ok\":1}")));

        assertThat(getJson("/busy").get("ok").asInt()).isEqualTo(1);
        server.verify(2, getRequestedFor(urlPathEqualTo("/busy")));
    }

    @Test
    void aServerErrorForeverIsUnavailableAfterTwoRetries() {
        server.stubFor(get(urlPathEqualTo("/down")).willReturn(aResponse().withStatus(503).withBody("maintenance")));

        assertThatThrownBy(() -> getJson("/down"))
                .isInstanceOf(SourceUnavailableException.class)
                .hasMessageContaining("HTTP 503").hasMessageContaining("maintenance");
        server.verify(3, getRequestedFor(urlPathEqualTo("/down")));
    }

    @Test
    void aRetryAfterLongerThanTheCapFailsAtOnceInsteadOfWaiting() {
        server.stubFor(get(urlPathEqualTo("/later")).willReturn(aResponse().withStatus(429).withHeader("Retry-After", "60")));

        assertThatThrownBy(() -> getJson("/later")).isInstanceOf(SourceUnavailableException.class).hasMessageContaining("429");
        server.verify(1, getRequestedFor(urlPathEqualTo("/later")));
    }

    @Test
    void aSlowSourceTimesOutWithinItsBudget() {
        server.stubFor(get(urlPathEqualTo("/slow")).willReturn(okJson("{}").withFixedDelay(10_000)));
        SourceHttp impatient = FakeServer.impatientHttp();

        long start = System.nanoTime();
        assertThatThrownBy(() -> impatient.getJson("test", uri("/slow"), Map.of(), answer -> { }))
                .isInstanceOf(SourceUnavailableException.class).hasMessageContaining("timed out after 1000 ms");
        assertThat((System.nanoTime() - start) / 1_000_000).as("well before the answer would come").isLessThan(6000);
    }

    @Test
    void aBodyThatTricklesInPastTheBudgetTimesOutToo() {
        server.stubFor(get(urlPathEqualTo("/trickle")).willReturn(okJson("{\"a\":\"" + "x".repeat(2000) + "\"}")
                .withChunkedDribbleDelay(20, 10_000)));
        SourceHttp impatient = FakeServer.impatientHttp();

        assertThatThrownBy(() -> impatient.getJson("test", uri("/trickle"), Map.of(), answer -> { }))
                .isInstanceOf(SourceUnavailableException.class).hasMessageContaining("timed out");
    }

    @Test
    void anAnswerOverTheSizeCapIsRefusedWithOrWithoutContentLength() {
        String big = "{\"a\":\"" + "x".repeat(70 * 1024) + "\"}";
        server.stubFor(get(urlPathEqualTo("/big")).willReturn(okJson(big)));
        server.stubFor(get(urlPathEqualTo("/big-chunked")).willReturn(okJson(big).withChunkedDribbleDelay(4, 10)));

        assertThatThrownBy(() -> getJson("/big")).isInstanceOf(SourceUnavailableException.class).hasMessageContaining("more than 64 KB");
        assertThatThrownBy(() -> getJson("/big-chunked")).isInstanceOf(SourceUnavailableException.class).hasMessageContaining("more than 64 KB");
    }

    @Test
    void aSmallGzipThatInflatesPastTheCapIsRefused() throws Exception {
        ByteArrayOutputStream gzipped = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(gzipped)) {
            gzip.write(("{\"a\":\"" + "0".repeat(8 * 1024 * 1024) + "\"}").getBytes(StandardCharsets.UTF_8));
        }
        assertThat(gzipped.size()).isLessThan(64 * 1024);
        server.stubFor(get(urlPathEqualTo("/bomb")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withHeader("Content-Encoding", "gzip")
                .withBody(gzipped.toByteArray())));

        assertThatThrownBy(() -> getJson("/bomb")).isInstanceOf(SourceUnavailableException.class).hasMessageContaining("more than 64 KB");
    }

    @Test
    void aGzippedAnswerIsRead() throws Exception {
        ByteArrayOutputStream gzipped = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(gzipped)) {
            gzip.write("{\"ok\":7}".getBytes(StandardCharsets.UTF_8));
        }
        server.stubFor(get(urlPathEqualTo("/gzip")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withHeader("Content-Encoding", "gzip")
                .withBody(gzipped.toByteArray())));

        assertThat(getJson("/gzip").get("ok").asInt()).isEqualTo(7);
    }

    @Test
    void malformedJsonIsUnavailableNotEmpty() {
        server.stubFor(get(urlPathEqualTo("/html")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "text/html").withBody("<html><body>Maintenance, back soon</body></html>")));

        assertThatThrownBy(() -> getJson("/html")).isInstanceOf(SourceUnavailableException.class)
                .hasMessageContaining("malformed JSON").hasMessageContaining("Maintenance");
    }

    @Test
    void theKeyIsInNoMessageNorCauseWhateverWentWrong() throws Exception {
        server.stubFor(get(urlPathEqualTo("/denied")).willReturn(aResponse().withStatus(401)
                .withBody("{\"status_message\":\"Invalid API key " + KEY + "\"}")));
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        URI refused = URI.create("http://127.0.0.1:" + closedPort + "/x?apikey=" + KEY);

        for (ThrowingCall call : new ThrowingCall[] {() -> getJson("/denied"),
                () -> http.getJson("test", refused, Map.of(), a -> { })}) {
            try {
                call.run();
            } catch (SourceUnavailableException e) {
                StringWriter trace = new StringWriter();
                e.printStackTrace(new PrintWriter(trace));
                assertThat(trace.toString()).doesNotContain(KEY).contains("<redacted>");
                continue;
            }
            throw new AssertionError("expected the source to be unavailable");
        }
    }

    @Test
    void aSuccessfulAnswerIsCachedAndACheckedFailureIsNot() throws Exception {
        server.stubFor(get(urlPathEqualTo("/films")).willReturn(okJson("{\"ok\":true}")));
        server.stubFor(get(urlPathEqualTo("/refused")).willReturn(okJson("{\"ok\":false}")));
        SourceHttp.AnswerCheck<JsonNode> mustBeOk = answer -> {
            if (!answer.get("ok").asBoolean()) {
                throw new SourceUnavailableException("test", "not ok");
            }
        };

        http.getJson("test", uri("/films"), Map.of(), mustBeOk);
        http.getJson("test", uri("/films"), Map.of(), mustBeOk);
        assertThatThrownBy(() -> http.getJson("test", uri("/refused"), Map.of(), mustBeOk)).hasMessageContaining("not ok");
        assertThatThrownBy(() -> http.getJson("test", uri("/refused"), Map.of(), mustBeOk)).hasMessageContaining("not ok");

        server.verify(1, getRequestedFor(urlPathEqualTo("/films")));
        server.verify(2, getRequestedFor(urlPathEqualTo("/refused")));
    }

    @Test
    void xmlWithADoctypeIsRefusedSoNoEntityIsEverRead() {
        server.stubFor(get(urlPathEqualTo("/xxe")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/xml").withBody(FakeServer.fixture("torznab/xxe.xml"))));

        assertThatThrownBy(() -> http.getXml("test", uri("/xxe"), Map.of(), doc -> { }))
                .isInstanceOf(SourceUnavailableException.class).hasMessageContaining("malformed XML");
    }

    @Test
    void redactsEverySecretParameter() {
        assertThat(SourceHttp.redact("http://h/x?api_key=a&s=b&apikey=c&jackett_apikey=d#f"))
                .isEqualTo("http://h/x?api_key=<redacted>&s=b&apikey=<redacted>&jackett_apikey=<redacted>#f");
    }

    @FunctionalInterface
    private interface ThrowingCall {
        void run() throws SourceUnavailableException;
    }
}
