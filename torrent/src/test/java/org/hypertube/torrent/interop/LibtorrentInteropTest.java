package org.hypertube.torrent.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.hypertube.torrent.Torrent;
import org.hypertube.torrent.TorrentClient;
import org.hypertube.torrent.Magnet;
import org.hypertube.torrent.Metainfo;
import org.hypertube.torrent.TorrentCreator;
import org.hypertube.torrent.testing.TestData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Our engine and libtorrent 2.0 (python3-libtorrent) on loopback, both directions, magnets included. */
@Timeout(120)
class LibtorrentInteropTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private final List<AutoCloseable> toClose = new ArrayList<>();
    @TempDir
    Path tmp;
    private Path script;
    private Path data;
    private Metainfo metainfo;
    private Path torrentFile;

    @BeforeEach
    void setUp() throws Exception {
        ExternalPeer.require("python3-libtorrent (/usr/bin/python3 -c 'import libtorrent')", ExternalPeer.libtorrentPresent());
        script = ExternalPeer.libtorrentScript(tmp);
        Path folder = tmp.resolve("seed/show");
        TestData.file(folder.resolve("episode.bin"), 6_000_000, 11);
        TestData.file(folder.resolve("subs/episode.srt"), 12_345, 12);
        data = folder;
        byte[] t = new TorrentCreator().pieceLength(256 * 1024).create(folder);
        torrentFile = Files.write(tmp.resolve("show.torrent"), t);
        metainfo = Metainfo.parse(t);
    }

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : toClose.reversed()) {
            c.close();
        }
    }

    private ExternalPeer libtorrent(String mode, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/python3", script.toString(), mode));
        cmd.addAll(List.of(args));
        ExternalPeer p = ExternalPeer.start("libtorrent " + mode, tmp, cmd);
        toClose.add(p);
        return p;
    }

    private TorrentClient ours(String dir) throws Exception {
        TorrentClient c = TorrentClient.builder().allowLocalAddresses(true).downloadDirectory(Files.createDirectories(tmp.resolve(dir)))
                .bindAddress(InetAddress.getLoopbackAddress()).port(0).build();
        toClose.add(c);
        return c;
    }

    @Test
    void weDownloadFromALibtorrentSeed() throws Exception {
        ExternalPeer seed = libtorrent("seed", "--save", tmp.resolve("seed").toString(), "--torrent", torrentFile.toString());
        int port = Integer.parseInt(seed.await("LISTEN (\\d+)", WAIT));
        Torrent t = ours("ours").add(metainfo);
        t.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        assertThat(t.awaitCompletion(WAIT)).isTrue();
        assertThat(TestData.difference(data, tmp.resolve("ours/show"))).isNull();
    }

    @Test
    void libtorrentDownloadsFromOurSeed() throws Exception {
        TorrentClient seeder = ours("seed");
        seeder.add(metainfo);
        ExternalPeer leech = libtorrent("leech", "--save", tmp.resolve("lt").toString(), "--torrent", torrentFile.toString(),
                "--peer", "127.0.0.1:" + seeder.port(), "--exit-when-done");
        leech.await("DONE", WAIT);
        assertThat(TestData.difference(data, tmp.resolve("lt/show"))).isNull();
    }

    @Test
    void weFetchMetadataAndDataFromLibtorrentByMagnet() throws Exception {
        ExternalPeer seed = libtorrent("seed", "--save", tmp.resolve("seed").toString(), "--torrent", torrentFile.toString());
        int port = Integer.parseInt(seed.await("LISTEN (\\d+)", WAIT));
        Magnet magnet = Magnet.parse("magnet:?xt=urn:btih:" + metainfo.infoHash().hex() + "&x.pe=127.0.0.1:" + port);
        Torrent t = ours("ours").add(magnet);
        assertThat(t.awaitMetadata(WAIT)).isTrue();
        assertThat(t.info().orElseThrow().name()).isEqualTo("show");
        assertThat(t.awaitCompletion(WAIT)).isTrue();
        assertThat(TestData.difference(data, tmp.resolve("ours/show"))).isNull();
    }

    @Test
    void libtorrentFetchesMetadataFromUsByMagnet() throws Exception {
        TorrentClient seeder = ours("seed");
        seeder.add(metainfo);
        ExternalPeer leech = libtorrent("leech", "--save", tmp.resolve("lt").toString(),
                "--magnet", "magnet:?xt=urn:btih:" + metainfo.infoHash().hex(),
                "--peer", "127.0.0.1:" + seeder.port(), "--exit-when-done");
        leech.await("METADATA", WAIT);
        leech.await("DONE", WAIT);
        assertThat(TestData.difference(data, tmp.resolve("lt/show"))).isNull();
    }
}
