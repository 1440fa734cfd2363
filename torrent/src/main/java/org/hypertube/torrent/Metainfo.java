package org.hypertube.torrent;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import org.hypertube.torrent.bencode.BValue;
import org.hypertube.torrent.bencode.Bencode;
import org.hypertube.torrent.bencode.BencodeException;

/**
 * A .torrent file: the info dictionary plus trackers (BEP 12 tiers; a lone {@code announce} is one
 * tier), web seeds ({@code url-list}, BEP 19) and descriptive fields. Immutable.
 */
public record Metainfo(TorrentInfo info, List<List<String>> trackerTiers, List<String> webSeeds,
        Optional<String> comment, Optional<String> createdBy, Optional<Long> creationDate) {

    /** .torrent files larger than this are refused before decoding (ours; libtorrent's is 10 MB). */
    public static final int MAX_FILE_SIZE = 64 << 20;
    /** libtorrent's {@code load_torrent_limits}: 100 levels (so 99 nested containers), 3 000 000 tokens. */
    static final Bencode.Limits LIMITS = new Bencode.Limits(99, MAX_FILE_SIZE, 3_000_000);

    public Metainfo {
        trackerTiers = trackerTiers.stream().map(List::copyOf).toList();
        webSeeds = List.copyOf(webSeeds);
    }

    public InfoHash infoHash() {
        return info.infoHash();
    }

    public static Metainfo parse(byte[] torrentFile) {
        if (torrentFile.length > MAX_FILE_SIZE) {
            throw new MetainfoException("torrent file of " + torrentFile.length + " bytes exceeds " + MAX_FILE_SIZE);
        }
        BValue v;
        try {
            // What follows the torrent's dictionary (often a line end) is ignored, as libtorrent does.
            v = Bencode.decodePrefix(torrentFile, 0, torrentFile.length, LIMITS, Bencode.Syntax.LIBTORRENT).value();
        } catch (BencodeException e) {
            throw new MetainfoException("torrent file is not valid bencoding: " + e.getMessage(), e);
        }
        if (!(v instanceof BValue.BDict root)) {
            throw new MetainfoException("torrent file is not a dictionary");
        }
        if (!(root.get("info").orElseThrow(() -> new MetainfoException("torrent file has no 'info' dictionary"))
                instanceof BValue.BDict info)) {
            throw new MetainfoException("torrent file's 'info' is not a dictionary");
        }
        TorrentInfo ti = TorrentInfo.from(info);
        Fields f = new Fields(root);

        List<List<String>> tiers = new ArrayList<>();
        if (root.get("announce-list").orElse(null) instanceof BValue.BList(List<BValue> tierValues)) {
            for (BValue tier : tierValues) {
                if (tier instanceof BValue.BList(List<BValue> urls)) {
                    List<String> t = urls.stream().filter(u -> u instanceof BValue.BBytes)
                            .map(u -> ((BValue.BBytes) u).utf8().trim()).filter(Metainfo::isTrackerUrl).distinct().toList();
                    if (!t.isEmpty()) {
                        tiers.add(t);
                    }
                }
            }
        }
        // BEP 12: when announce-list is present, announce is ignored.
        if (tiers.isEmpty()) {
            f.text("announce").map(String::trim).filter(Metainfo::isTrackerUrl).ifPresent(a -> tiers.add(List.of(a)));
        }

        LinkedHashSet<String> seeds = new LinkedHashSet<>();
        switch (root.get("url-list").orElse(null)) {
            case BValue.BBytes b -> {
                if (!b.utf8().isBlank()) {
                    seeds.add(b.utf8());
                }
            }
            case BValue.BList(List<BValue> list) -> list.stream().filter(u -> u instanceof BValue.BBytes)
                    .map(u -> ((BValue.BBytes) u).utf8()).filter(s -> !s.isBlank()).forEach(seeds::add);
            case null, default -> { }
        }
        return new Metainfo(ti, tiers, new ArrayList<>(seeds), f.text("comment"), f.text("created by"),
                f.integer("creation date"));
    }

    static boolean isTrackerUrl(String url) {
        try {
            String scheme = URI.create(url).getScheme();
            return scheme != null && (scheme.equals("http") || scheme.equals("https") || scheme.equals("udp"));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** All tracker URLs, tier by tier. */
    public List<String> trackers() {
        return trackerTiers.stream().flatMap(List::stream).toList();
    }

    /** A magnet link for this torrent with its name and trackers. */
    public Magnet toMagnet() {
        return new Magnet(infoHash(), Optional.of(info.name()), trackers(), List.of(), List.of(), webSeeds);
    }
}
