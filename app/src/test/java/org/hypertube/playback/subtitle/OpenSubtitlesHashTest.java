package org.hypertube.playback.subtitle;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OpenSubtitlesHashTest {

    @TempDir
    Path dir;

    /** The algorithm as the old OSDb page describes it, with big integers and a stream: nothing shared with the class. */
    private static String reference(Path file) throws Exception {
        long size = Files.size(file);
        BigInteger sum = BigInteger.valueOf(size);
        try (InputStream in = Files.newInputStream(file)) {
            sum = sum.add(littleEndianWords(new DataInputStream(in), 65536 / 8));
        }
        try (InputStream in = Files.newInputStream(file)) {
            in.skipNBytes(size - 65536);
            sum = sum.add(littleEndianWords(new DataInputStream(in), 65536 / 8));
        }
        String hex = sum.mod(BigInteger.TWO.pow(64)).toString(16);
        return "0".repeat(16 - hex.length()) + hex;
    }

    private static BigInteger littleEndianWords(DataInputStream in, int words) throws Exception {
        BigInteger sum = BigInteger.ZERO;
        for (int i = 0; i < words; i++) {
            byte[] word = new byte[8];
            in.readFully(word);
            byte[] bigEndian = new byte[9];
            for (int b = 0; b < 8; b++) {
                bigEndian[8 - b] = word[b];
            }
            sum = sum.add(new BigInteger(bigEndian));
        }
        return sum;
    }

    @Test
    void matchesAnIndependentComputationOfTheDocumentedAlgorithm() throws Exception {
        for (long seed : new long[] {1, 2, 3}) {
            Random random = new Random(seed);
            byte[] data = new byte[300_000 + random.nextInt(50_000) * 8];
            random.nextBytes(data);
            Path file = dir.resolve("film-" + seed + ".bin");
            Files.write(file, data);

            String expected = reference(file);
            try (SeekableByteChannel channel = Files.newByteChannel(file)) {
                assertThat(OpenSubtitlesHash.of(channel)).isEqualTo(expected);
            }
            byte[] head = Arrays.copyOf(data, 65536);
            byte[] tail = Arrays.copyOfRange(data, data.length - 65536, data.length);
            assertThat(OpenSubtitlesHash.of(head, tail, data.length)).isEqualTo(expected).matches("[0-9a-f]{16}");
        }
    }

    @Test
    void aFileOfZeroBytesHashesToItsSizeAndTheSumWrapsAround() throws Exception {
        assertThat(OpenSubtitlesHash.of(new byte[65536], new byte[65536], 1_234_567_890L)).isEqualTo("00000000499602d2");

        byte[] ones = new byte[65536];
        Arrays.fill(ones, (byte) 0xFF);
        // 2 × 8192 words of 2^64 - 1 are -16384 modulo 2^64: 1 000 000 - 16 384 = 983 616 = 0xf0240
        assertThat(OpenSubtitlesHash.of(ones, ones, 1_000_000L)).isEqualTo("00000000000f0240");
    }

    @Test
    void aFileShorterThan64KibIsItsOwnHeadAndTail() throws Exception {
        byte[] data = new byte[1001];
        new Random(7).nextBytes(data);
        Path file = dir.resolve("short.bin");
        Files.write(file, data);
        BigInteger words = BigInteger.ZERO;
        for (int at = 0; at < data.length; at += 8) {
            byte[] bigEndian = new byte[9];
            for (int b = 0; b < 8 && at + b < data.length; b++) {
                bigEndian[8 - b] = data[at + b];
            }
            words = words.add(new BigInteger(bigEndian));
        }
        String hex = words.multiply(BigInteger.TWO).add(BigInteger.valueOf(1001)).mod(BigInteger.TWO.pow(64)).toString(16);

        try (SeekableByteChannel channel = Files.newByteChannel(file)) {
            assertThat(OpenSubtitlesHash.of(channel)).isEqualTo("0".repeat(16 - hex.length()) + hex);
        }
    }
}
