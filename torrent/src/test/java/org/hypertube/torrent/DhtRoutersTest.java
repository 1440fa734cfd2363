package org.hypertube.torrent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class DhtRoutersTest {
    @Test
    void thePublicRoutersAreNamesLeftForTheNodeToResolve() {
        assertThat(DhtRouters.PUBLIC).extracting(a -> a.getHostString() + ":" + a.getPort()).containsExactly(
                "router.bittorrent.com:6881", "dht.transmissionbt.com:6881", "router.utorrent.com:6881", "dht.libtorrent.org:25401");
        assertThat(DhtRouters.PUBLIC).allMatch(InetSocketAddress::isUnresolved);
    }

    @Test
    void literalsAreResolvedAndNamesAreNot() throws Exception {
        assertThat(DhtRouters.parse("127.0.0.1:6881")).isEqualTo(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 6881));
        assertThat(DhtRouters.parse(" [::1]:7000 ")).isEqualTo(new InetSocketAddress(InetAddress.getByName("::1"), 7000));
        InetSocketAddress named = DhtRouters.parse("dht.example.org:25401");
        assertThat(named.isUnresolved()).isTrue();
        assertThat(named.getHostString()).isEqualTo("dht.example.org");
        assertThat(DhtRouters.parseList("127.0.0.1:1, router.example:2,,")).containsExactly(
                new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 1), InetSocketAddress.createUnresolved("router.example", 2));
        assertThat(DhtRouters.parseList(" ")).isEmpty();
    }

    @Test
    void anythingElseIsRefused() {
        for (String bad : List.of("127.0.0.1", "127.0.0.1:0", "127.0.0.1:65536", ":6881", "host:port", "999.1.1.1:5",
                "bad host:5", "[zz]:5", "a/b:1")) {
            assertThatThrownBy(() -> DhtRouters.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
