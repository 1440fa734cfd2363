package org.hypertube.torrent.pex;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import org.hypertube.torrent.peer.PeerProtocolException;
import org.junit.jupiter.api.Test;

class PexCodecTest {

    /** Concatenates text (ASCII, the bencoding) and {@code <hex>} parts (the binary entries). */
    static byte[] wire(String spec) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String part : spec.split("(?=<)|(?<=>)")) {
            out.writeBytes(part.startsWith("<")
                    ? HexFormat.of().parseHex(part.substring(1, part.length() - 1).replace(" ", ""))
                    : part.getBytes(StandardCharsets.US_ASCII));
        }
        return out.toByteArray();
    }

    static InetSocketAddress at(String ip, int port) {
        return new InetSocketAddress(InetAddress.ofLiteral(ip), port);
    }

    static PexPeer peer(String ip, int port, int flags) {
        return new PexPeer(at(ip, port), flags);
    }

    @Test
    void decodesIpv4PeersWithTheirFlagsAndDroppedOnes() throws Exception {
        PexMessage m = PexCodec.decode(wire("d5:added12:<0a000001 1ae1 c0a80102 0050>7:added.f2:<12 01>"
                + "7:dropped6:<5db8d822 c8d5>e"));
        assertThat(m.added()).containsExactly(peer("10.0.0.1", 6881, PexPeer.SEED | PexPeer.REACHABLE),
                peer("192.168.1.2", 80, PexPeer.PREFERS_ENCRYPTION));
        assertThat(m.added().getFirst().has(PexPeer.SEED)).isTrue();
        assertThat(m.added().getFirst().has(PexPeer.UTP)).isFalse();
        assertThat(m.dropped()).containsExactly(at("93.184.216.34", 51413));
        assertThat(m.added6()).isEmpty();
        assertThat(m.dropped6()).isEmpty();
    }

    @Test
    void decodesIpv6PeersWithTheirFlagsAndDroppedOnes() throws Exception {
        PexMessage m = PexCodec.decode(wire("d6:added618:<20010db8000000000000000000000001 1ae1>8:added6.f1:<0c>"
                + "8:dropped636:<20010db8000000000000000000000002 c8d5 20010db8000000000000000000000003 0001>e"));
        assertThat(m.added6()).containsExactly(peer("2001:db8::1", 6881, PexPeer.UTP | PexPeer.HOLEPUNCH));
        assertThat(m.dropped6()).containsExactly(at("2001:db8::2", 51413), at("2001:db8::3", 1));
        assertThat(m.added()).isEmpty();
        assertThat(m.allAdded()).hasSize(1);
        assertThat(m.allDropped()).hasSize(2);
    }

    @Test
    void missingOrShortFlagsCountAsZeroAndExtraFlagsAreIgnored() throws Exception {
        String two = "5:added12:<01020304 0001 05060708 0002>";
        assertThat(PexCodec.decode(wire("d" + two + "e")).added())
                .containsExactly(peer("1.2.3.4", 1, 0), peer("5.6.7.8", 2, 0));
        assertThat(PexCodec.decode(wire("d" + two + "7:added.f1:<02>e")).added())
                .containsExactly(peer("1.2.3.4", 1, 2), peer("5.6.7.8", 2, 0));
        assertThat(PexCodec.decode(wire("d" + two + "7:added.f3:<02 10 ff>e")).added())
                .containsExactly(peer("1.2.3.4", 1, 2), peer("5.6.7.8", 2, 0x10));
    }

    @Test
    void emptyMessagesAndUnknownKeysDecodeToNothing() throws Exception {
        assertThat(PexCodec.decode(wire("de")).isEmpty()).isTrue();
        // libtorrent's first message to a peer when it has nobody to list
        assertThat(PexCodec.decode(wire("d5:added0:7:added.f0:6:added60:8:added6.f0:7:dropped0:8:dropped60:e")).isEmpty()).isTrue();
        PexMessage m = PexCodec.decode(wire("d1:ai7e5:added6:<01020304 0001>1:eli1e3:abce1:zd1:xleee"));
        assertThat(m.added()).containsExactly(peer("1.2.3.4", 1, 0));
    }

    @Test
    void entriesThatCannotBeDialledAreLeftOutWithoutShiftingTheFlags() throws Exception {
        PexMessage m = PexCodec.decode(wire("d5:added36:<01020304 0000 00000000 0050 e0000001 0050 ffffffff 0050 05060708 0051"
                + " 090a0b0c 0052>7:added.f6:<01 01 01 01 02 04>"
                + "6:added654:<00000000000000000000000000000000 0050 ff020000000000000000000000000001 0050"
                + " 00000000000000000000ffff01020304 0050>e"));
        assertThat(m.added()).containsExactly(peer("5.6.7.8", 0x51, 2), peer("9.10.11.12", 0x52, 4));
        assertThat(m.added6()).isEmpty();
    }

    @Test
    void truncatedEntriesWrongTypesAndNonDictionariesAreRefused() {
        assertThatThrownBy(() -> PexCodec.decode(wire("d5:added5:<0102030400>e")))
                .isInstanceOf(PeerProtocolException.class).hasMessage("ut_pex 'added' of 5 bytes is not a multiple of 6");
        assertThatThrownBy(() -> PexCodec.decode(wire("d7:dropped7:<01020304000102>e"))).hasMessageContaining("'dropped' of 7 bytes");
        assertThatThrownBy(() -> PexCodec.decode(wire("d6:added66:<010203040506>e"))).hasMessageContaining("multiple of 18");
        assertThatThrownBy(() -> PexCodec.decode(wire("d8:dropped617:<0102030405060708090a0b0c0d0e0f1011>e")))
                .hasMessageContaining("'dropped6' of 17 bytes");
        assertThatThrownBy(() -> PexCodec.decode(wire("d5:addedi6ee"))).hasMessage("ut_pex 'added' is not a byte string");
        assertThatThrownBy(() -> PexCodec.decode(wire("d7:added.fle5:added0:e"))).hasMessageContaining("'added.f' is not");
        assertThatThrownBy(() -> PexCodec.decode(wire("le"))).hasMessage("ut_pex message is not a dictionary");
        assertThatThrownBy(() -> PexCodec.decode(wire("d5:added12:<01020304>"))).hasMessageStartingWith("ut_pex message is not valid bencoding");
        assertThatThrownBy(() -> PexCodec.decode(new byte[0])).isInstanceOf(PeerProtocolException.class);
    }

    @Test
    void payloadsOver500KiBAreRefusedAndLongListsCutToTheFirst200() throws Exception {
        assertThatThrownBy(() -> PexCodec.decode(new byte[500 * 1024 + 1])).hasMessage("ut_pex message of 512001 bytes exceeds 512000");
        StringBuilder entries = new StringBuilder();
        for (int i = 1; i <= 300; i++) {
            entries.append("0a00%04x 1ae1".formatted(i));
        }
        PexMessage m = PexCodec.decode(wire("d5:added1800:<" + entries + ">7:dropped1800:<" + entries + ">e"));
        assertThat(m.added()).hasSize(200);
        assertThat(m.added().getFirst()).isEqualTo(peer("10.0.0.1", 6881, 0));
        assertThat(m.added().getLast()).isEqualTo(peer("10.0.0.200", 6881, 0));
        assertThat(m.dropped()).hasSize(200).endsWith(at("10.0.0.200", 6881));
    }

    @Test
    void encodesAllSixKeysWithOneFlagsBytePerAddedPeer() throws Exception {
        PexMessage m = PexMessage.of(List.of(peer("10.0.0.1", 6881, 0x12), peer("2001:db8::1", 6881, 0x01)),
                List.of(at("93.184.216.34", 51413)));
        byte[] expected = wire("d5:added6:<0a000001 1ae1>7:added.f1:<12>6:added618:<20010db8000000000000000000000001 1ae1>"
                + "8:added6.f1:<01>7:dropped6:<5db8d822 c8d5>8:dropped60:e");
        assertThat(PexCodec.encode(m)).isEqualTo(expected);
        assertThat(PexCodec.decode(expected)).isEqualTo(m);
        assertThat(PexCodec.encode(PexMessage.of(List.of(), List.of())))
                .isEqualTo(wire("d5:added0:7:added.f0:6:added60:8:added6.f0:7:dropped0:8:dropped60:e"));
    }

    @Test
    void aMessageRefusesAddressesOfTheWrongFamily() {
        assertThatThrownBy(() -> new PexMessage(List.of(peer("2001:db8::1", 1, 0)), List.of(), List.of(), List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'added'");
        assertThatThrownBy(() -> new PexMessage(List.of(), List.of(), List.of(), List.of(at("1.2.3.4", 1))))
                .hasMessageContaining("'dropped6'");
        assertThatThrownBy(() -> peer("1.2.3.4", 0, 0)).hasMessageContaining("port");
        assertThatThrownBy(() -> peer("1.2.3.4", 1, 256)).hasMessageContaining("one byte");
    }
}
