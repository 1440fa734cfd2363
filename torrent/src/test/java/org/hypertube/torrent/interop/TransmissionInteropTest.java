package org.hypertube.torrent.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.hypertube.torrent.Torrent;
import org.hypertube.torrent.testing.TestData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Transmission 3.00 as a seeder our engine dials. Transmission never dials 127.x peers learned from
 * a tracker (loopback is "martian" to it), so it is used only in this direction on loopback.
 */
@Timeout(120)
class TransmissionInteropTest {
    private static final String DAEMON = "/usr/bin/transmission-daemon";
    private static final String REMOTE = "/usr/bin/transmission-remote";
    @TempDir
    Path tmp;
    private InteropFixture fx;

    @BeforeEach
    void setUp() throws Exception {
        ExternalPeer.require("transmission-daemon and transmission-remote",
                ExternalPeer.executable(DAEMON) && ExternalPeer.executable(REMOTE));
        fx = new InteropFixture(tmp, 5_000_000);
    }

    @AfterEach
    void tearDown() throws Exception {
        if (fx != null) {
            fx.close();
        }
    }

    @Test
    void weDownloadFromATransmissionSeed() throws Exception {
        int peerPort = InteropFixture.freePort();
        int rpcPort = InteropFixture.freePort();
        Path cfg = Files.createDirectories(tmp.resolve("trcfg"));
        Files.writeString(cfg.resolve("settings.json"), """
                {"dht-enabled": false, "lpd-enabled": false, "pex-enabled": false, "port-forwarding-enabled": false,
                 "utp-enabled": false, "rpc-authentication-required": false, "rpc-bind-address": "127.0.0.1",
                 "rpc-whitelist": "127.0.0.1", "bind-address-ipv4": "127.0.0.1", "bind-address-ipv6": "::1",
                 "peer-port-random-on-start": false, "start-added-torrents": true}
                """);
        fx.track(ExternalPeer.start("transmission-daemon", tmp, List.of(DAEMON, "-f", "-g", cfg.toString(),
                "-w", tmp.resolve("seed").toString(), "-P", String.valueOf(peerPort), "-i", "127.0.0.1", "-I", "::1",
                "-r", "127.0.0.1", "-p", String.valueOf(rpcPort), "-O", "-Y", "-M", "--no-utp", "-T", "-a", "127.0.0.1",
                "--log-error")));
        String rpc = "127.0.0.1:" + rpcPort;
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            ExternalPeer add = ExternalPeer.start("transmission-remote", tmp,
                    List.of(REMOTE, rpc, "-a", fx.torrentFile.toString(), "-w", tmp.resolve("seed").toString()));
            if (add.waitFor(Duration.ofSeconds(20)) == 0) {
                break;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("transmission-remote could not add the torrent: " + add.tail());
            }
            Thread.sleep(300);
        }
        Torrent t = fx.ours("ours").add(fx.metainfo);
        t.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), peerPort));
        assertThat(t.awaitCompletion(Duration.ofSeconds(90))).isTrue();
        assertThat(TestData.difference(fx.data, tmp.resolve("ours/movie.bin"))).isNull();
    }
}
