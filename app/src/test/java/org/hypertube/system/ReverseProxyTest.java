package org.hypertube.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ReverseProxyTest {

    @Test
    void addressesAndRangesBecomeTheValvesCidrList() {
        assertThat(ReverseProxy.cidrs("")).isEmpty();
        assertThat(ReverseProxy.cidrs(null)).isEmpty();
        assertThat(ReverseProxy.cidrs(" 10.0.0.5, 192.168.1.0/24  ::1 ")).isEqualTo("10.0.0.5/32,192.168.1.0/24,::1/128");
        assertThat(ReverseProxy.cidrs("fd00::/8")).isEqualTo("fd00::/8");
    }

    @Test
    void hostNamesAndNonsenseStopTheStart() {
        assertThatThrownBy(() -> ReverseProxy.cidrs("proxy.example.org")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ReverseProxy.cidrs("cafe.be")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ReverseProxy.cidrs("10.0.0.0/40")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ReverseProxy.cidrs(".*")).isInstanceOf(IllegalArgumentException.class);
    }
}
