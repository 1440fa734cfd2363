package org.hypertube.torrent.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hypertube.torrent.Metainfo;
import org.hypertube.torrent.TorrentCreator;
import org.hypertube.torrent.dht.DhtNode;
import org.hypertube.torrent.dht.KrpcMessage;
import org.hypertube.torrent.dht.NodeId;
import org.hypertube.torrent.testing.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our {@link DhtNode} in a private loopback DHT of libtorrent 2.0 sessions (SWARM.md §3.2): it
 * bootstraps from the router session R alone and finds, by an iterative {@code get_peers}, the
 * address of the libtorrent session that seeds a tracker-less torrent; then announces itself with
 * the tokens libtorrent gave, which libtorrent accepts.
 */
@Timeout(120)
class DhtInteropTest {
    @TempDir
    Path tmp;

    @Test
    void ourNodeFindsTheLibtorrentSeederThroughThePrivateDht() throws Exception {
        ExternalPeer.require("python3-libtorrent (/usr/bin/python3 -c 'import libtorrent')", ExternalPeer.libtorrentPresent());
        Path script = ExternalPeer.script(tmp, "lt_dht_swarm.py");
        Path data = TestData.file(tmp.resolve("seed/film.bin"), 1_000_000, 17);
        byte[] t = new TorrentCreator().pieceLength(256 * 1024).create(data); // no tracker: only the DHT knows the seed
        Path torrentFile = Files.write(tmp.resolve("film.torrent"), t);
        NodeId infoHash = NodeId.of(Metainfo.parse(t).infoHash().bytes());
        try (ExternalPeer swarm = ExternalPeer.start("libtorrent DHT", tmp, List.of("/usr/bin/python3", script.toString(),
                "--torrent", torrentFile.toString(), "--save", tmp.resolve("seed").toString(), "--max-seconds", "110"));
                DhtNode ours = DhtNode.builder()
                        .bind(new InetSocketAddress(InetAddress.getByName("127.0.99.1"), 0))
                        .idFile(tmp.resolve("dht-id"))
                        .open()) {
            Matcher m = Pattern.compile("\"router\": (\\d+), \"seed\": (\\d+)")
                    .matcher(swarm.await("PORTS (.*)", Duration.ofSeconds(60)));
            assertThat(m.find()).as("ports line").isTrue();
            InetSocketAddress router = new InetSocketAddress("127.0.0.1", Integer.parseInt(m.group(1)));
            InetSocketAddress seeder = new InetSocketAddress("127.0.0.1", Integer.parseInt(m.group(2)));

            int size = ours.bootstrap(List.of(router)).get(30, TimeUnit.SECONDS);
            assertThat(size).as("routing table after bootstrap\n%s", swarm.tail()).isPositive();

            DhtNode.LookupResult found = ours.lookup(infoHash).get(30, TimeUnit.SECONDS);
            assertThat(found.peers()).as("peers found in %d queries\n%s", found.queried(), swarm.tail()).contains(seeder);
            assertThat(found.closest()).as("nodes that gave a token").isNotEmpty();

            // libtorrent accepts an announce_peer with its own token.
            DhtNode.TokenHolder holder = found.closest().getFirst();
            KrpcMessage reply = ours.announcePeer(holder.node().address(), infoHash, 6881, false, holder.token())
                    .get(5, TimeUnit.SECONDS);
            assertThat(reply).as("announce_peer reply from %s", holder.node()).isInstanceOf(KrpcMessage.Response.class);
        }
    }
}
