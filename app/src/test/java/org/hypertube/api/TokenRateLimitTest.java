package org.hypertube.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

class TokenRateLimitTest {

    final TokenRateLimit limit = new TokenRateLimit(new ApiProperties(null, null, List.of(), null, 3));

    MockHttpServletResponse ask(String address, String path) throws Exception {
        var request = new MockHttpServletRequest("POST", path);
        request.setRemoteAddr(address);
        var response = new MockHttpServletResponse();
        limit.doFilter(request, response, new MockFilterChain());
        return response;
    }

    @Test
    void anAddressOverItsTokenRequestsPerMinuteIsToldToRetryLater() throws Exception {
        for (int i = 0; i < 3; i++) {
            assertThat(ask("203.0.113.7", "/oauth/token").getStatus()).isEqualTo(200);
        }
        var refused = ask("203.0.113.7", "/oauth/token");
        assertThat(refused.getStatus()).isEqualTo(429);
        assertThat(refused.getHeader("Retry-After")).isEqualTo("60");
        // Written as UTF-8 text, and said so (a servlet writer would otherwise be ISO-8859-1).
        assertThat(refused.getContentType()).isEqualTo("application/problem+json;charset=UTF-8");
        assertThat(ask("203.0.113.8", "/oauth/token").getStatus()).isEqualTo(200);
        assertThat(ask("203.0.113.7", "/api/movies").getStatus()).isEqualTo(200); // only the token endpoint is limited
    }
}
