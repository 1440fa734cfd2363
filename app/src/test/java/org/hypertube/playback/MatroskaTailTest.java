package org.hypertube.playback;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A Matroska film's end (where its keyframe index is) is asked for while its headers are still on their
 * way, so a remux finds the index on disk right after the headers instead of waiting for it then.
 */
class MatroskaTailTest {

    /** The film's bytes; reads before {@code gate} is opened wait, as reads of pieces not arrived do. */
    record Arriving(Path path, String name, CountDownLatch gate, List<Long> reads) implements MediaFile {
        @Override
        public String infoHash() {
            return "0123456789abcdef0123456789abcdef01234567";
        }

        @Override
        public long length() {
            return path.toFile().length();
        }

        @Override
        public long readableFrom(long offset) {
            return 0;
        }

        @Override
        public SeekableByteChannel open() throws IOException {
            FileChannel file = FileChannel.open(path, StandardOpenOption.READ);
            return new SeekableByteChannel() {
                @Override
                public int read(ByteBuffer dst) throws IOException {
                    long at = file.position();
                    reads.add(at);
                    if (at < length() - MatroskaTail.TAIL_BYTES) {
                        try {
                            gate.await();
                        } catch (InterruptedException e) {
                            throw new IOException(e);
                        }
                    }
                    return file.read(dst);
                }

                @Override
                public int write(ByteBuffer src) {
                    throw new UnsupportedOperationException();
                }

                @Override
                public long position() throws IOException {
                    return file.position();
                }

                @Override
                public SeekableByteChannel position(long p) throws IOException {
                    file.position(p);
                    return this;
                }

                @Override
                public long size() throws IOException {
                    return file.size();
                }

                @Override
                public SeekableByteChannel truncate(long size) {
                    throw new UnsupportedOperationException();
                }

                @Override
                public boolean isOpen() {
                    return file.isOpen();
                }

                @Override
                public void close() throws IOException {
                    file.close();
                }
            };
        }
    }

    FilmProbes probes() {
        return new FilmProbes(null, new InternalMedia(), Clock.systemUTC(), event -> { });
    }

    @Test
    void theEndOfAMatroskaFilmIsAskedForWhileItsHeadersAreStillComing() throws Exception {
        Path film = TestFilms.MKV_H264_AC3.file();
        Arriving file = new Arriving(film, "film.mkv", new CountDownLatch(1), new CopyOnWriteArrayList<>());
        FilmProbes probes = probes();
        probes.asked(file.infoHash());
        probes.probe(file, false);
        long tail = Files.size(film) - MatroskaTail.TAIL_BYTES;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (file.reads().stream().noneMatch(at -> at >= tail) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(file.reads()).as("the head is still awaited").contains(0L);
        assertThat(probes.probed(file.infoHash())).as("no decision yet").isEmpty();
        assertThat(file.reads()).as("the end is read meanwhile").anyMatch(at -> at >= tail);

        file.gate().countDown();
        deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (probes.probed(file.infoHash()).isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(probes.probed(file.infoHash())).as("remux decided from the headers").isPresent();
    }

    @Test
    void anMp4sEndIsLeftToItsHeaderReader() throws Exception {
        Path film = TestFilms.MP4_FASTSTART.file();
        Arriving file = new Arriving(film, "film.mp4", new CountDownLatch(1), new CopyOnWriteArrayList<>());
        FilmProbes probes = probes();
        probes.probe(file, false);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (file.reads().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        Thread.sleep(300);
        assertThat(file.reads()).as("only the header reader, blocked at the head").containsOnly(0L);
        file.gate().countDown();
    }
}
