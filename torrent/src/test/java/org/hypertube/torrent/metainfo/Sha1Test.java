package org.hypertube.torrent.metainfo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class Sha1Test {
    private static final List<Supplier<Sha1>> BOTH = List.of(Sha1.Jdk::new, Sha1.Native::new);

    @Test
    void hashesWithLibcryptoWhenNativeAccessIsGranted() {
        // The build grants native access to tests as the CLI jar's manifest does; every Debian
        // machine this runs on has libcrypto.so.3.
        assertThat(Sha1.isNative()).isTrue();
        assertThat(Sha1.create()).isInstanceOf(Sha1.Native.class);
        assertThat(Sha1.buffer(100).isDirect()).isTrue();
    }

    @Test
    void standardVectorsFromBothImplementations() {
        for (Supplier<Sha1> impl : BOTH) {
            assertThat(hex(impl.get(), "")).isEqualTo("da39a3ee5e6b4b0d3255bfef95601890afd80709");
            assertThat(hex(impl.get(), "abc")).isEqualTo("a9993e364706816aba3e25717850c26c9cd0d89d");
            assertThat(hex(impl.get(), "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"))
                    .isEqualTo("84983e441c3bd26ebaae4aa1f95129e5e54670f1");
            Sha1 million = impl.get();
            ByteBuffer a = ByteBuffer.allocateDirect(1000);
            while (a.hasRemaining()) {
                a.put((byte) 'a');
            }
            a.flip();
            for (int i = 0; i < 1000; i++) {
                million.update(a); // leaves the position where it was
            }
            assertThat(HexFormat.of().formatHex(million.digest())).isEqualTo("34aa973cd4c4daa4f61eeb2bdbad27316534016f");
        }
    }

    @Test
    void splitUpdatesOfDirectAndHeapBuffersMatchTheJdk() throws Exception {
        Random random = new Random(42);
        byte[] data = new byte[3 * 1024 * 1024 + 17];
        random.nextBytes(data);
        ByteBuffer direct = ByteBuffer.allocateDirect(data.length).put(data).flip();
        byte[] expected = MessageDigest.getInstance("SHA-1").digest(data);
        for (Supplier<Sha1> impl : BOTH) {
            Sha1 sha1 = impl.get();
            for (int round = 0; round < 3; round++) { // a digest starts the next hash afresh
                int at = 0;
                while (at < data.length) {
                    int n = Math.min(data.length - at, random.nextInt(70_000));
                    ByteBuffer part = (random.nextBoolean() ? direct : ByteBuffer.wrap(data)).slice(at, n);
                    sha1.update(part);
                    assertThat(part.position()).isZero();
                    assertThat(part.remaining()).isEqualTo(n);
                    at += n;
                }
                assertThat(sha1.digest()).as("%s round %d", sha1.getClass().getSimpleName(), round).isEqualTo(expected);
            }
        }
    }

    private static String hex(Sha1 sha1, String text) {
        sha1.update(ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII)));
        return HexFormat.of().formatHex(sha1.digest());
    }
}
