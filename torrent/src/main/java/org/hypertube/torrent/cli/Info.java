package org.hypertube.torrent.cli;

import java.io.PrintStream;
import java.util.List;
import java.util.Set;
import org.hypertube.torrent.Magnet;
import org.hypertube.torrent.Metainfo;
import org.hypertube.torrent.TorrentFile;
import org.hypertube.torrent.TorrentInfo;

/** {@code torrent info}: what a .torrent or magnet holds, with the file names that will be written. */
record Info(PrintStream out) implements Verb {
    @Override
    public int run(List<String> args) throws UsageException {
        Options a = Options.parse(args, Set.of(), Set.of());
        String arg = a.single("torrent file or magnet link");
        if (Magnet.looksLikeMagnet(arg)) {
            Magnet m = Magnet.parse(arg);
            out.println("name:       " + m.displayName().orElse("(unknown until metadata arrives)"));
            out.println("info-hash:  " + m.infoHash());
            m.trackers().forEach(t -> out.println("tracker:    " + t));
            m.peers().forEach(p -> out.println("peer:       " + p.getHostString() + ":" + p.getPort()));
            m.webSeeds().forEach(w -> out.println("web seed:   " + w));
            if (!m.selectOnly().isEmpty()) {
                out.println("select:     " + m.selectOnly());
            }
            return 0;
        }
        Metainfo m = Options.torrentFile(arg);
        TorrentInfo i = m.info();
        out.println("name:       " + i.name());
        out.println("info-hash:  " + i.infoHash());
        out.println("size:       " + i.totalLength() + " bytes (" + Units.human(i.totalLength()) + ")");
        out.println("piece size: " + i.pieceLength());
        out.println("pieces:     " + i.pieceCount());
        out.println("private:    " + (i.isPrivate() ? "yes" : "no"));
        m.trackerTiers().forEach(t -> out.println("tracker:    " + String.join(" ", t)));
        m.webSeeds().forEach(w -> out.println("web seed:   " + w));
        out.println("files:");
        for (TorrentFile f : i.files()) {
            if (!f.pad()) {
                out.println("  " + f.length() + "  " + (i.multiFile() ? i.name() + "/" : "") + f.displayPath());
            }
        }
        return 0;
    }
}
