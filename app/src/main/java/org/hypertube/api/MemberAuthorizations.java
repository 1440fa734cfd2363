package org.hypertube.api;

import java.security.Principal;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.hypertube.account.CredentialsChanged;
import org.hypertube.account.MemberPrincipal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.server.authorization.InMemoryOAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;

/**
 * The issued authorizations (codes, refresh tokens), kept in memory as before, and indexed by the
 * member they act for, so that a member's password or role change revokes all of them at once.
 */
class MemberAuthorizations implements OAuth2AuthorizationService {

    private static final Logger log = LoggerFactory.getLogger(MemberAuthorizations.class);

    private final InMemoryOAuth2AuthorizationService store = new InMemoryOAuth2AuthorizationService();
    private final Map<Long, Set<String>> byMember = new ConcurrentHashMap<>();

    @Override
    public void save(OAuth2Authorization authorization) {
        store.save(authorization);
        memberOf(authorization).ifPresent(id -> byMember.computeIfAbsent(id, k -> ConcurrentHashMap.newKeySet())
                .add(authorization.getId()));
    }

    @Override
    public void remove(OAuth2Authorization authorization) {
        store.remove(authorization);
        memberOf(authorization).ifPresent(id -> byMember.computeIfPresent(id, (k, ids) -> {
            ids.remove(authorization.getId());
            return ids.isEmpty() ? null : ids;
        }));
    }

    @Override
    public OAuth2Authorization findById(String id) {
        return store.findById(id);
    }

    @Override
    public OAuth2Authorization findByToken(String token, OAuth2TokenType tokenType) {
        return store.findByToken(token, tokenType);
    }

    @EventListener
    void revoke(CredentialsChanged changed) {
        Set<String> ids = byMember.remove(changed.memberId());
        int revoked = 0;
        for (String id : ids == null ? Set.<String>of() : ids) {
            OAuth2Authorization authorization = store.findById(id);
            if (authorization != null) {
                store.remove(authorization);
                revoked++;
            }
        }
        log.info("revoked {} OAuth2 authorization(s) of member {}: their password or role changed", revoked, changed.memberId());
    }

    private static Optional<Long> memberOf(OAuth2Authorization authorization) {
        return authorization.getAttribute(Principal.class.getName()) instanceof Authentication a
                && a.getPrincipal() instanceof MemberPrincipal m ? Optional.of(m.id()) : Optional.empty();
    }
}
