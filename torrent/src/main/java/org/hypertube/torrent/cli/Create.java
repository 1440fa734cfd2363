package org.hypertube.torrent.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.hypertube.torrent.Metainfo;
import org.hypertube.torrent.TorrentCreator;

/** {@code torrent create}: writes a .torrent for a file or folder. */
record Create(PrintStream out) implements Verb {
    @Override
    public int run(List<String> args) throws UsageException, IOException {
        Options a = Options.parse(args, Set.of("--tracker", "--piece-length", "--web-seed", "-o", "--output"), Set.of("--private"));
        String output = a.one("-o", a.one("--output", null));
        if (output == null) {
            throw new UsageException("create needs -o OUT");
        }
        Path path = Path.of(a.single("PATH to share"));
        if (!Files.exists(path)) {
            throw new UsageException("no such file or folder: " + path);
        }
        TorrentCreator c = new TorrentCreator().privateTorrent(a.flags().contains("--private"));
        for (String t : a.all("--tracker")) {
            c.tracker(t);
        }
        a.all("--web-seed").forEach(c::webSeed);
        if (a.one("--piece-length", null) != null) {
            c.pieceLength(a.integer("--piece-length", 0, 1, Integer.MAX_VALUE));
        }
        byte[] torrent = c.create(path);
        Files.write(Path.of(output), torrent);
        Metainfo m = Metainfo.parse(torrent);
        out.println("created " + output + ": " + m.info().name() + " " + m.infoHash());
        return 0;
    }
}
