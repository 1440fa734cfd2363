package org.hypertube.api;

import java.security.Principal;
import java.util.List;
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
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationCode;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.transaction.support.TransactionOperations;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.jsontype.BasicPolymorphicTypeValidator;

/**
 * The issued authorizations (codes, access and refresh tokens) in the database (Spring Authorization
 * Server's JDBC store, table oauth2_authorization), so they outlive a restart and every instance knows
 * every token; each row also says which member it acts for (member_id), so that a member's password or
 * role change revokes all of theirs at once, on whichever instance it happens.
 *
 * <p>The member who consented is stored as a plain stand-in ({@code member:<id>:<credentials version>} and
 * their roles), which the store's JSON knows, and read back as the member as they are now
 * ({@link AccountService#principal}): an authorization of a member who no longer exists, or whose password
 * or role changed since it was issued (its credentials version is older), is no authorization. That check
 * also covers an authorization saved while the member's change was revoking theirs (the revoking delete
 * cannot see a row that is not committed yet). The row and its member_id are written in one transaction,
 * so no member's authorization is ever stored without its member_id.
 *
 * <p>Tokens are found by the SHA-256 of their value in indexed columns (V8_2) written in the same
 * transaction, not by the store's scan of unindexed value columns; kinds this server does not issue (OIDC
 * ID tokens, device codes) are left to the store.
 */
class MemberAuthorizations implements OAuth2AuthorizationService {

    private static final Logger log = LoggerFactory.getLogger(MemberAuthorizations.class);
    private static final String PRINCIPAL = Principal.class.getName();
    private static final String STAND_IN = "member:";

    private final JdbcOAuth2AuthorizationService store;
    private final JdbcOperations jdbc;
    private final AccountService accounts;
    private final TransactionOperations transaction;

    MemberAuthorizations(JdbcOperations jdbc, RegisteredClientRepository clients, AccountService accounts,
            TransactionOperations transaction) {
        this.store = new JdbcOAuth2AuthorizationService(jdbc, clients);
        // Our access tokens' claims include the member's id, a Long, which the store's JSON must be allowed to read back.
        JsonMapper json = JsonMapper.builder().addModules(SecurityJacksonModules.getModules(getClass().getClassLoader(),
                BasicPolymorphicTypeValidator.builder().allowIfSubType(Long.class))).build();
        store.setAuthorizationRowMapper(new JdbcOAuth2AuthorizationService.JsonMapperOAuth2AuthorizationRowMapper(clients, json));
        store.setAuthorizationParametersMapper(new JdbcOAuth2AuthorizationService.JsonMapperOAuth2AuthorizationParametersMapper(json));
        this.jdbc = jdbc;
        this.accounts = accounts;
        this.transaction = transaction;
    }

    @Override
    public void save(OAuth2Authorization authorization) {
        Optional<MemberPrincipal> member = memberOf(authorization);
        OAuth2Authorization stored = member.map(m -> OAuth2Authorization.from(authorization).attribute(PRINCIPAL,
                UsernamePasswordAuthenticationToken.authenticated(STAND_IN + m.id() + ":" + m.credentialsVersion(), null,
                        m.getAuthorities())).build()).orElse(authorization);
        transaction.executeWithoutResult(status -> {
            store.save(stored);
            jdbc.update("update oauth2_authorization set member_id = ?, authorization_code_sha256 = ?, access_token_sha256 = ?, "
                            + "refresh_token_sha256 = ? where id = ?", member.map(MemberPrincipal::id).orElse(null),
                    TokenDigest.of(authorization.getToken(OAuth2AuthorizationCode.class)),
                    TokenDigest.of(authorization.getAccessToken()), TokenDigest.of(authorization.getRefreshToken()),
                    authorization.getId());
        });
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
        if (tokenType != null && !TokenDigest.COLUMNS.containsKey(tokenType.getValue())) {
            return withMember(store.findByToken(token, tokenType)); // state (indexed itself), and kinds we do not issue
        }
        String digest = TokenDigest.of(token);
        List<String> ids = tokenType == null
                ? jdbc.queryForList("select id from oauth2_authorization where state = ? or authorization_code_sha256 = ? "
                        + "or access_token_sha256 = ? or refresh_token_sha256 = ?", String.class, token, digest, digest, digest)
                : jdbc.queryForList("select id from oauth2_authorization where " + TokenDigest.COLUMNS.get(tokenType.getValue())
                        + " = ?", String.class, digest);
        return ids.isEmpty() ? null : findById(ids.getFirst());
    }

    @EventListener
    void revoke(CredentialsChanged changed) {
        int revoked = jdbc.update("delete from oauth2_authorization where member_id = ?", changed.memberId());
        log.info("revoked {} OAuth2 authorization(s) of member {}: their password or role changed", revoked, changed.memberId());
    }

    /**
     * The stored authorization with its stand-in replaced by the member; null when that member is gone or
     * their credentials changed after it was issued.
     */
    private OAuth2Authorization withMember(OAuth2Authorization stored) {
        if (stored == null || !(stored.getAttribute(PRINCIPAL) instanceof Authentication a)
                || !(a.getPrincipal() instanceof String name) || !name.startsWith(STAND_IN)) {
            return stored;
        }
        String[] idAndVersion = name.substring(STAND_IN.length()).split(":", -1);
        long id;
        int version;
        try {
            id = Long.parseLong(idAndVersion[0]);
            version = idAndVersion.length == 2 ? Integer.parseInt(idAndVersion[1]) : -1;
        } catch (NumberFormatException e) {
            return null;
        }
        return accounts.principal(id)
                .filter(member -> member.credentialsVersion() == version)
                .map(member -> OAuth2Authorization.from(stored).attribute(PRINCIPAL,
                        UsernamePasswordAuthenticationToken.authenticated(member, null, member.getAuthorities())).build())
                .orElse(null);
    }

    private static Optional<MemberPrincipal> memberOf(OAuth2Authorization authorization) {
        return authorization.getAttribute(PRINCIPAL) instanceof Authentication a
                && a.getPrincipal() instanceof MemberPrincipal m ? Optional.of(m) : Optional.empty();
    }
}
