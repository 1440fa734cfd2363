package org.hypertube.torrent.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Optional;
import org.hypertube.torrent.InfoHash;
import org.junit.jupiter.api.Test;

class MessageCodecTest {
    private static byte[] hex(String h) {
        return HexFormat.of().parseHex(h.replace(" ", ""));
    }

    private static PeerMessage decode(String h) throws Exception {
        return MessageCodec.decode(ByteBuffer.wrap(hex(h)), 1 << 16);
    }

    @Test
    void handshakeIsSixtyEightLiteralBytes() throws Exception {
        InfoHash ih = InfoHash.parse("c12fe1c06bba254a9dc9f519b335aa7c1367a88a");
        byte[] id = "-HT0001-abcdefghijkl".getBytes();
        Handshake h = new Handshake(Handshake.ourReserved(), ih, id);
        byte[] b = h.encode();
        assertThat(HexFormat.of().formatHex(b)).isEqualTo("13" + HexFormat.of().formatHex("BitTorrent protocol".getBytes())
                + "0000000000100004" + ih.hex() + HexFormat.of().formatHex(id));
        Handshake back = Handshake.decode(b);
        assertThat(back).isEqualTo(h);
        assertThat(back.supportsExtensions()).isTrue();
        assertThat(back.supportsFast()).isTrue();
        b[1] = 'X';
        assertThatThrownBy(() -> Handshake.decode(b)).hasMessageContaining("BitTorrent protocol");
        assertThatThrownBy(() -> Handshake.decode(new byte[67])).hasMessageContaining("68 bytes");
    }

    @Test
    void decodesEveryMessageFromLiteralBytes() throws Exception {
        assertThat(decode("00000000")).isEqualTo(new PeerMessage.KeepAlive());
        assertThat(decode("00000001 00")).isEqualTo(new PeerMessage.Choke());
        assertThat(decode("00000001 01")).isEqualTo(new PeerMessage.Unchoke());
        assertThat(decode("00000001 02")).isEqualTo(new PeerMessage.Interested());
        assertThat(decode("00000001 03")).isEqualTo(new PeerMessage.NotInterested());
        assertThat(decode("00000005 04 0000002a")).isEqualTo(new PeerMessage.Have(42));
        assertThat(decode("00000003 05 ff80")).isEqualTo(new PeerMessage.Bitfield(new byte[] {(byte) 0xff, (byte) 0x80}));
        assertThat(decode("0000000d 06 00000001 00004000 00004000")).isEqualTo(new PeerMessage.Request(1, 16384, 16384));
        assertThat(decode("0000000b 07 00000002 00000010 abcd")).isEqualTo(new PeerMessage.Piece(2, 16, new byte[] {(byte) 0xab, (byte) 0xcd}));
        assertThat(decode("0000000d 08 00000001 00000000 00004000")).isEqualTo(new PeerMessage.Cancel(1, 0, 16384));
        assertThat(decode("00000003 09 1ae1")).isEqualTo(new PeerMessage.Port(6881));
        assertThat(decode("00000005 0d 00000007")).isEqualTo(new PeerMessage.Suggest(7));
        assertThat(decode("00000001 0e")).isEqualTo(new PeerMessage.HaveAll());
        assertThat(decode("00000001 0f")).isEqualTo(new PeerMessage.HaveNone());
        assertThat(decode("0000000d 10 00000001 00000000 00004000")).isEqualTo(new PeerMessage.Reject(1, 0, 16384));
        assertThat(decode("00000005 11 00000003")).isEqualTo(new PeerMessage.AllowedFast(3));
        assertThat(decode("00000004 14 00 6465")).isEqualTo(new PeerMessage.Extended(0, "de".getBytes()));
    }

    @Test
    void encodeIsTheInverseOfDecode() throws Exception {
        List<PeerMessage> all = List.of(new PeerMessage.KeepAlive(), new PeerMessage.Choke(), new PeerMessage.Unchoke(),
                new PeerMessage.Interested(), new PeerMessage.NotInterested(), new PeerMessage.Have(9),
                new PeerMessage.Bitfield(new byte[] {1, 2, 3}), new PeerMessage.Request(1, 2, 3),
                new PeerMessage.Piece(4, 5, new byte[] {6, 7}), new PeerMessage.Cancel(1, 2, 3), new PeerMessage.Port(80),
                new PeerMessage.Suggest(1), new PeerMessage.HaveAll(), new PeerMessage.HaveNone(),
                new PeerMessage.Reject(1, 2, 3), new PeerMessage.AllowedFast(4), new PeerMessage.Extended(3, new byte[] {9}));
        for (PeerMessage m : all) {
            assertThat(MessageCodec.decode(ByteBuffer.wrap(MessageCodec.encode(m)), 100)).isEqualTo(m);
            var in = new DataInputStream(new ByteArrayInputStream(MessageCodec.encode(m)));
            assertThat(MessageCodec.read(in, 100)).isEqualTo(m);
        }
        assertThat(HexFormat.of().formatHex(MessageCodec.encode(new PeerMessage.Have(1)))).isEqualTo("000000050400000001");
    }

