package org.hypertube.torrent;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OutsideAddressPolicyTest {

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource(delimiter = '|', textBlock = """
            127.0.0.1                | loopback
            127.255.0.9              | loopback
            0.0.0.0                  | unspecified
            10.1.2.3                 | private
            172.16.0.1               | private
            172.31.255.255           | private
            192.168.1.1              | private
            100.64.0.1               | carrier-grade NAT
            100.127.255.254          | carrier-grade NAT
            169.254.169.254          | link-local
            224.0.0.1                | multicast
            255.255.255.255          | reserved
            ::                       | unspecified
            ::1                      | loopback
            fe80::1                  | link-local
            fec0::1                  | site-local
            fc00::1                  | unique-local
            fd12:3456::1             | unique-local
            ff02::1                  | multicast
            ::ffff:7f00:1            | loopback
            ::ffff:a9fe:a9fe         | link-local
            ::ffff:192.168.0.1       | private
            ::10.0.0.1               | private (inside an IPv6 address)
            64:ff9b::a00:1           | private (inside an IPv6 address)
            2002:7f00:1::            | loopback (inside an IPv6 address)
            """)
    void localAndPrivateAddressesAreRefusedUnlessLocalTargetsAreAllowed(String address, String kind) throws Exception {
        InetAddress a = InetAddress.getByName(address);
        assertThat(OutsideAddressPolicy.localKind(a)).contains(kind);
        assertThat(OutsideAddressPolicy.outsideOnly().allows(a)).isFalse();
        assertThat(OutsideAddressPolicy.of(false).allows(a)).isFalse();
        assertThat(OutsideAddressPolicy.of(true).allows(a)).isTrue();
    }

    @ParameterizedTest
    @CsvSource(textBlock = """
            8.8.8.8
            1.1.1.1
            172.15.255.255
            172.32.0.1
            100.63.255.255
            100.128.0.1
            169.253.1.1
            192.169.0.1
            11.0.0.1
            223.255.255.255
            2001:4860:4860::8888
            2606:4700::1111
            fbff::1
            fe00::1
            """)
    void publicAddressesAreAllowed(String address) throws Exception {
        InetAddress a = InetAddress.getByName(address);
        assertThat(OutsideAddressPolicy.localKind(a)).isEmpty();
        assertThat(OutsideAddressPolicy.outsideOnly().allows(a)).isTrue();
    }

    @ParameterizedTest
    @CsvSource(textBlock = """
            192.168.1.10, true
            192.168.1.11, false
            127.0.0.1,    false
            """)
    void aTrustedAddressIsTheOnlyLocalOneAllowed(String address, boolean allowed) throws Exception {
        OutsideAddressPolicy p = OutsideAddressPolicy.outsideOnly().trusting(InetAddress.getByName("192.168.1.10"));
        assertThat(p.allows(InetAddress.getByName(address))).isEqualTo(allowed);
    }
}
