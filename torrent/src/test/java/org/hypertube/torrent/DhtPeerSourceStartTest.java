package org.hypertube.torrent;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.hypertube.torrent.dht.DhtNode;
import org.hypertube.torrent.dht.KrpcMessage;
import org.hypertube.torrent.dht.NodeId;
import org.hypertube.torrent.dht.Token;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The DHT as a torrent's peer source at a torrent's start, on loopback against our own nodes. */
class DhtPeerSourceStartTest {
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : open.reversed()) {
            c.close();
        }
    }

    private DhtNode node(String ip, Duration timeout) throws Exception {
        DhtNode n = DhtNode.builder().bind(new InetSocketAddress(InetAddress.getByName(ip), 0)).queryTimeout(timeout).open();
        open.add(n);
        return n;
    }

    @Test
    void aNewTorrentOnAFreshNodeGetsPeersWithoutWaitingForTheBootstrapToEnd() throws Exception {
        InfoHash hash = InfoHash.of(new byte[20]);
        NodeId target = NodeId.of(hash.bytes());
        DhtNode holder = node("127.0.4.2", Duration.ofSeconds(2));
        DhtNode announcer = node("127.0.4.3", Duration.ofSeconds(2));
        KrpcMessage.Response first = (KrpcMessage.Response) announcer.getPeers(holder.localAddress(), target).get(2, TimeUnit.SECONDS);
        Token token = first.token().orElseThrow();
        assertThat(announcer.announcePeer(holder.localAddress(), target, 7777, false, token).get(2, TimeUnit.SECONDS))
                .isInstanceOf(KrpcMessage.Response.class);
        // Our fresh node: an empty table, and a bootstrap node that never answers, whose query is only
        // given up after a minute; a bootstrap walk waited for would hold the lookup that long.
        DhtNode fresh = node("127.0.4.1", Duration.ofMinutes(1));
        DatagramSocket silent = new DatagramSocket(new InetSocketAddress("127.0.4.100", 0));
        open.add(silent);
        List<InetSocketAddress> bootstrap = List.of((InetSocketAddress) silent.getLocalSocketAddress(), holder.localAddress());
        DhtPeerSource source = new DhtPeerSource(fresh, bootstrap, hash, () -> true, () -> false, 6881);
        CompletableFuture<List<InetSocketAddress>> offered = new CompletableFuture<>();
        source.start((peers, from) -> {
            if (from.equals("dht")) {
                offered.complete(List.copyOf(peers));
            }
        });
        open.add(source::stop);
        assertThat(offered.get(10, TimeUnit.SECONDS)).containsExactly(new InetSocketAddress("127.0.4.3", 7777));
    }
}