    @Test
    void refusesWrongSizesUnknownIdsAndHugeLengths() {
        assertThatThrownBy(() -> decode("00000002 00 00")).hasMessageContaining("choke message payload must be 0 bytes, got 1");
        assertThatThrownBy(() -> decode("00000004 04 000000")).hasMessageContaining("have message payload must be 4 bytes, got 3");
        assertThatThrownBy(() -> decode("0000000b 06 00000001 00000000 0000")).hasMessageContaining("request message payload must be 12");
        assertThatThrownBy(() -> decode("00000005 07 00000001")).hasMessageContaining("piece message of 5 bytes is too short");
        assertThatThrownBy(() -> decode("00000001 63")).hasMessageContaining("unknown message id 99");
        assertThatThrownBy(() -> decode("00000001 14")).hasMessageContaining("extended message without an id");
        assertThatThrownBy(() -> decode("80000000 00")).hasMessageContaining("message length 2147483648 exceeds limit");
        assertThatThrownBy(() -> decode("00100000 07")).hasMessageContaining("exceeds limit");
        assertThatThrownBy(() -> decode("00000005 04 00")).hasMessageContaining("but 2 bytes follow");
        assertThatThrownBy(() -> decode("0000")).hasMessageContaining("truncated length prefix");
        // A stream that ends in the middle of a message is an EOF, not a silent short message.
        assertThatThrownBy(() -> MessageCodec.read(new DataInputStream(new ByteArrayInputStream(hex("0000000d 06 0000"))), 100))
                .isInstanceOf(EOFException.class);
        // An oversized length prefix is refused before the body is read or allocated.
        assertThatThrownBy(() -> MessageCodec.read(new DataInputStream(new ByteArrayInputStream(hex("7fffffff 05"))), 100))
                .isInstanceOf(PeerProtocolException.class).hasMessageContaining("exceeds limit");
    }

    @Test
    void extensionHandshakeRoundTripsAndBoundsMetadataSize() throws Exception {
        var h = new ExtensionHandshake(Map.of("ut_metadata", 3), OptionalInt.of(31235), Optional.of("Hypertube 0.1"),
                OptionalInt.of(250), OptionalInt.of(6881));
        byte[] enc = h.encode();
        assertThat(new String(enc)).isEqualTo("d1:md11:ut_metadatai3ee13:metadata_sizei31235e1:pi6881e4:reqqi250e1:v13:Hypertube 0.1e");
        assertThat(ExtensionHandshake.decode(enc)).isEqualTo(h);
        assertThatThrownBy(() -> ExtensionHandshake.decode("d13:metadata_sizei1073741824ee".getBytes()))
                .hasMessageContaining("metadata_size 1073741824 is outside");
        assertThatThrownBy(() -> ExtensionHandshake.decode("d13:metadata_sizei-5ee".getBytes())).hasMessageContaining("metadata_size -5");
        assertThatThrownBy(() -> ExtensionHandshake.decode("le".getBytes())).hasMessageContaining("not a dictionary");
        assertThat(ExtensionHandshake.decode("d1:md11:ut_metadatai0eee".getBytes()).extensions()).isEmpty();
    }

    @Test
    void metadataMessagesFollowBep9() throws Exception {
        assertThat(new String(MetadataMessage.encode(new MetadataMessage.Request(2)))).isEqualTo("d8:msg_typei0e5:piecei2ee");
        byte[] data = MetadataMessage.encode(new MetadataMessage.Data(0, 3, new byte[] {'a', 'b', 'c'}));
        assertThat(new String(data)).isEqualTo("d8:msg_typei1e5:piecei0e10:total_sizei3eeabc");
        assertThat(MetadataMessage.decode(data)).isEqualTo(new MetadataMessage.Data(0, 3, new byte[] {'a', 'b', 'c'}));
        assertThat(MetadataMessage.decode("d8:msg_typei2e5:piecei1ee".getBytes())).isEqualTo(new MetadataMessage.Reject(1));
        assertThatThrownBy(() -> MetadataMessage.decode("d8:msg_typei1e5:piecei0e10:total_sizei99999999eex".getBytes()))
                .hasMessageContaining("total_size");
        assertThatThrownBy(() -> MetadataMessage.decode("d8:msg_typei0e5:piecei-1ee".getBytes())).hasMessageContaining("piece index");
        assertThatThrownBy(() -> MetadataMessage.decode("d8:msg_typei7e5:piecei0ee".getBytes())).hasMessageContaining("unknown msg_type 7");
        assertThatThrownBy(() -> MetadataMessage.decode("d8:msg_typei0e5:piecei0eeX".getBytes())).hasMessageContaining("trailing");
        assertThatThrownBy(() -> MetadataMessage.decode("d8:msg_typ".getBytes())).hasMessageContaining("not valid bencoding");
    }
}
