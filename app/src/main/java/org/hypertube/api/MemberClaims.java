package org.hypertube.api;

import org.hypertube.account.AccountService;
import org.hypertube.account.MemberPrincipal;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;
import org.springframework.stereotype.Component;

/**
 * Access tokens say which member they act for ({@code uid}), whether that member is an administrator, and
 * the member's credentials version ({@code cv}: a token is refused once the password or role changed):
 * the member who consented (authorization code), or, for client credentials, the member who made the client
 * under Settings (it is their key). The operator's client belongs to nobody: its tokens carry no member.
 */
@Component
class MemberClaims implements OAuth2TokenCustomizer<JwtEncodingContext> {

    private final ApiClients clients;
    private final AccountService accounts;

    MemberClaims(ApiClients clients, AccountService accounts) {
        this.clients = clients;
        this.accounts = accounts;
    }

    @Override
    public void customize(JwtEncodingContext context) {
        if (!OAuth2TokenType.ACCESS_TOKEN.equals(context.getTokenType())) {
            return;
        }
        if (context.getPrincipal().getPrincipal() instanceof MemberPrincipal member) {
            context.getClaims().claim("uid", member.id()).claim("admin", member.admin())
                    .claim("cv", member.credentialsVersion());
        } else if (AuthorizationGrantType.CLIENT_CREDENTIALS.equals(context.getAuthorizationGrantType())) {
            clients.owner(context.getRegisteredClient().getId()).flatMap(accounts::view).ifPresent(owner ->
                    accounts.credentialsVersion(owner.id()).ifPresent(version -> context.getClaims()
                            .claim("uid", owner.id()).claim("admin", owner.admin()).claim("cv", version)));
        }
    }
}
