package org.hypertube.torrent.webseed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.hypertube.torrent.testing.ManualClock;
import org.hypertube.torrent.webseed.RangeResponse.Filled;
import org.hypertube.torrent.webseed.RangeResponse.Redirect;
import org.hypertube.torrent.webseed.WebSeedException.Kind;
import org.junit.jupiter.api.Test;

/** One response to "Range: bytes=100-109" of a 1000-byte file, as literal bytes. */
class RangeResponseTest {
    private static final FileSlice SLICE = new FileSlice(0, 100, 10, 0, false);
    private static final ManualClock CLOCK = new ManualClock(Instant.parse("2015-10-21T07:28:00Z"));
    private ByteBuffer dst;

    private RangeResponse.Outcome read(String response) throws WebSeedException {
        return read(response, SLICE, 1000);
    }

    private RangeResponse.Outcome read(String response, FileSlice slice, long fileLength) throws WebSeedException {
        dst = ByteBuffer.allocate(slice.length());
        return RangeResponse.read(stream(response), slice, fileLength, dst, CLOCK);
    }

    private static InputStream stream(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static void fails(ThrowingCallable call, Kind kind, String message) {
        assertThatThrownBy(call).isInstanceOf(WebSeedException.class).hasMessageContaining(message)
                .satisfies(e -> assertThat(((WebSeedException) e).kind()).isEqualTo(kind));
    }

    private String body() {
        return new String(dst.array(), StandardCharsets.ISO_8859_1);
    }

    @Test
    void a206WithMatchingRangeAndLengthFillsTheBuffer() throws Exception {
        dst = ByteBuffer.allocate(10);
        InputStream in = stream("HTTP/1.1 206 Partial Content\r\nContent-Range: bytes 100-109/1000\r\n"
                + "Content-Length: 10\r\nServer: nginx\r\n\r\n0123456789NEXT");
        assertThat(RangeResponse.read(in, SLICE, 1000, dst, CLOCK)).isEqualTo(new Filled(true));
        assertThat(body()).isEqualTo("0123456789");
        assertThat(dst.hasRemaining()).isFalse();
        assertThat(new String(in.readAllBytes(), StandardCharsets.US_ASCII)).as("never reads past the body").isEqualTo("NEXT");
    }

    @Test
    void bareLineFeedsAnUnknownTotalAndConnectionCloseAreUnderstood() throws Exception {
        assertThat(read("HTTP/1.1 206 OK\nCONTENT-RANGE: Bytes 100-109/*\nContent-Length: 10\nConnection: close\n\n0123456789"))
                .isEqualTo(new Filled(false));
        assertThat(read("HTTP/1.0 206\r\nContent-Range: bytes 100-109/1000\r\nContent-Length: 10\r\n\r\n0123456789"))
                .as("HTTP/1.0 closes unless asked to keep alive").isEqualTo(new Filled(false));
    }

    @Test
    void interimResponsesAreSkipped() throws Exception {
        assertThat(read("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n"
                + "HTTP/1.1 206 Partial Content\r\nContent-Range: bytes 100-109/1000\r\nContent-Length: 10\r\n\r\n0123456789"))
                .isEqualTo(new Filled(true));
        fails(() -> read("HTTP/1.1 101 Switching Protocols\r\n\r\n"), Kind.PROTOCOL, "101");
        fails(() -> read("HTTP/1.1 100 Continue\r\n\r\n".repeat(6)), Kind.PROTOCOL, "100");
    }

    @Test
    void aChunkedBodyIsReassembledWithExtensionsAndTrailers() throws Exception {
        assertThat(read("HTTP/1.1 206 Partial Content\r\nContent-Range: bytes 100-109/1000\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "4;name=value\r\n0123\r\n6\r\n456789\r\n0\r\nX-Trailer: 1\r\n\r\n")).isEqualTo(new Filled(true));
        assertThat(body()).isEqualTo("0123456789");
    }

    @Test
    void chunkedBodiesMustBeExactlyTheLengthAskedAndWellFormed() {
        String head = "HTTP/1.1 206 Partial Content\r\nContent-Range: bytes 100-109/1000\r\nTransfer-Encoding: chunked\r\n\r\n";
        fails(() -> read(head + "b\r\n0123456789A\r\n0\r\n\r\n"), Kind.PROTOCOL, "body longer than asked");
        fails(() -> read(head + "5\r\n01234\r\n0\r\n\r\n"), Kind.PROTOCOL, "body shorter than asked");
        fails(() -> read(head + "a\r\n01234567890\r\n0\r\n\r\n"), Kind.PROTOCOL, "longer than its size");
        fails(() -> read(head + "zz\r\n"), Kind.PROTOCOL, "bad chunk size");
        fails(() -> read(head + "-5\r\n"), Kind.PROTOCOL, "bad chunk size");
        fails(() -> read(head + "0000000000000000a\r\n"), Kind.PROTOCOL, "bad chunk size");
        fails(() -> read(head + "a;" + "x".repeat(300) + "\r\n"), Kind.PROTOCOL, "longer than 256 bytes");
        fails(() -> read(head + "a\r\n01234"), Kind.PROTOCOL, "body ended after 5 of 10 bytes");
        fails(() -> read(head.replace("chunked", "gzip, chunked") + "a\r\n0123456789\r\n0\r\n\r\n"), Kind.PROTOCOL,
                "unsupported Transfer-Encoding");
        fails(() -> read(head.replace("\r\n\r\n", "\r\nContent-Length: 10\r\n\r\n") + "a\r\n0123456789\r\n0\r\n\r\n"),
                Kind.PROTOCOL, "both Transfer-Encoding and Content-Length");
    }

    @Test
    void aTruncatedBodyOrHeadIsAProtocolError() {
        String head = "HTTP/1.1 206 Partial Content\r\nContent-Range: bytes 100-109/1000\r\nContent-Length: 10\r\n\r\n";
        fails(() -> read(head + "0123"), Kind.PROTOCOL, "body ended after 4 of 10 bytes");
        fails(() -> read(head.substring(0, 40)), Kind.PROTOCOL, "closed in a header line");
        fails(() -> read(""), Kind.PROTOCOL, "closed in a status line");
    }

    @Test
    void theLengthAndRangeMustAnswerTheRequest() {
        String ok = "HTTP/1.1 206 Partial Content\r\nContent-Range: bytes 100-109/1000\r\nContent-Length: 10\r\n\r\n0123456789";
        fails(() -> read(ok.replace("Length: 10", "Length: 11") + "X"), Kind.PROTOCOL, "Content-Length 11 but 10 bytes were asked");
        fails(() -> read(ok.replace("Length: 10", "Length: 9")), Kind.PROTOCOL, "Content-Length 9");
        fails(() -> read(ok.replace("Length: 10", "Length: -10")), Kind.PROTOCOL, "bad Content-Length");
        fails(() -> read(ok.replace("Length: 10", "Length: 10, 11")), Kind.PROTOCOL, "bad Content-Length");
        fails(() -> read(ok.replace("\r\n\r\n", "\r\nContent-Length: 12\r\n\r\n")), Kind.PROTOCOL, "bad Content-Length");
        fails(() -> read(ok.replace("Content-Length: 10\r\n", "")), Kind.PROTOCOL, "no Content-Length");
        fails(() -> read(ok.replace("100-109", "0-9")), Kind.PROTOCOL, "does not answer bytes 100-109");
        fails(() -> read(ok.replace("100-109/1000", "100-109/100")), Kind.PROTOCOL, "does not answer");
        fails(() -> read(ok.replace("bytes 100-109/1000", "items 100-109/1000")), Kind.PROTOCOL, "does not answer");
        fails(() -> read(ok.replace("Content-Range: bytes 100-109/1000\r\n", "")), Kind.PROTOCOL, "206 without a Content-Range");
        fails(() -> read(ok.replace("\r\n\r\n", "\r\nContent-Encoding: gzip\r\n\r\n")), Kind.PROTOCOL, "Content-Encoding");
        fails(() -> read(ok.replace("\r\n\r\n", "\r\nContent-Range: bytes 0-9/1000\r\n\r\n")), Kind.PROTOCOL, "conflicting");
    }

    @Test
    void a200IsAcceptedOnlyForTheWholeFile() throws Exception {
        fails(() -> read("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n" + "x".repeat(1000)), Kind.IGNORES_RANGE,
                "HTTP 200 (the whole file) for a request of bytes 100-109 of 1000");
        FileSlice whole = new FileSlice(0, 0, 10, 0, false);
        assertThat(read("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n0123456789", whole, 10)).isEqualTo(new Filled(true));
        assertThat(body()).isEqualTo("0123456789");
    }

    @Test
    void redirectsGiveTheirLocationAndSkipASmallBody() throws Exception {
        dst = ByteBuffer.allocate(10);
        InputStream in = stream("HTTP/1.1 301 Moved Permanently\r\nLocation: /27/items/x\r\nContent-Length: 5\r\n\r\nmovedNEXT");
        assertThat(RangeResponse.read(in, SLICE, 1000, dst, CLOCK)).isEqualTo(new Redirect("/27/items/x", true));
        assertThat(new String(in.readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("NEXT");
        assertThat(read("HTTP/1.1 302 Found\r\nLocation: http://n/x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n"))
                .isEqualTo(new Redirect("http://n/x", true));
        assertThat(read("HTTP/1.1 307 Temporary Redirect\r\nLocation: /y\r\nContent-Length: 100000\r\n\r\n"))
                .as("too long to skip: the connection is not reused").isEqualTo(new Redirect("/y", false));
        assertThat(read("HTTP/1.1 308 Permanent Redirect\r\nLocation: /y\r\n\r\n")).isEqualTo(new Redirect("/y", false));
        fails(() -> read("HTTP/1.1 303 See Other\r\nContent-Length: 0\r\n\r\n"), Kind.BAD_URL, "without a Location");
    }

    @Test
    void busyServersSayWhenToComeBack() {
        fails(() -> read("HTTP/1.1 503 Service Unavailable\r\nRetry-After: 120\r\nContent-Length: 0\r\n\r\n"), Kind.RETRY_LATER,
                "retry after 120 s");
        assertThat(RangeResponse.retryAfter("120", CLOCK)).isEqualTo(Duration.ofSeconds(120));
        assertThat(RangeResponse.retryAfter("Wed, 21 Oct 2015 07:29:30 GMT", CLOCK)).isEqualTo(Duration.ofSeconds(90));
        assertThat(RangeResponse.retryAfter("Tue, 20 Oct 2015 07:29:30 GMT", CLOCK)).isEqualTo(Duration.ZERO);
        assertThat(RangeResponse.retryAfter(null, CLOCK)).isEqualTo(Duration.ofSeconds(30));
        assertThat(RangeResponse.retryAfter("soon", CLOCK)).isEqualTo(Duration.ofSeconds(30));
        assertThat(RangeResponse.retryAfter("-5", CLOCK)).isEqualTo(Duration.ofSeconds(30));
        assertThatThrownBy(() -> read("HTTP/1.1 429 Too Many Requests\r\n\r\n")).isInstanceOf(WebSeedException.class)
                .satisfies(e -> assertThat(((WebSeedException) e).retryAfter()).contains(Duration.ofSeconds(30)));
    }

    @Test
    void otherStatusesAreReportedWithTheirCode() {
        assertThatThrownBy(() -> read("HTTP/1.1 404 Not Found\r\nContent-Length: 9\r\n\r\nnot found")).isInstanceOf(WebSeedException.class)
                .hasMessageContaining("HTTP 404 'Not Found'")
                .satisfies(e -> assertThat(((WebSeedException) e).status()).isEqualTo(404))
                .satisfies(e -> assertThat(((WebSeedException) e).kind()).isEqualTo(Kind.HTTP_STATUS));
        fails(() -> read("HTTP/1.1 204 No Content\r\n\r\n"), Kind.PROTOCOL, "unexpected HTTP 204");
    }

    @Test
    void malformedOrOversizedHeadsAreRefused() {
        fails(() -> read("HTTP/2 206\r\n\r\n"), Kind.PROTOCOL, "not an HTTP/1.x status line");
        fails(() -> read("ICY 200 OK\r\n\r\n"), Kind.PROTOCOL, "not an HTTP/1.x status line");
        fails(() -> read("HTTP/1.1 20 OK\r\n\r\n"), Kind.PROTOCOL, "not an HTTP/1.x status line");
        fails(() -> read("HTTP/1.1 206 " + "x".repeat(9000) + "\r\n\r\n"), Kind.PROTOCOL, "longer than 8192 bytes");
        fails(() -> read("HTTP/1.1 206 OK\r\nX: " + "x".repeat(9000) + "\r\n\r\n"), Kind.PROTOCOL, "longer than 8192 bytes");
        fails(() -> read("HTTP/1.1 206 OK\r\n" + "X: 1\r\n".repeat(101) + "\r\n"), Kind.PROTOCOL, "more than 100 header lines");
        fails(() -> read("HTTP/1.1 206 OK\r\nContent-Length : 10\r\n\r\n"), Kind.PROTOCOL, "malformed header line");
        fails(() -> read("HTTP/1.1 206 OK\r\n folded\r\n\r\n"), Kind.PROTOCOL, "malformed header line");
        fails(() -> read("HTTP/1.1 206 OK\r\nnocolon\r\n\r\n"), Kind.PROTOCOL, "malformed header line");
        fails(() -> read("HTTP/1.1 206 OK\rX: 1\r\n\r\n"), Kind.PROTOCOL, "CR not followed by LF");
        fails(() -> read("HTTP/1.1 206 OK\r\nX: a\u0000b\r\n\r\n"), Kind.PROTOCOL, "control character");
    }
}
