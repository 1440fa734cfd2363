package org.hypertube.api;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.text.ParseException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcOperations;

/**
 * The RSA key that signs access tokens, kept in the database (table oauth2_signing_key, one row) so every
 * instance signs and checks with the same key and a restart keeps it. The first instance to start inserts
 * it; one that loses that race (the row's primary key refuses a second) reads the winner's. A key left in the
 * data folder by an earlier version ({@code oauth/signing-key.jwk}) becomes the stored key, so tokens it
 * signed stay valid, and the file is deleted once the database holds it.
 */
final class SigningKey {

    private static final Logger log = LoggerFactory.getLogger(SigningKey.class);

    private SigningKey() {
    }

    static RSAKey load(JdbcOperations jdbc, Path oldFile) {
        Optional<RSAKey> stored = read(jdbc);
        if (stored.isEmpty()) {
            RSAKey key = Files.exists(oldFile) ? parse(readFile(oldFile), oldFile.toString()) : generate();
            try {
                jdbc.update("insert into oauth2_signing_key (id, jwk, created_at) values (1, ?, ?)", key.toJSONString(),
                        Timestamp.from(Instant.now()));
                log.info("token signing key {} stored in the database{}", key.getKeyID(),
                        Files.exists(oldFile) ? " from " + oldFile : " (new)");
            } catch (DuplicateKeyException anotherInstanceWasFirst) {
                log.info("token signing key: another instance stored one first; using it");
            }
            stored = read(jdbc);
        }
        RSAKey key = stored.orElseThrow(() -> new IllegalStateException("no token signing key in oauth2_signing_key"));
        forgetFile(oldFile, key);
        return key;
    }

    private static Optional<RSAKey> read(JdbcOperations jdbc) {
        List<String> rows = jdbc.queryForList("select jwk from oauth2_signing_key where id = 1", String.class);
        return rows.stream().findFirst().map(jwk -> parse(jwk, "the database (oauth2_signing_key)"));
    }

    /** The old file's key is in the database now: no second copy of a private key is kept. */
    private static void forgetFile(Path oldFile, RSAKey stored) {
        if (Files.exists(oldFile) && stored.getKeyID().equals(parse(readFile(oldFile), oldFile.toString()).getKeyID())) {
            try {
                Files.delete(oldFile);
                log.info("deleted {}: the token signing key is in the database now", oldFile);
            } catch (IOException e) {
                log.warn("could not delete {} (its key is in the database now): {}", oldFile, e.toString());
            }
        }
    }

    private static RSAKey generate() {
        try {
            return new RSAKeyGenerator(2048).keyID(UUID.randomUUID().toString()).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot make a token signing key", e);
        }
    }

    private static String readFile(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the token signing key in " + file, e);
        }
    }

    private static RSAKey parse(String jwk, String where) {
        try {
            RSAKey key = RSAKey.parse(jwk);
            if (!key.isPrivate()) {
                throw new IllegalStateException("the token signing key in " + where + " has no private part");
            }
            return key;
        } catch (ParseException e) {
            throw new IllegalStateException("the token signing key in " + where + " is unreadable", e);
        }
    }
}
