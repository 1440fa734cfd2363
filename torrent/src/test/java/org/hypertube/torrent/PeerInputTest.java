package org.hypertube.torrent;

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

    /** Reads {@code n} bytes in 16 KiB blocks, as block messages are read, pausing {@code pauseMillis} after every other block. */
    private static byte[] readInBlocks(PeerInput in, int n, long pauseMillis) throws Exception {
        byte[] got = new byte[n];
        for (int at = 0, k = 0; at < n; at += 16 * 1024, k++) {
            int len = Math.min(16 * 1024, n - at);
            int off = in.require(len);
            in.buffer().get(off, got, at, len);
            in.skip(len);
            if (pauseMillis > 0 && k % 2 == 1) {
                Thread.sleep(pauseMillis);
            }
        }
        return got;
    }

    @Test
    void theBufferGrowsForASenderThatKeepsFillingItAndOnlyThen() throws Exception {
        // A pipe holds 64 KiB: a sender far ahead fills a 32 KiB buffer at every read.
        byte[] sent = data(4 << 20, 3);
        PeerInput fast = new PeerInput(feed(sent, 1 << 20), 32 * 1024);
        assertThat(readInBlocks(fast, sent.length, 0)).isEqualTo(sent);
        assertThat(fast.capacity()).as("a sender that fills it again and again").isEqualTo(PeerInput.MAX_SIZE);

        // The same sender, but the reader comes back only every 100 ms (as when the rate limiter holds
        // it back): each read finds the buffer's worth waiting, yet this is no fast peer.
        PeerInput heldBack = new PeerInput(feed(sent, 1 << 20), 32 * 1024);
        assertThat(readInBlocks(heldBack, 512 * 1024, 2 * PeerInput.FAST_REFILL_NANOS / 1_000_000)).isEqualTo(
                java.util.Arrays.copyOf(sent, 512 * 1024));
        assertThat(heldBack.capacity()).as("full at every read, but not in quick succession").isEqualTo(32 * 1024);

        byte[] trickle = data(200_000, 4);
        PeerInput slow = new PeerInput(feed(trickle, 1_000), 256 * 1024);
        assertThat(readInBlocks(slow, trickle.length, 0)).isEqualTo(trickle);
        assertThat(slow.capacity()).as("never full: never grows").isEqualTo(256 * 1024);
    }

    @Test
    void idleTimeCountsOnlyWhileWaitingInARead() throws Exception {
        Pipe pipe = Pipe.open();
        PeerInput in = new PeerInput(pipe.source(), 32 * 1024);
        assertThat(in.idleNanos()).as("not reading").isZero();
        Thread reader = Thread.ofVirtual().start(() -> {
            try {
                in.read();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        Thread.sleep(300);
        assertThat(in.idleNanos()).as("blocked in a read for 300 ms").isGreaterThan(200_000_000L);
        pipe.sink().write(ByteBuffer.wrap(new byte[] {42}));
        reader.join(5_000);
        assertThat(in.idleNanos()).as("the read returned").isZero();
        pipe.sink().close();
    }
}
