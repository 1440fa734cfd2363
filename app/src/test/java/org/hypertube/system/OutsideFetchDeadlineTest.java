package org.hypertube.system;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A host that drips its answer a byte at a time, never slow enough for a read time-out, is cut off at the deadline. */
class OutsideFetchDeadlineTest {

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aDrippingAnswerEndsAtTheDeadline() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            Thread drip = Thread.ofVirtual().start(() -> {
                try (Socket socket = server.accept(); OutputStream out = socket.getOutputStream()) {
                    out.write("HTTP/1.1 200 OK\r\nContent-Type: image/png\r\nContent-Length: 100000\r\n\r\n"
                            .getBytes(StandardCharsets.US_ASCII));
                    while (true) {
                        out.write(0);
                        out.flush();
                        Thread.sleep(100);
                    }
                } catch (Exception e) {
                    // the client hung up
                }
            });
            var fetch = new OutsideFetch(false, List.of("127.0.0.1"));
            try {
                URI uri = URI.create("http://127.0.0.1:" + server.getLocalPort() + "/slow.png");
                assertThatThrownBy(() -> fetch.get(uri, Map.of(), Duration.ofSeconds(5), 200_000, Duration.ofSeconds(1)))
                        .isInstanceOf(OutsideFetch.DeadlineException.class);
            } finally {
                fetch.destroy();
                drip.interrupt();
            }
        }
    }
}
