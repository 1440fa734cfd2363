package org.hypertube.torrent.dht;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class KrpcTest {
    private static final TransactionId AA = new TransactionId(bytes("aa"));
    private static final NodeId ABC = NodeId.of(bytes("abcdefghij0123456789"));
    private static final NodeId MNO = NodeId.of(bytes("mnopqrstuvwxyz123456"));

    // BEP 5's examples, byte for byte.
    private static final String PING = "d1:ad2:id20:abcdefghij0123456789e1:q4:ping1:t2:aa1:y1:qe";
    private static final String PONG = "d1:rd2:id20:mnopqrstuvwxyz123456e1:t2:aa1:y1:re";
    private static final String ERROR = "d1:eli201e23:A Generic Error Ocurrede1:t2:aa1:y1:ee";
    private static final String FIND_NODE =
            "d1:ad2:id20:abcdefghij01234567896:target20:mnopqrstuvwxyz123456e1:q9:find_node1:t2:aa1:y1:qe";
    private static final String GET_PEERS =
            "d1:ad2:id20:abcdefghij01234567899:info_hash20:mnopqrstuvwxyz123456e1:q9:get_peers1:t2:aa1:y1:qe";
    private static final String GET_PEERS_VALUES =
            "d1:rd2:id20:abcdefghij01234567895:token8:aoeusnth6:valuesl6:axje.u6:idhtnmee1:t2:aa1:y1:re";
    private static final String ANNOUNCE = "d1:ad2:id20:abcdefghij012345678912:implied_porti1e9:info_hash20:"
            + "mnopqrstuvwxyz1234564:porti6881e5:token8:aoeusnthe1:q13:announce_peer1:t2:aa1:y1:qe";
    // The BEP's find_node and get_peers responses carry "def456..." (9 bytes) as nodes: a placeholder.
    private static final String FIND_NODE_REPLY_PLACEHOLDER =
            "d1:rd2:id20:0123456789abcdefghij5:nodes9:def456...e1:t2:aa1:y1:re";
    private static final String GET_PEERS_NODES_PLACEHOLDER =
            "d1:rd2:id20:abcdefghij01234567895:nodes9:def456...5:token8:aoeusnthe1:t2:aa1:y1:re";

    @Test
    void bep5ExamplesDecodeToTheirMessagesAndEncodeBackByteForByte() throws Exception {
        Token token = new Token(bytes("aoeusnth"));
        var expected = List.<Object[]>of(
                new Object[] {PING, new KrpcMessage.Ping(AA, ABC)},
                new Object[] {PONG, new KrpcMessage.Response(AA, MNO)},
                new Object[] {ERROR, new KrpcMessage.Error(AA, 201, "A Generic Error Ocurred")},
                new Object[] {FIND_NODE, new KrpcMessage.FindNode(AA, ABC, MNO)},
                new Object[] {GET_PEERS, new KrpcMessage.GetPeers(AA, ABC, MNO)},
                new Object[] {GET_PEERS_VALUES, new KrpcMessage.Response(AA, ABC, List.of(), List.of(),
                        List.of(peer("97.120.106.101", 0x2e75), peer("105.100.104.116", 0x6e6d)),
                        Optional.of(token), Optional.empty())},
                new Object[] {ANNOUNCE, new KrpcMessage.AnnouncePeer(AA, ABC, MNO, 6881, true, token)});
        for (Object[] e : expected) {
            String wire = (String) e[0];
            KrpcMessage m = (KrpcMessage) e[1];
            assertThat(Krpc.decode(bytes(wire))).as(wire).isEqualTo(m);
            assertThat(new String(Krpc.encode(m), ISO_8859_1)).isEqualTo(wire);
        }
    }

    @Test
    void theBepsPlaceholderNodesAreRefusedAndRealCompactNodesAreRead() throws Exception {
        for (String placeholder : List.of(FIND_NODE_REPLY_PLACEHOLDER, GET_PEERS_NODES_PLACEHOLDER)) {
            assertThatThrownBy(() -> Krpc.decode(bytes(placeholder)))
                    .isInstanceOf(KrpcException.class).hasMessageContaining("not a multiple of 26");
        }
        String node = "mnopqrstuvwxyz123456" + "\u0001\u0002\u0003\u0004\u001a\u00e1";
        String node6 = "abcdefghij0123456789" + "\u0020\u0001\r\u00b8" + "\0".repeat(11) + "\u0001\u001a\u00e1";
        String zeroPort = "abcdefghij0123456789" + "\u0001\u0002\u0003\u0005\0\0";
        String wire = "d2:ip6:\u0005\u0006\u0007\u0008\u001a\u00e11:rd2:id20:0123456789abcdefghij5:nodes52:" + node + zeroPort
                + "6:nodes638:" + node6 + "5:token4:abcde1:t2:aa1:v4:LT\u0001\u00001:y1:re";
        var r = (KrpcMessage.Response) Krpc.decode(bytes(wire));
        assertThat(r.nodes()).containsExactly(new NodeContact(MNO, peer("1.2.3.4", 6881)));
        assertThat(r.nodes6()).containsExactly(new NodeContact(ABC, peer("2001:db8::1", 6881)));
        assertThat(r.token()).contains(new Token(bytes("abcd")));
        assertThat(r.ip()).contains(peer("5.6.7.8", 6881));
        // Encoded again, with our version: the same message (the port-0 node is gone for good).
        assertThat(Krpc.decode(Krpc.encode(r, bytes("HT01")))).isEqualTo(r);
        assertThat(new String(Krpc.encode(r, bytes("HT01")), ISO_8859_1)).contains("1:v4:HT01");
    }

    @Test
    void unknownMethodsAndKeysAreKeptOrIgnoredSoTheyCanBeAnswered() throws Exception {
        String get = "d1:ad2:id20:abcdefghij01234567896:target20:mnopqrstuvwxyz123456e1:q3:get1:t2:aa1:y1:qe";
        assertThat(Krpc.decode(bytes(get))).isEqualTo(new KrpcMessage.UnknownQuery(AA, ABC, "get"));
        String want = "d1:ad2:id20:abcdefghij01234567896:target20:mnopqrstuvwxyz1234564:wantl2:n42:n6ee"
                + "1:q9:find_node1:t2:aa1:v4:UT\u00ab\u00cd1:y1:qe";
        assertThat(Krpc.decode(bytes(want))).isEqualTo(new KrpcMessage.FindNode(AA, ABC, MNO));
    }

    @Test
    void announcePortIsRequiredAndInRangeUnlessImplied() throws Exception {
        String base = "d1:ad2:id20:abcdefghij0123456789%s9:info_hash20:mnopqrstuvwxyz123456%s5:token8:aoeusnthe"
                + "1:q13:announce_peer1:t2:aa1:y1:qe";
        assertThat(((KrpcMessage.AnnouncePeer) Krpc.decode(bytes(base.formatted("", "4:porti65535e")))).port()).isEqualTo(65535);
        assertThat(((KrpcMessage.AnnouncePeer) Krpc.decode(bytes(base.formatted("12:implied_porti1e", "")))).impliedPort()).isTrue();
        for (String[] bad : new String[][] {{"", "4:porti0e"}, {"", "4:porti65536e"}, {"", "4:porti-1e"}, {"", ""},
                {"12:implied_porti0e", "4:porti0e"}, {"12:implied_porti1e", "4:porti70000e"}}) {
            assertThatThrownBy(() -> Krpc.decode(bytes(base.formatted(bad[0], bad[1]))))
                    .as(bad[0] + bad[1]).isInstanceOf(KrpcException.class);
        }
    }

    @Test
    void everyTruncationOfEveryExampleIsRefused() {
        for (String wire : List.of(PING, PONG, ERROR, FIND_NODE, GET_PEERS, GET_PEERS_VALUES, ANNOUNCE)) {
            for (int n = 0; n < wire.length(); n++) {
                String cut = wire.substring(0, n);
                assertThatThrownBy(() -> Krpc.decode(bytes(cut))).as(cut).isInstanceOf(KrpcException.class);
            }
        }
    }

    @Test
    void malformedFieldsAreRefusedWithTheirReason() {
        String[][] cases = {
            {PING.replace("id20:abcdefghij0123456789", "id19:abcdefghij012345678"), "not a 20-byte id"},
            {PING.replace("1:t2:aa", "1:t17:aaaaaaaaaaaaaaaaa"), "transaction id of 17 bytes"},
            {PING.replace("1:t2:aa", "1:t0:"), "transaction id of 0 bytes"},
            {PING.replace("1:t2:aa", ""), "'t' is missing"},
            {PING.replace("1:y1:q", "1:y1:x"), "unknown message type"},
            {PING.replace("1:ad2:id20:abcdefghij0123456789e", "1:al2:id20:abcdefghij0123456789e"), "'a' is missing or not a dictionary"},
            {ANNOUNCE.replace("5:token8:aoeusnth", "5:token21:aoeusnthaoeusnthaoeus"), "token of 21 bytes"},
            {GET_PEERS_VALUES.replace("6:axje.u", "5:axje."), "6 or 18-byte compact peer"},
            {GET_PEERS_VALUES.replace("6:valuesl6:axje.u6:idhtnme", "6:values6:axje.u"), "'values' is not a list"},
            {ERROR.replace("i201e", "3:201"), "not [code, message]"},
            {"li1ee", "not a dictionary"},
            {PING + "x", "not valid bencoding"},
            {PING.replace("1:q4:ping", "1:q4:ping1:q4:ping"), "not valid bencoding"},
        };
        for (String[] c : cases) {
            assertThatThrownBy(() -> Krpc.decode(bytes(c[0]))).as(c[0])
                    .isInstanceOf(KrpcException.class).hasMessageContaining(c[1]);
        }
    }

    @Test
    void oversizedMessagesAndListsAreRefusedAndEncodingStaysInOneDatagram() throws Exception {
        String padded = PING.replace("1:t2:aa", "1:t2:aa1:x1440:" + "x".repeat(1440));
        assertThat(padded.length()).isGreaterThan(Krpc.MAX_MESSAGE);
        assertThatThrownBy(() -> Krpc.decode(bytes(padded))).hasMessageContaining("exceeds 1500");

        List<NodeContact> many = new ArrayList<>();
        for (int i = 0; i <= Krpc.MAX_NODES; i++) {
            many.add(new NodeContact(ABC, peer("1.2.3." + i, 1000 + i)));
        }
        ByteArrayOutputStream nodes = new ByteArrayOutputStream();
        many.forEach(n -> nodes.writeBytes(concat(n.id().bytes(), Krpc.compactPeer(n.address()))));
        String tooMany = "d1:rd2:id20:0123456789abcdefghij5:nodes" + nodes.size() + ":" + new String(nodes.toByteArray(), ISO_8859_1)
                + "e1:t2:aa1:y1:re";
        assertThatThrownBy(() -> Krpc.decode(bytes(tooMany))).hasMessageContaining("at most 32");
        var fits = new KrpcMessage.Response(AA, ABC, many.subList(0, Krpc.MAX_NODES), List.of(), List.of(), Optional.empty(), Optional.empty());
        assertThat(Krpc.decode(Krpc.encode(fits))).isEqualTo(fits);

        StringBuilder values = new StringBuilder();
        for (int i = 0; i <= Krpc.MAX_VALUES; i++) {
            values.append("6:axje.u");
        }
        String tooManyPeers = GET_PEERS_VALUES.replace("6:axje.u6:idhtnm", values);
        assertThatThrownBy(() -> Krpc.decode(bytes(tooManyPeers))).hasMessageContaining("at most 100");

        List<InetSocketAddress> peers6 = new ArrayList<>();
        for (int i = 0; i < 80; i++) {
            peers6.add(peer("2001:db8::" + Integer.toHexString(i + 1), 6881));
        }
        var huge = new KrpcMessage.Response(AA, ABC, List.of(), List.of(), peers6, Optional.empty(), Optional.empty());
        assertThatThrownBy(() -> Krpc.encode(huge)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("exceeds 1500");
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static InetSocketAddress peer(String ip, int port) {
        try {
            return new InetSocketAddress(InetAddress.getByName(ip), port);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private static byte[] bytes(String latin1) {
        return latin1.getBytes(ISO_8859_1);
    }
}
