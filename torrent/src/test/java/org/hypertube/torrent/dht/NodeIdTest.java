package org.hypertube.torrent.dht;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

class NodeIdTest {

    /** BEP 42's table: the address, then an id it publishes for it (rand is the last byte). */
    private static final String[][] BEP42 = {
        {"124.31.75.21", "5fbfbff10c5d6a4ec8a88e4c6ab4c28b95eee401"},
        {"21.75.31.124", "5a3ce9c14e7a08645677bbd1cfe7d8f956d53256"},
        {"65.23.51.170", "a5d43220bc8f112a3d426c84764f8c2a1150e616"},
        {"84.124.73.14", "1b0321dd1bb1fe518101ceef99462b947a01ff41"},
        {"43.213.53.83", "e56f6cbf5b7c4be0237986d5243b87aa6d51305a"},
    };

    @Test
    void bep42PublishedIdsPassTheCheckForTheirAddressesAndNoOther() throws Exception {
        for (String[] v : BEP42) {
            NodeId id = NodeId.ofHex(v[1]);
            assertThat(id.isSecureFor(InetAddress.getByName(v[0]))).as(v[0]).isTrue();
            assertThat(id.isSecureFor(InetAddress.getByName("8.8.8.8"))).as(v[0]).isFalse();
        }
    }

    @Test
    void bep42TheFirst21BitsAreCheckedAndTheRestAreFree() throws Exception {
        InetAddress a = InetAddress.getByName(BEP42[0][0]);
        byte[] id = HexFormat.of().parseHex(BEP42[0][1]);
        byte[] bit21 = id.clone();
        bit21[2] ^= 0x08; // the 21st bit
        byte[] bit22 = id.clone();
        bit22[2] ^= 0x04; // the 22nd: random
        byte[] middle = id.clone();
        middle[10] ^= (byte) 0xff;
        byte[] rand = id.clone();
        rand[19] ^= 0x01; // r's low bits enter the CRC
        assertThat(NodeId.of(bit21).isSecureFor(a)).isFalse();
        assertThat(NodeId.of(bit22).isSecureFor(a)).isTrue();
        assertThat(NodeId.of(middle).isSecureFor(a)).isTrue();
        assertThat(NodeId.of(rand).isSecureFor(a)).isFalse();
    }

    @Test
    void generatedIdsMatchBep42sPrefixesAndPassTheirOwnCheck() throws Exception {
        Random random = new Random(42);
        for (String[] v : BEP42) {
            InetAddress a = InetAddress.getByName(v[0]);
            for (int i = 0; i < 50; i++) {
                NodeId id = NodeId.secure(a, random);
                assertThat(id.isSecureFor(a)).isTrue();
                byte[] b = id.bytes();
                int r = b[19] & 0xff;
                if (r == Integer.parseInt(v[1].substring(38), 16)) {
                    // Same r as the published id: the same 21-bit prefix.
                    assertThat(id.toString().substring(0, 4)).isEqualTo(v[1].substring(0, 4));
                    assertThat(b[2] & 0xf8).isEqualTo(Integer.parseInt(v[1].substring(4, 6), 16) & 0xf8);
                }
            }
        }
        // r from the published ids, forced: a generator whose first nextInt(256) is that r.
        for (String[] v : BEP42) {
            int r = Integer.parseInt(v[1].substring(38), 16);
            NodeId id = NodeId.secure(InetAddress.getByName(v[0]), fixedFirstInt(r));
            assertThat(id.toString().substring(0, 4)).isEqualTo(v[1].substring(0, 4));
            assertThat(id.bytes()[2] & 0xf8).isEqualTo(HexFormat.of().parseHex(v[1])[2] & 0xf8);
            assertThat(id.bytes()[19] & 0xff).isEqualTo(r);
        }
    }

    @Test
    void ipv6IdsUseTheFirst64BitsAndLocalAddressesAreExempt() throws Exception {
        InetAddress a = InetAddress.getByName("2001:db8:1234:5678::1");
        NodeId id = NodeId.secure(a, new Random(1));
        assertThat(id.isSecureFor(a)).isTrue();
        assertThat(id.isSecureFor(InetAddress.getByName("2001:db8:1234:5678:ffff::9"))).isTrue(); // same /64
        assertThat(id.isSecureFor(InetAddress.getByName("2001:db9:1234:5678::1"))).isFalse();
        NodeId any = NodeId.ofHex("0000000000000000000000000000000000000000");
        for (String local : new String[] {"10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "127.0.0.1", "::1", "fe80::1", "fd00::1"}) {
            assertThat(any.isSecureFor(InetAddress.getByName(local))).as(local).isTrue();
        }
        assertThat(any.isSecureFor(InetAddress.getByName("172.32.0.1"))).isFalse();
    }

    @Test
    void distanceIsXorAndOrdersIdsByCloseness() {
        NodeId target = NodeId.ofHex("8000000000000000000000000000000000000000");
        NodeId near = NodeId.ofHex("8000000000000000000000000000000000000001");
        NodeId far = NodeId.ofHex("0000000000000000000000000000000000000000");
        assertThat(near.distance(target)).isEqualTo(NodeId.ofHex("0000000000000000000000000000000000000001"));
        assertThat(target.closer(near, far)).isNegative();
        assertThat(target.closer(far, near)).isPositive();
        assertThat(target.closer(near, near)).isZero();
        assertThat(near.distance(target).compareTo(far.distance(target))).isNegative();
        assertThat(target.commonPrefixLength(far)).isZero();
        assertThat(target.commonPrefixLength(near)).isEqualTo(159);
        assertThat(target.commonPrefixLength(target)).isEqualTo(160);
    }

    @Test
    void randomIdsWithAPrefixStayInTheirBucket() {
        Random random = new Random(7);
        NodeId own = NodeId.random(random);
        for (int depth = 0; depth < 160; depth += 13) {
            assertThat(own.commonPrefixLength(NodeId.randomWithPrefix(own, depth, true, random))).isEqualTo(depth);
            assertThat(own.commonPrefixLength(NodeId.randomWithPrefix(own, depth, false, random))).isGreaterThanOrEqualTo(depth);
        }
    }

    @Test
    void anIdIsExactly20Bytes() {
        assertThatThrownBy(() -> NodeId.of(new byte[19])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> NodeId.of(new byte[21])).isInstanceOf(IllegalArgumentException.class);
    }

    private static Random fixedFirstInt(int first) {
        return new Random(0) {
            private boolean given;

            @Override
            public int nextInt(int bound) {
                if (!given) {
                    given = true;
                    return first;
                }
                return super.nextInt(bound);
            }
        };
    }
}
