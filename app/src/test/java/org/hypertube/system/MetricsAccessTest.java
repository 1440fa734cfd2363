package org.hypertube.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;

/** Who may read the metrics, decided without a server. */
class MetricsAccessTest {

    static final String TOKEN = "0123456789abcdef01234567";
    static final Authentication ANONYMOUS = new AnonymousAuthenticationToken("k", "anonymous",
            AuthorityUtils.createAuthorityList("ROLE_ANONYMOUS"));

    @Test
    void aShortTokenIsRefusedAtStartUp() {
        assertThatThrownBy(() -> new MetricsAccess("too-short-to-be-a-secret".substring(1)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("HYPERTUBE_METRICS_TOKEN");
    }

    @Test
    void theTokenOrAnAdministratorOpensTheMetrics() {
        MetricsAccess access = new MetricsAccess(TOKEN);
        assertThat(allowed(access, ANONYMOUS, "Bearer " + TOKEN)).isTrue();
        assertThat(allowed(access, ANONYMOUS, "bearer " + TOKEN)).isTrue();
        assertThat(allowed(access, ANONYMOUS, "Bearer " + TOKEN.substring(1))).isFalse();
        assertThat(allowed(access, ANONYMOUS, TOKEN)).isFalse();
        assertThat(allowed(access, ANONYMOUS, null)).isFalse();
        assertThat(allowed(access, member("ROLE_USER"), null)).isFalse();
        assertThat(allowed(access, member("ROLE_USER", "ROLE_ADMIN"), null)).isTrue();
    }

    @Test
    void withoutATokenOnlyAdministrators() {
        MetricsAccess access = new MetricsAccess("");
        assertThat(allowed(access, ANONYMOUS, "Bearer ")).isFalse();
        assertThat(allowed(access, ANONYMOUS, "Bearer null")).isFalse();
        assertThat(allowed(access, member("ROLE_USER", "ROLE_ADMIN"), null)).isTrue();
    }

    private static Authentication member(String... roles) {
        return UsernamePasswordAuthenticationToken.authenticated("m", null, AuthorityUtils.createAuthorityList(List.of(roles)));
    }

    private static boolean allowed(MetricsAccess access, Authentication who, String authorization) {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", MetricsAccess.PATH);
        if (authorization != null) {
            request.addHeader("Authorization", authorization);
        }
        return access.authorize(() -> who, new RequestAuthorizationContext(request)).isGranted();
    }
}
