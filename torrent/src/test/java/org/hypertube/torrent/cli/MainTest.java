package org.hypertube.torrent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.hypertube.torrent.bencode.BValue;
import org.hypertube.torrent.bencode.Bencode;
import org.hypertube.torrent.Metainfo;
import org.hypertube.torrent.testing.OddTorrent;
import org.hypertube.torrent.testing.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {
    @TempDir
    Path tmp;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return new Main(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8)).run(args);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void createThenInfoDescribesTheTorrent() throws Exception {
        Path f = TestData.file(tmp.resolve("clip.bin"), 100_000, 1);
        Path t = tmp.resolve("clip.torrent");
        assertThat(run("create", "--tracker", "http://127.0.0.1:1/announce", "--tracker", "udp://127.0.0.1:2",
                "--piece-length", "32768", "--web-seed", "http://ws/", "--private", "-o", t.toString(), f.toString())).isZero();
        Metainfo m = Metainfo.parse(Files.readAllBytes(t));
        assertThat(m.info().pieceLength()).isEqualTo(32768);
        assertThat(m.info().isPrivate()).isTrue();
        assertThat(m.trackers()).containsExactly("http://127.0.0.1:1/announce", "udp://127.0.0.1:2");
        assertThat(m.webSeeds()).containsExactly("http://ws/");
        out.reset();
        assertThat(run("info", t.toString())).isZero();
        assertThat(out.toString()).contains("name:       clip.bin", "info-hash:  " + m.infoHash().hex(), "pieces:     4",
                "100000  clip.bin");
        out.reset();
        assertThat(run("info", m.toMagnet().toUri())).isZero();
        assertThat(out.toString()).contains("info-hash:  " + m.infoHash().hex());
    }

    @Test
    void infoShowsTheNamesThatWillBeWritten() throws Exception {
        BValue info = Bencode.dict("files", Bencode.list(List.of(
                        OddTorrent.file(5, "..", "..", "etc", "passwd"), OddTorrent.file(5, "a/b"), OddTorrent.file(5, "A\\B"),
                        OddTorrent.file(5, "x".repeat(300) + ".mkv"), OddTorrent.file(5, "ctl\u0007"))),
                "name", "Film\u202e", "piece length", 16384, "pieces", new byte[20]);
        Path t = Files.write(tmp.resolve("odd.torrent"), (new String(Bencode.encode(Bencode.dict("info", info)), StandardCharsets.ISO_8859_1) + "\n")
                .getBytes(StandardCharsets.ISO_8859_1));
        assertThat(run("info", t.toString())).as(err()).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8).lines().filter(l -> l.startsWith("  ")))
                .containsExactly("  5  Film/etc/passwd", "  5  Film/ab", "  5  Film/AB.1", "  5  Film/" + "x".repeat(240) + ".mkv", "  5  Film/ctl_");
    }

    @Test
    void badInputExitsTwoWithOneLineOnStderr() throws Exception {
        assertThat(run()).isEqualTo(2);
        assertThat(run("frobnicate")).isEqualTo(2);
        assertThat(run("info", tmp.resolve("missing.torrent").toString())).isEqualTo(2);
        Path junk = Files.writeString(tmp.resolve("junk.torrent"), "not bencode");
        assertThat(run("info", junk.toString())).isEqualTo(2);
        assertThat(run("download", "--port", "99999", "magnet:?xt=urn:btih:" + "a".repeat(40))).isEqualTo(2);
        assertThat(run("download", "--bogus", "x")).isEqualTo(2);
        assertThat(run("info", "magnet:?dn=nohash")).isEqualTo(2);
        assertThat(run("create", tmp.toString())).isEqualTo(2);
        assertThat(err().lines()).hasSize(8).allMatch(l -> l.startsWith("torrent: "));
        assertThat(err()).contains("unknown verb 'frobnicate'", "not valid bencoding", "--port must be between 0 and 65535",
                "unknown option --bogus", "create needs -o OUT");
    }

    @Test
    void downloadWithNoPeersFailsWithExitOneAfterTheTimeout() throws Exception {
        int code = run("download", "--no-dht", "--dir", tmp.toString(), "--port", "0", "--bind", "127.0.0.1", "--timeout", "1",
                "magnet:?xt=urn:btih:" + "b".repeat(40));
        assertThat(code).isEqualTo(1);
        assertThat(err()).contains("not complete after 1 s: no peers");
    }

    @Test
    void selftestDownloadsItsOwnDataOverLoopbackAndLeavesNothingBehind() throws Exception {
        long before;
        try (var list = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            before = list.filter(p -> p.getFileName().toString().startsWith("torrent-selftest")).count();
        }
        assertThat(run("selftest", "--size-mib", "3", "--seeders", "2")).as(err()).isZero();
        assertThat(out.toString()).contains("selftest: 3.0 MiB from 2 seeders", "files identical");
        try (var list = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            assertThat(list.filter(p -> p.getFileName().toString().startsWith("torrent-selftest")).count()).isEqualTo(before);
        }
        assertThat(run("selftest", "--seeders", "0")).isEqualTo(2);
        assertThat(err()).contains("--seeders must be between 1 and 8");
    }
}
