package org.hypertube.api;

import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.hypertube.account.AddressClaimed;
import org.hypertube.account.EmailVerification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;
import org.springframework.security.oauth2.server.authorization.settings.TokenSettings;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * API clients: members create and delete their own (the secret is shown once and kept only hashed);
 * the operator may define one by environment variables, written at start-up.
 */
@Service
class ApiClients {

    static final int MAX_PER_MEMBER = 10;
    private static final Logger log = LoggerFactory.getLogger(ApiClients.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * A client just made; {@code secret} exists only in this answer (a flash attribute: in cluster mode it
     * passes through the session table until the page showing it is served, so it is Serializable).
     */
    record Created(String clientId, String secret, String name) implements java.io.Serializable {
        @Override
        public String toString() {
            return "Created[" + clientId + "]";
        }
    }

    record Listed(String id, String clientId, String name, List<String> redirectUris, Instant createdAt) {
    }

    /** The request cannot be done as asked; {@code code} is a message key. */
    static final class Refused extends RuntimeException {
        final String code;

        Refused(String code) {
            super(code);
            this.code = code;
        }
    }

    private final RegisteredClientRepository clients;
    private final JdbcTemplate jdbc;
    private final PasswordEncoder encoder;
    private final ApiProperties properties;
    private final Clock clock;
    private final EmailVerification verification;

    ApiClients(RegisteredClientRepository clients, JdbcTemplate jdbc, PasswordEncoder encoder, ApiProperties properties,
               Clock clock, EmailVerification verification) {
        this.verification = verification;
        this.clients = clients;
        this.jdbc = jdbc;
        this.encoder = encoder;
        this.properties = properties;
        this.clock = clock;
    }

    /**
     * A client acts for its member with read and write, so only a member whose address is confirmed may make one:
     * otherwise whoever signed up first with someone else's address would keep a key to that person's account.
     */
    @Transactional
    Created create(long memberId, String name, String redirectUris) {
        if (verification.pending(memberId)) {
            throw new Refused("apiClients.unverified");
        }
        String cleanName = name == null ? "" : name.strip();
        if (cleanName.isEmpty() || cleanName.length() > 100) {
            throw new Refused("apiClients.badName");
        }
        List<String> uris = redirects(redirectUris);
        Integer count = jdbc.queryForObject("select count(*) from api_clients where member_id = ?", Integer.class, memberId);
        if (count != null && count >= MAX_PER_MEMBER) {
            throw new Refused("apiClients.tooMany");
        }
        String clientId = "ht-" + HexFormat.of().formatHex(random(8));
        String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(random(32));
        RegisteredClient client = client(UUID.randomUUID().toString(), clientId, secret, cleanName, uris);
        clients.save(client);
        jdbc.update("insert into api_clients (registered_client_id, member_id, created_at) values (?, ?, ?)",
                client.getId(), memberId, java.sql.Timestamp.from(clock.instant()));
        log.info("member {} created API client {}", memberId, clientId);
        return new Created(clientId, secret, cleanName);
    }

    @Transactional(readOnly = true)
    List<Listed> of(long memberId) {
        List<String> ids = jdbc.queryForList(
                "select registered_client_id from api_clients where member_id = ? order by created_at", String.class, memberId);
        List<Listed> listed = new ArrayList<>();
        for (String id : ids) {
            RegisteredClient c = clients.findById(id);
            if (c != null) {
                listed.add(new Listed(id, c.getClientId(), c.getClientName(), List.copyOf(c.getRedirectUris()),
                        c.getClientIdIssuedAt()));
            }
        }
        return listed;
    }

    /** The member who made this client (by its registered id); empty for the operator's client from the environment. */
    @Transactional(readOnly = true)
    java.util.Optional<Long> owner(String registeredClientId) {
        return jdbc.queryForList("select member_id from api_clients where registered_client_id = ?", Long.class,
                registeredClientId).stream().findFirst();
    }

    /** Deletes the member's own client; false when it is not theirs (or does not exist). */
    @Transactional
    boolean delete(long memberId, String id) {
        int owned = jdbc.update("delete from api_clients where registered_client_id = ? and member_id = ?", id, memberId);
        if (owned == 0) {
            return false;
        }
        jdbc.update("delete from oauth2_registered_client where id = ?", id);
        log.info("member {} deleted API client {}", memberId, id);
        return true;
    }

    /** The member's address was claimed by its owner: the clients made before go, and with them new tokens for them. */
    @EventListener
    void removeAll(AddressClaimed claimed) {
        jdbc.update("delete from oauth2_registered_client where id in (select registered_client_id from api_clients where member_id = ?)",
                claimed.memberId());
    }

    @EventListener(ApplicationReadyEvent.class)
    @Transactional
    void writeOperatorClient() {
        if (!properties.hasOperatorClient()) {
            return;
        }
        RegisteredClient existing = clients.findByClientId(properties.operatorClientId());
        String id = existing == null ? UUID.randomUUID().toString() : existing.getId();
        clients.save(client(id, properties.operatorClientId(), properties.operatorClientSecret(), "Operator",
                properties.operatorRedirectUris()));
        log.info("API client {} from the environment is ready", properties.operatorClientId());
    }

    private RegisteredClient client(String id, String clientId, String secret, String name, List<String> redirectUris) {
        var builder = RegisteredClient.withId(id)
                .clientId(clientId)
                .clientIdIssuedAt(clock.instant())
                .clientSecret(encoder.encode(secret))
                .clientName(name)
                .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
                .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_POST)
                .authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
                .authorizationGrantType(AuthorizationGrantType.REFRESH_TOKEN)
                .scope(ApiSecurity.READ)
                .scope(ApiSecurity.WRITE)
                .clientSettings(ClientSettings.builder().requireProofKey(true).requireAuthorizationConsent(true).build())
                .tokenSettings(TokenSettings.builder().accessTokenTimeToLive(properties.accessTokenTtl())
                        .reuseRefreshTokens(false).build());
        if (!redirectUris.isEmpty()) {
            builder.authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE);
            redirectUris.forEach(builder::redirectUri);
        }
        return builder.build();
    }

    /** Redirect URIs, one per line: absolute, http(s), no fragment; plain http only for loopback. */
    static List<String> redirects(String text) {
        List<String> uris = new ArrayList<>();
        if (text == null) {
            return uris;
        }
        for (String line : text.split("\\R")) {
            String candidate = line.strip();
            if (candidate.isEmpty()) {
                continue;
            }
            try {
                URI uri = URI.create(candidate);
                boolean loopback = "localhost".equals(uri.getHost()) || "127.0.0.1".equals(uri.getHost());
                boolean schemeOk = "https".equals(uri.getScheme()) || "http".equals(uri.getScheme()) && loopback;
                if (!schemeOk || uri.getHost() == null || uri.getFragment() != null || candidate.length() > 500) {
                    throw new Refused("apiClients.badRedirect");
                }
            } catch (IllegalArgumentException e) {
                throw new Refused("apiClients.badRedirect");
            }
            uris.add(candidate);
        }
        if (uris.size() > 5) {
            throw new Refused("apiClients.badRedirect");
        }
        return uris;
    }

    private static byte[] random(int n) {
        byte[] bytes = new byte[n];
        RANDOM.nextBytes(bytes);
        return bytes;
    }
}
