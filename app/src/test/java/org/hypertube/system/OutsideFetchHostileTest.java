package org.hypertube.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A hostile host holding a fetch (a cover, a {@code .torrent}, which holds its film's lock): a refused
 * answer is cut off instead of read to its end, and a body that never ends fails the fetch. The stand-in
 * is a raw socket on 127.0.0.1 that answers, then writes a chunked body forever.
 */
class OutsideFetchHostileTest {

    private final OutsideFetch fetch = new OutsideFetch(true, List.of());
    private final CountDownLatch closed = new CountDownLatch(1);
    private ServerSocket server;

    @AfterEach
    void stop() throws IOException {
        fetch.destroy();
        if (server != null) {
            server.close();
        }
    }

    /** Serves one connection: the status line and headers, then chunks of {@code chunk} bytes every {@code pauseMillis}, forever. */
    private URI endless(String status, int chunk, long pauseMillis) throws IOException {
        server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        Thread.ofPlatform().daemon().start(() -> {
            try (Socket socket = server.accept()) {
                InputStream in = socket.getInputStream();
                byte[] request = new byte[4096];
                in.read(request); // the request's head: one small GET
                OutputStream out = socket.getOutputStream();
                out.write(("HTTP/1.1 " + status + "\r\nContent-Type: application/x-bittorrent\r\n"
                        + "Transfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                byte[] data = ("%x\r\n".formatted(chunk) + "a".repeat(chunk) + "\r\n").getBytes(StandardCharsets.US_ASCII);
                while (true) {
                    out.write(data);
                    out.flush();
                    Thread.sleep(pauseMillis);
                }
            } catch (IOException e) {
                closed.countDown(); // the client closed the connection: a write failed
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        return URI.create("http://127.0.0.1:" + server.getLocalPort() + "/film.torrent");
    }

    /** Serves one connection: a status line, then header lines forever (the head never ends). */
    private URI endlessHead(String line) throws IOException {
        server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        Thread.ofPlatform().daemon().start(() -> {
            try (Socket socket = server.accept()) {
                socket.getInputStream().read(new byte[4096]);
                OutputStream out = socket.getOutputStream();
                out.write("HTTP/1.1 200 OK\r\n".getBytes(StandardCharsets.US_ASCII));
                byte[] header = (line + "\r\n").getBytes(StandardCharsets.US_ASCII);
                while (true) {
                    out.write(header);
                    out.flush();
                }
            } catch (IOException e) {
                closed.countDown();
            }
        });
        return URI.create("http://127.0.0.1:" + server.getLocalPort() + "/cover.jpg");
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(ints = {100, 64 * 1024})
    void aHeadThatNeverEndsFailsTheFetchBeforeItsDeadline(int lineLength) throws Exception {
        URI uri = endlessHead("X-Filler: " + "b".repeat(lineLength)); // many short lines, or one line too long
        assertTimeoutPreemptively(Duration.ofSeconds(60), () ->
                assertThatThrownBy(() -> fetch.get(uri, Map.of(), Duration.ofSeconds(30), 64 * 1024))
                        .isInstanceOf(IOException.class)
                        .isNotInstanceOf(OutsideFetch.DeadlineException.class));
        assertThat(closed.await(30, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void anEndlessBodyOverTheBoundIsCutOff() throws Exception {
        URI uri = endless("200 OK", 4096, 1);
        assertTimeoutPreemptively(Duration.ofSeconds(60), () ->
                assertThatThrownBy(() -> fetch.get(uri, Map.of(), Duration.ofSeconds(30), 64 * 1024))
                        .isInstanceOf(OutsideFetch.TooLargeException.class));
        assertThat(closed.await(30, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aRefusedAnswerWithAnEndlessBodyIsCutOff() throws Exception {
        URI uri = endless("404 Not Found", 4096, 1);
        OutsideFetch.Answer answer = assertTimeoutPreemptively(Duration.ofSeconds(60),
                () -> fetch.get(uri, Map.of(), Duration.ofSeconds(30), 64 * 1024));
        assertThat(answer.status()).isEqualTo(404);
        assertThat(closed.await(30, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aBodyTrickledUnderTheBoundFailsWhenTheFetchsTimeIsUp() throws Exception {
        URI uri = endless("200 OK", 1, 200); // a byte every 200 ms: each read is quick, the whole never ends
        assertTimeoutPreemptively(Duration.ofSeconds(60), () ->
                assertThatThrownBy(() -> fetch.get(uri, Map.of(), Duration.ofSeconds(2), 1024 * 1024))
                        .isInstanceOf(IOException.class));
        assertThat(closed.await(30, TimeUnit.SECONDS)).isTrue();
    }
}
