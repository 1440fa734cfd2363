package org.hypertube.playback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A reader of a film another instance serves, when the owner's host goes silent without a reset (power
 * loss, a partition): here an owner on 127.0.0.1 that sends the answer's head and a few bytes, then
 * nothing, keeping the connection open. The bounds below are generous: they only tell "ends" from "hangs".
 */
class RemoteMediaTest {

    private static final String HASH = "ab".repeat(20);
    private static final Duration HANG = Duration.ofSeconds(30);

    private ServerSocket server;
    private final List<Socket> held = new ArrayList<>();
    private final CountDownLatch answered = new CountDownLatch(1);

    @BeforeEach
    void aSilentOwner() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(() -> {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    synchronized (held) {
                        held.add(s);
                    }
                    readHead(s.getInputStream());
                    if (answered.getCount() == 0) {
                        continue;   // the host is gone: later requests get no answer at all
                    }
                    OutputStream out = s.getOutputStream();
                    out.write(("HTTP/1.1 206 Partial Content\r\nContent-Type: video/mp4\r\nContent-Range: bytes 0-999999/1000000\r\n"
                            + "Content-Length: 1000000\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(new byte[10]);
                    out.flush();
                    answered.countDown();
                    // then silence: no more bytes, no FIN, no RST
                } catch (IOException e) {
                    return;
                }
            }
        });
    }

    @AfterEach
    void stop() throws IOException {
        server.close();
        synchronized (held) {
            for (Socket s : held) {
                s.close();
            }
        }
    }

    @Test
    void aReadFromAnOwnerThatWentSilentFailsInsteadOfHanging() throws Exception {
        RemoteMedia media = media(Duration.ofMillis(300), Duration.ofSeconds(1));
        try (SeekableByteChannel reader = media.open()) {
            ByteBuffer buffer = ByteBuffer.allocate(1000);
            assertThat(reader.read(buffer)).isEqualTo(10);
            assertTimeoutPreemptively(HANG, () -> assertThatThrownBy(() -> reader.read(buffer)).isInstanceOf(IOException.class));
        }
    }

    @Test
    void closeFromAnotherThreadEndsABlockedRead() throws Exception {
        RemoteMedia media = media(Duration.ofSeconds(3), Duration.ofHours(1));
        SeekableByteChannel reader = media.open();
        CompletableFuture<Object> read = CompletableFuture.supplyAsync(() -> {
            try {
                ByteBuffer buffer = ByteBuffer.allocate(1000);
                reader.read(buffer);
                return reader.read(buffer);   // blocks: the owner is silent
            } catch (IOException e) {
                return e;
            }
        });
        assertThat(answered.await(HANG.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertTimeoutPreemptively(HANG, () -> reader.close());
        assertThat(read.get(HANG.toSeconds(), TimeUnit.SECONDS)).isInstanceOf(IOException.class);
        assertThat(reader.isOpen()).isFalse();
    }

    private RemoteMedia media(Duration readTimeout, Duration patience) {
        ClusterAuth auth = new ClusterAuth(new LeaseProperties(null, "", "", "s".repeat(40)), Clock.systemUTC());
        ClusterClient client = new ClusterClient(auth, readTimeout);
        String address = "http://127.0.0.1:" + server.getLocalPort();
        return new RemoteMedia(HASH, "film.mp4", 1_000_000, address, client,
                hash -> Optional.of(media(readTimeout, patience)), patience);
    }

    private static void readHead(InputStream in) throws IOException {
        int matched = 0;
        int b;
        byte[] end = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        while (matched < 4 && (b = in.read()) >= 0) {
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
    }
}
