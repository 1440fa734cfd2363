package org.hypertube.playback.subtitle;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Test files under src/test/resources/subtitle. */
final class Fixtures {

    private Fixtures() {
    }

    static String text(String name) {
        return new String(bytes(name), java.nio.charset.StandardCharsets.UTF_8);
    }

    static byte[] bytes(String name) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/subtitle/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture subtitle/" + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
