package org.hypertube.torrent.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.hypertube.torrent.PeerInfo;
import org.hypertube.torrent.Torrent;
import org.hypertube.torrent.TorrentClient;
import org.hypertube.torrent.Metainfo;
import org.hypertube.torrent.TorrentCreator;
import org.hypertube.torrent.testing.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * PEX (BEP 11) with libtorrent 2.0: three libtorrent sessions A, B, C where B and C are connected
 * to A; our client, told of A only (no tracker), learns B and C from A's ut_pex message and dials
 * them. Our download is rate-limited so that it is still running when PEX arrives.
 */
@Timeout(120)
class PexInteropTest {
    @TempDir
    Path tmp;

    @Test
    void aPeerWeWereNotToldOfIsReachedThroughLibtorrentsPex() throws Exception {
        ExternalPeer.require("python3-libtorrent (/usr/bin/python3 -c 'import libtorrent')", ExternalPeer.libtorrentPresent());
        Path script = ExternalPeer.script(tmp, "lt_pex_swarm.py");
        Path data = TestData.file(tmp.resolve("seed/film.bin"), 8_000_000, 31);
        byte[] t = new TorrentCreator().pieceLength(256 * 1024).create(data); // no tracker: PEX is the only way to B and C
        Path torrentFile = Files.write(tmp.resolve("film.torrent"), t);
        try (ExternalPeer swarm = ExternalPeer.start("libtorrent A+B+C", tmp, List.of("/usr/bin/python3", script.toString(),
                "--torrent", torrentFile.toString(), "--save", tmp.resolve("seed").toString(), "--max-seconds", "110"));
                TorrentClient ours = TorrentClient.builder().allowLocalAddresses(true).downloadDirectory(Files.createDirectories(tmp.resolve("ours")))
                        .bindAddress(InetAddress.getLoopbackAddress()).port(0).downloadRateLimit(100_000).build()) {
            Matcher m = Pattern.compile("\"a\": (\\d+), \"b\": (\\d+), \"c\": (\\d+)")
                    .matcher(swarm.await("PORTS (.*)", Duration.ofSeconds(60)));
            assertThat(m.find()).as("ports line").isTrue();
            int a = Integer.parseInt(m.group(1));
            Set<Integer> others = Set.of(Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)));

            Torrent torrent = ours.add(Metainfo.parse(t));
            torrent.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), a));

            long deadline = System.nanoTime() + Duration.ofSeconds(45).toNanos();
            Set<Integer> reachedByPex = Set.of();
            while (System.nanoTime() < deadline && !reachedByPex.equals(others)) {
                reachedByPex = torrent.peers().stream().filter(p -> p.outgoing() && "pex".equals(p.source()))
                        .map(p -> p.address().getPort()).filter(others::contains).collect(Collectors.toSet());
                Thread.sleep(200);
            }
            assertThat(reachedByPex).as("B and C dialled after A's PEX; peers: %s\n%s", torrent.peers(), swarm.tail())
                    .isEqualTo(others);
            assertThat(torrent.peers()).extracting(PeerInfo::source).doesNotContain("tracker");
        }
    }
}
