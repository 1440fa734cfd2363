package org.hypertube.torrent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class MagnetTest {
    private static final String HEX = "c12fe1c06bba254a9dc9f519b335aa7c1367a88a";

    @Test
    void parsesEveryParameter() {
        Magnet m = Magnet.parse("magnet:?xt=urn:btih:" + HEX + "&dn=Big+Buck%20Bunny"
                + "&tr=udp%3A%2F%2Ftracker.example%3A1337&tr=http://t2.example/announce&tr=wss://ignored"
                + "&x.pe=127.0.0.1:6881&x.pe=[::1]:51413&so=0,2,4-6&ws=http%3A%2F%2Fws.example%2Ff");
        assertThat(m.infoHash().hex()).isEqualTo(HEX);
        assertThat(m.displayName()).contains("Big Buck Bunny");
        assertThat(m.trackers()).containsExactly("udp://tracker.example:1337", "http://t2.example/announce");
        assertThat(m.peers()).containsExactly(InetSocketAddress.createUnresolved("127.0.0.1", 6881),
                InetSocketAddress.createUnresolved("::1", 51413));
        assertThat(m.selectOnly()).containsExactly(0, 2, 4, 5, 6);
        assertThat(m.webSeeds()).containsExactly("http://ws.example/f");
    }

    @Test
    void parsesBase32InfoHash() {
        assertThat(Magnet.parse("magnet:?xt=urn:btih:YEX6DQDLXISUVHOJ6UM3GNNKPQJWPKEK").infoHash().hex()).isEqualTo(HEX);
    }

    @Test
    void roundTripsThroughItsUri() {
        Magnet m = Magnet.parse("magnet:?xt=urn:btih:" + HEX + "&dn=a%20b&tr=http%3A%2F%2Ft%2Fa");
        assertThat(Magnet.parse(m.toUri())).isEqualTo(m);
    }

    @Test
    void refusesBadLinksNamingTheFault() {
        assertThatThrownBy(() -> Magnet.parse("http://x")).hasMessageContaining("not a magnet link");
        assertThatThrownBy(() -> Magnet.parse("magnet:?dn=x")).hasMessageContaining("no 'xt=urn:btih:'");
        assertThatThrownBy(() -> Magnet.parse("magnet:?xt=urn:btih:1234")).hasMessageContaining("40 hex or 32 base32");
        assertThatThrownBy(() -> Magnet.parse("magnet:?xt=urn:btih:" + HEX + "&x.pe=host")).hasMessageContaining("x.pe");
        assertThatThrownBy(() -> Magnet.parse("magnet:?xt=urn:btih:" + HEX + "&x.pe=h:99999")).hasMessageContaining("port out of range");
        assertThatThrownBy(() -> Magnet.parse("magnet:?xt=urn:btih:" + HEX + "&so=5-2")).hasMessageContaining("bad range");
        assertThatThrownBy(() -> Magnet.parse("magnet:?xt=urn:btih:" + HEX + "&so=0-2000000000")).hasMessageContaining("more than");
        assertThatThrownBy(() -> Magnet.parse("magnet:?xt=urn:btih:" + HEX + "&dn=%zz")).hasMessageContaining("percent");
        assertThatThrownBy(() -> Magnet.parse("magnet:?xt=urn:btih:" + HEX + "&xt=urn:btih:" + "0".repeat(40)))
                .hasMessageContaining("two different");
    }
}
