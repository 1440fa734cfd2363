package org.hypertube.torrent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.hypertube.torrent.Metainfo;
import org.hypertube.torrent.testing.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI hashes with libcrypto only where native access was granted, and with the JDK otherwise:
 * the same pieces either way, and no warning from the JDK about restricted methods.
 */
@Timeout(120)
class NativeAccessTest {
    @TempDir
    Path tmp;

    @Test
    void createMakesTheSameTorrentWithAndWithoutNativeAccessAndNoWarning() throws Exception {
        Path data = TestData.file(tmp.resolve("data/film.bin"), 5L * (1 << 20) + 12_345, 9);
        Metainfo granted = create(data, "granted", true);
        Metainfo refused = create(data, "refused", false);
        assertThat(granted.info().pieceCount()).isEqualTo(6);
        assertThat(granted.infoHash()).isEqualTo(refused.infoHash());
    }

    private Metainfo create(Path data, String name, boolean nativeAccess) throws Exception {
        Path out = tmp.resolve(name + ".torrent");
        Path log = tmp.resolve(name + ".log");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        if (nativeAccess) {
            cmd.add("--enable-native-access=ALL-UNNAMED");
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "create", "--piece-length", String.valueOf(1 << 20), "-o", out.toString(), data.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        } finally {
            p.destroyForcibly();
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(output).isZero();
        assertThat(output).as("native access %s", nativeAccess ? "granted" : "not granted").doesNotContain("WARNING");
        return Metainfo.parse(Files.readAllBytes(out));
    }
}
