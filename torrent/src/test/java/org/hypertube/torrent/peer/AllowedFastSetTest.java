package org.hypertube.torrent.peer;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.Arrays;
import org.hypertube.torrent.InfoHash;
import org.junit.jupiter.api.Test;

class AllowedFastSetTest {
    private static final InfoHash AA = InfoHash.of(filled((byte) 0xaa));

    private static byte[] filled(byte b) {
        byte[] a = new byte[20];
        Arrays.fill(a, b);
        return a;
    }

    @Test
    void bep6TestVectors() throws Exception {
        InetAddress ip = InetAddress.getByName("80.4.4.200");
        assertThat(AllowedFastSet.generate(ip, AA, 1313, 7)).containsExactly(1059, 431, 808, 1217, 287, 376, 1188);
        assertThat(AllowedFastSet.generate(ip, AA, 1313, 9)).containsExactly(1059, 431, 808, 1217, 287, 376, 1188, 353, 508);
    }

    @Test
    void theWholeSlash24GetsTheSameSetAndAMappedAddressCountsAsIpv4() throws Exception {
        var expected = AllowedFastSet.generate(InetAddress.getByName("80.4.4.200"), AA, 1313, 10);
        assertThat(expected).hasSize(10).doesNotHaveDuplicates().allMatch(p -> p >= 0 && p < 1313);
        assertThat(AllowedFastSet.generate(InetAddress.getByName("80.4.4.1"), AA, 1313, 10)).isEqualTo(expected);
        assertThat(AllowedFastSet.generate(InetAddress.getByAddress(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -1, -1, 80, 4, 4, 7}),
                AA, 1313, 10)).isEqualTo(expected);
        assertThat(AllowedFastSet.generate(InetAddress.getByName("80.4.5.200"), AA, 1313, 10)).isNotEqualTo(expected);
    }

    @Test
    void fewerPiecesThanKGivesEveryPieceOnce() throws Exception {
        assertThat(AllowedFastSet.generate(InetAddress.getByName("10.0.0.1"), AA, 3, 10)).containsExactlyInAnyOrder(0, 1, 2);
        assertThat(AllowedFastSet.generate(InetAddress.getByName("10.0.0.1"), AA, 0, 10)).isEmpty();
        assertThat(AllowedFastSet.generate(InetAddress.getByName("2001:db8:1:2::5"), AA, 1313, 10))
                .isEqualTo(AllowedFastSet.generate(InetAddress.getByName("2001:db8:1:ffff::9"), AA, 1313, 10))
                .hasSize(10);
    }
}
