package org.hypertube.torrent.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.hypertube.torrent.Metainfo;
import org.hypertube.torrent.MetainfoException;
import org.hypertube.torrent.TorrentFile;
import org.hypertube.torrent.testing.OddTorrent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every odd .torrent of {@link OddTorrent#all()} read by libtorrent 2.0 (python3-libtorrent, from the
 * file as a user adds it) and by us: the same verdict, the same file paths and sizes, except for the
 * differences the table names, which are checked to still be what libtorrent does.
 */
@Timeout(180)
class MetainfoInteropTest {
    @TempDir
    Path tmp;

    @Test
    void oddTorrentsAreAcceptedOrRefusedAsLibtorrentDoesWithTheSameFileNames() throws Exception {
        ExternalPeer.require("python3-libtorrent (/usr/bin/python3 -c 'import libtorrent')", ExternalPeer.libtorrentPresent());
        List<OddTorrent> cases = OddTorrent.all();
        List<String> command = new ArrayList<>(List.of("/usr/bin/python3", script().toString()));
        for (int i = 0; i < cases.size(); i++) {
            command.add(Files.write(tmp.resolve(i + ".torrent"), cases.get(i).bytes()).toString());
        }
        List<String> replies = run(command);
        assertThat(replies).as("one line per torrent from lt_info.py").hasSize(cases.size());

        List<String> mismatches = new ArrayList<>();
        for (int i = 0; i < cases.size(); i++) {
            OddTorrent c = cases.get(i);
            List<String> libtorrent = libtorrent(replies.get(i));
            List<String> ours = ours(c.bytes());
            if (!c.libtorrentDiffers() && !Objects.equals(libtorrent, ours)) {
                mismatches.add(c.label() + "\n    libtorrent: " + shown(libtorrent, replies.get(i)) + "\n    ours:       " + shown(ours, ""));
            } else if (c.libtorrentDiffers() && !Objects.equals(withoutSizes(libtorrent), c.libtorrent())) {
                mismatches.add(c.label() + " (a known difference: " + c.why() + ")\n    libtorrent now: "
                        + shown(libtorrent, replies.get(i)) + "\n    the table says: " + shown(c.libtorrent(), ""));
            }
        }
        assertThat(mismatches).as("torrents read differently from libtorrent:\n" + String.join("\n", mismatches)).isEmpty();
    }

    /** Our reading: each file as "path (size)" in the table's form, or null when refused. */
    private static List<String> ours(byte[] torrent) {
        try {
            var info = Metainfo.parse(torrent).info();
            List<String> written = OddTorrent.written(info);
            List<String> out = new ArrayList<>();
            for (int i = 0; i < written.size(); i++) {
                TorrentFile f = info.files().get(i);
                out.add(f.pad() ? written.get(i) : written.get(i) + " (" + f.length() + ")");
            }
            return out;
        } catch (MetainfoException e) {
            return null;
        }
    }

    /** A line of lt_info.py in the same form. */
    private static List<String> libtorrent(String reply) {
        if (reply.startsWith("ERR")) {
            return null;
        }
        String[] words = reply.split(" ");
        List<String> out = new ArrayList<>();
        for (int w = 2; w < words.length; w++) {
            String[] f = words[w].split(":");
            String path = new String(HexFormat.of().parseHex(f[0]), StandardCharsets.UTF_8);
            out.add(f[2].equals("1") ? "<pad " + f[1] + ">" : path + " (" + f[1] + ")");
        }
        return out;
    }

    private static List<String> withoutSizes(List<String> files) {
        return files == null ? null : files.stream().map(f -> f.replaceFirst(" \\(\\d+\\)$", "")).toList();
    }

    private static String shown(List<String> files, String reply) {
        if (files == null) {
            return "refused " + reply;
        }
        return files.size() > 6 ? files.subList(0, 6) + " and " + (files.size() - 6) + " more" : files.toString();
    }

    private Path script() throws IOException {
        Path script = tmp.resolve("lt_info.py");
        try (var in = MetainfoInteropTest.class.getResourceAsStream("/interop/lt_info.py")) {
            Files.write(script, in.readAllBytes());
        }
        return script;
    }

    private List<String> run(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            List<String> lines = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("lt_info.py finished").isTrue();
            return lines;
        } finally {
            p.destroyForcibly();
        }
    }
}
