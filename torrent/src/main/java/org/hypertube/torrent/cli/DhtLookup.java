package org.hypertube.torrent.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.hypertube.torrent.InfoHash;
import org.hypertube.torrent.Magnet;
import org.hypertube.torrent.dht.DhtNode;
import org.hypertube.torrent.dht.NodeId;

/**
 * {@code torrent dht-lookup}: joins the DHT, runs one {@code get_peers} lookup and prints each peer
 * as a node names it ({@code peer IP:PORT}), then a summary. Exit 0 when a peer was found.
 */
record DhtLookup(PrintStream out, PrintStream err) implements Verb {
    @Override
    public int run(List<String> args) throws UsageException, IOException, InterruptedException {
        Options a = Options.parse(args, Set.of("--bind", "--dht-port", "--dht-bootstrap"), Set.of());
        String arg = a.single("info-hash or magnet link");
        InfoHash hash;
        try {
            hash = Magnet.looksLikeMagnet(arg) ? Magnet.parse(arg).infoHash() : InfoHash.parse(arg);
        } catch (IllegalArgumentException e) {
            throw new UsageException("not an info-hash or magnet: " + arg);
        }
        List<InetSocketAddress> bootstrap = a.dhtBootstrap();
        try (DhtNode node = DhtNode.builder()
                .bind(new InetSocketAddress(a.bind(), a.integer("--dht-port", 0, 0, 65535))).open()) {
            int known = node.bootstrap(bootstrap).get(2, TimeUnit.MINUTES);
            out.println("joined through " + bootstrap.size() + " bootstrap addresses; " + known + " nodes known");
            DhtNode.LookupResult r = node.lookup(NodeId.of(hash.bytes()), peers -> {
                synchronized (out) {
                    peers.forEach(p -> out.println("peer " + p.getAddress().getHostAddress() + ":" + p.getPort()));
                }
            }).get(2, TimeUnit.MINUTES);
            out.println(r.peers().size() + " peers from " + r.queried() + " queries");
            return r.peers().isEmpty() ? 1 : 0;
        } catch (ExecutionException | TimeoutException e) {
            err.println("torrent: DHT lookup failed: " + e);
            return 1;
        }
    }
}
