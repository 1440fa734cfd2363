package org.hypertube.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.Principal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.hypertube.AppTestBase;
import org.hypertube.MemberHttp;
import org.hypertube.account.AccountService;
import org.hypertube.account.MemberPrincipal;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.OAuth2RefreshToken;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;

/**
 * A member's password change revokes every authorization (refresh token) saved for them, on the real
 * store (PostgreSQL): those saved before it, and one saved while it ran, whose row the revoking delete
 * could not see (simulated deterministically: saved after the change, for the member as read before it).
 */
class MemberAuthorizationsTest extends AppTestBase {

    @Autowired
    OAuth2AuthorizationService authorizations;
    @Autowired
    RegisteredClientRepository clients;
    @Autowired
    AccountService accounts;
    @Autowired
    JdbcTemplate jdbc;
    @Value("${local.server.port}")
    int port;

    @Test
    void aPasswordChangeRevokesEveryAuthorizationSavedForTheMemberIncludingOneSavedWhileItRan() throws Exception {
        String username = "auth" + Long.toHexString(System.nanoTime());
        MemberHttp.signUp(port, username, "copper-meadow-2291");
        long id = jdbc.queryForObject("select id from members where username = ?", Long.class, username);
        MemberPrincipal before = accounts.principal(id).orElseThrow();

        String earlier = refreshTokenFor(before);
        assertThat(authorizations.findByToken(earlier, OAuth2TokenType.REFRESH_TOKEN)).isNotNull();
        assertThat(jdbc.queryForObject("select count(*) from oauth2_authorization where principal_name = ? and member_id is null",
                Integer.class, username)).as("rows of the member's authorizations without member_id").isZero();

        accounts.patch(id, null, null, "amber-kettle-7731", "copper-meadow-2291");
        // The save that raced the change: its member (and so its credentials) were read before the change.
        String raced = refreshTokenFor(before);

        assertThat(authorizations.findByToken(earlier, OAuth2TokenType.REFRESH_TOKEN)).isNull();
        assertThat(authorizations.findByToken(raced, OAuth2TokenType.REFRESH_TOKEN)).as("authorization saved during the change").isNull();
        // One issued after the change, for the member as they are now, is valid.
        String after = refreshTokenFor(accounts.principal(id).orElseThrow());
        var current = authorizations.findByToken(after, OAuth2TokenType.REFRESH_TOKEN);
        assertThat(current).isNotNull();
        assertThat(((UsernamePasswordAuthenticationToken) current.getAttribute(Principal.class.getName())).getPrincipal())
                .isInstanceOf(MemberPrincipal.class);
    }

    private String refreshTokenFor(MemberPrincipal member) {
        String token = "refresh-" + UUID.randomUUID();
        Instant now = Instant.now();
        authorizations.save(OAuth2Authorization.withRegisteredClient(clients.findByClientId(OPERATOR_CLIENT))
                .id(UUID.randomUUID().toString())
                .principalName(member.username())
                .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
                .attribute(Principal.class.getName(),
                        UsernamePasswordAuthenticationToken.authenticated(member, null, member.getAuthorities()))
                .refreshToken(new OAuth2RefreshToken(token, now, now.plus(1, ChronoUnit.HOURS)))
                .build());
        return token;
    }
}
