package org.hypertube.torrent.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.DataInputStream;
import java.io.EOFException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The peer connection's input over a real channel: every byte in order, whatever the read sizes, and the buffer's growth. */
class PeerInputTest {
    private static byte[] data(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** Writes {@code data} into a pipe from another thread, in chunks of {@code chunk} bytes, then closes it. */
    private static Pipe.SourceChannel feed(byte[] data, int chunk) throws Exception {
        Pipe pipe = Pipe.open();
        Thread.ofVirtual().start(() -> {
            try (Pipe.SinkChannel sink = pipe.sink()) {
                for (int off = 0; off < data.length; off += chunk) {
                    ByteBuffer b = ByteBuffer.wrap(data, off, Math.min(chunk, data.length - off));
                    while (b.hasRemaining()) {
                        sink.write(b);
                    }
                }
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        return pipe.source();
    }

    @Test
    void mixedReadsRequireAndSkipSeeEveryByteInOrderThenEndOfStream() throws Exception {
        byte[] sent = data(3_000_000, 1);
        PeerInput in = new PeerInput(feed(sent, 7_001), 64 * 1024);
        DataInputStream data = new DataInputStream(in);
        Random sizes = new Random(2);
        int at = 0;
        while (at < sent.length) {
            int n = Math.min(sent.length - at, 1 + sizes.nextInt(40_000));
            switch (sizes.nextInt(3)) {
                case 0 -> {
                    byte[] got = new byte[n];
                    data.readFully(got);
                    assertThat(got).isEqualTo(java.util.Arrays.copyOfRange(sent, at, at + n));
                }
                case 1 -> {
                    int off = in.require(n);
                    byte[] got = new byte[n];
                    in.buffer().get(off, got);
                    assertThat(got).isEqualTo(java.util.Arrays.copyOfRange(sent, at, at + n));
                    assertThat(in.skip(n)).isEqualTo(n);
                }
                default -> {
                    assertThat(data.readUnsignedByte()).isEqualTo(sent[at] & 0xff);
                    n = 1;
                }
            }
            at += n;
        }
        assertThat(in.read()).isEqualTo(-1);
        assertThatThrownBy(() -> in.require(1)).isInstanceOf(EOFException.class);
    }

    /** Reads {@code n} bytes in 16 KiB blocks, as block messages are read. */
    private static byte[] readInBlocks(PeerInput in, int n) throws Exception {
        byte[] got = new byte[n];
        for (int at = 0; at < n; at += 16 * 1024) {
            int len = Math.min(16 * 1024, n - at);
            int off = in.require(len);
            in.buffer().get(off, got, at, len);
            in.skip(len);
        }
        return got;
    }

    @Test
    void theBufferGrowsOnceAReadFillsItAndOnlyThen() throws Exception {
        // A pipe holds 64 KiB: a sender far ahead fills a 32 KiB buffer at every read.
        byte[] sent = data(4 << 20, 3);
        PeerInput fast = new PeerInput(feed(sent, 1 << 20), 32 * 1024);
        assertThat(readInBlocks(fast, sent.length)).isEqualTo(sent);
        assertThat(fast.capacity()).as("a sender that fills it").isEqualTo(PeerInput.MAX_SIZE);

        byte[] trickle = data(200_000, 4);
        PeerInput slow = new PeerInput(feed(trickle, 1_000), 256 * 1024);
        assertThat(readInBlocks(slow, trickle.length)).isEqualTo(trickle);
        assertThat(slow.capacity()).as("never full: never grows").isEqualTo(256 * 1024);
    }
}
