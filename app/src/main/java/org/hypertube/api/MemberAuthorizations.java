package org.hypertube.api;

import java.security.Principal;
import java.util.Optional;
import org.hypertube.account.AccountService;
import org.hypertube.account.CredentialsChanged;
import org.hypertube.account.MemberPrincipal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.JdbcOperations;
import org.springframework.security.jackson.SecurityJacksonModules;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.server.authorization.JdbcOAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.jsontype.BasicPolymorphicTypeValidator;

/**
 * The issued authorizations (codes, access and refresh tokens) in the database (Spring Authorization
 * Server's JDBC store, table oauth2_authorization), so they outlive a restart and every instance knows
 * every token; each row also says which member it acts for (member_id), so that a member's password or
 * role change revokes all of theirs at once, on whichever instance it happens.
 *
 * <p>The member who consented is stored as a plain stand-in ({@code member:<id>} and their roles), which
 * the store's JSON knows, and read back as the member as they are now ({@link AccountService#principal}):
 * an authorization of a member who no longer exists is no authorization.
 */
class MemberAuthorizations implements OAuth2AuthorizationService {

    private static final Logger log = LoggerFactory.getLogger(MemberAuthorizations.class);
    private static final String PRINCIPAL = Principal.class.getName();
    private static final String STAND_IN = "member:";

    private final JdbcOAuth2AuthorizationService store;
    private final JdbcOperations jdbc;
    private final AccountService accounts;

    MemberAuthorizations(JdbcOperations jdbc, RegisteredClientRepository clients, AccountService accounts) {
        this.store = new JdbcOAuth2AuthorizationService(jdbc, clients);
        // Our access tokens' claims include the member's id, a Long, which the store's JSON must be allowed to read back.
        JsonMapper json = JsonMapper.builder().addModules(SecurityJacksonModules.getModules(getClass().getClassLoader(),
                BasicPolymorphicTypeValidator.builder().allowIfSubType(Long.class))).build();
        store.setAuthorizationRowMapper(new JdbcOAuth2AuthorizationService.JsonMapperOAuth2AuthorizationRowMapper(clients, json));
        store.setAuthorizationParametersMapper(new JdbcOAuth2AuthorizationService.JsonMapperOAuth2AuthorizationParametersMapper(json));
        this.jdbc = jdbc;
        this.accounts = accounts;
    }

    @Override
    public void save(OAuth2Authorization authorization) {
        Optional<MemberPrincipal> member = memberOf(authorization);
        if (member.isEmpty()) {
            store.save(authorization);
            return;
        }
        Authentication standIn = UsernamePasswordAuthenticationToken.authenticated(STAND_IN + member.get().id(), null,
                member.get().getAuthorities());
        store.save(OAuth2Authorization.from(authorization).attribute(PRINCIPAL, standIn).build());
        jdbc.update("update oauth2_authorization set member_id = ? where id = ?", member.get().id(), authorization.getId());
    }

    @Override
    public void remove(OAuth2Authorization authorization) {
        store.remove(authorization);
    }

    @Override
    public OAuth2Authorization findById(String id) {
        return withMember(store.findById(id));
    }

    @Override
    public OAuth2Authorization findByToken(String token, OAuth2TokenType tokenType) {
        return withMember(store.findByToken(token, tokenType));
    }

    @EventListener
    void revoke(CredentialsChanged changed) {
        int revoked = jdbc.update("delete from oauth2_authorization where member_id = ?", changed.memberId());
        log.info("revoked {} OAuth2 authorization(s) of member {}: their password or role changed", revoked, changed.memberId());
    }

    /** The stored authorization with its stand-in replaced by the member; null when that member is gone. */
    private OAuth2Authorization withMember(OAuth2Authorization stored) {
        if (stored == null || !(stored.getAttribute(PRINCIPAL) instanceof Authentication a)
                || !(a.getPrincipal() instanceof String name) || !name.startsWith(STAND_IN)) {
            return stored;
        }
        long id;
        try {
            id = Long.parseLong(name.substring(STAND_IN.length()));
        } catch (NumberFormatException e) {
            return null;
        }
        return accounts.principal(id)
                .map(member -> OAuth2Authorization.from(stored).attribute(PRINCIPAL,
                        UsernamePasswordAuthenticationToken.authenticated(member, null, member.getAuthorities())).build())
                .orElse(null);
    }

    private static Optional<MemberPrincipal> memberOf(OAuth2Authorization authorization) {
        return authorization.getAttribute(PRINCIPAL) instanceof Authentication a
                && a.getPrincipal() instanceof MemberPrincipal m ? Optional.of(m) : Optional.empty();
    }
}
