package org.hypertube.api;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
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
 * The RSA key that signs access tokens. Where it is kept depends on HYPERTUBE_SIGNING_KEY_SECRET:
 * <ul>
 * <li>set (required in cluster mode): in the database (table oauth2_signing_key, one row), encrypted under
 * that secret ({@link SecretBox}), so every instance signs and checks with the same key while the database,
 * its files and its backups hold no usable private key. The first instance to start inserts it; one that
 * loses that race (the row's primary key refuses a second) reads the winner's. A secret that does not open
 * the stored key stops the start with a message saying so.
 * <li>unset (one instance): in the data folder ({@code oauth/signing-key.jwk}), a file only the server's
 * user may read (0600), as before; the database holds no key.
 * </ul>
 * A key found where the other setting keeps it moves over, so tokens it signed stay valid: the file into the
 * database once a secret is set (the file is then deleted), a plain row (an earlier build) encrypted in place
 * or, without a secret, back into the file.
 */
final class SigningKey {

    private static final Logger log = LoggerFactory.getLogger(SigningKey.class);
    private static final String CONTEXT = "oauth2_signing_key:1";
    static final String SECRET_SETTING = "HYPERTUBE_SIGNING_KEY_SECRET";

    private SigningKey() {
    }

    /** The key; {@code secret} empty or blank means none is set. */
    static RSAKey load(JdbcOperations jdbc, Path file, String secret) {
        if (secret == null || secret.isBlank()) {
            return inFile(jdbc, file);
        }
        if (secret.length() < SecretBox.MIN_SECRET_LENGTH) {
            throw new IllegalStateException(SECRET_SETTING + " must have at least " + SecretBox.MIN_SECRET_LENGTH
                    + " characters (e.g. the output of: openssl rand -base64 32)");
        }
        return inDatabase(jdbc, file, new SecretBox(secret));
    }

    private static RSAKey inDatabase(JdbcOperations jdbc, Path file, SecretBox box) {
        Optional<String> stored = read(jdbc);
        if (stored.isEmpty()) {
            RSAKey key = Files.exists(file) ? parse(readFile(file), file.toString()) : generate();
            try {
                jdbc.update("insert into oauth2_signing_key (id, jwk, created_at) values (1, ?, ?)", box.seal(key.toJSONString(), CONTEXT),
                        Timestamp.from(Instant.now()));
                log.info("token signing key {} stored encrypted in the database{}", key.getKeyID(),
                        Files.exists(file) ? " from " + file : " (new)");
            } catch (DuplicateKeyException anotherInstanceWasFirst) {
                log.info("token signing key: another instance stored one first; using it");
            }
            stored = read(jdbc);
        }
        String row = stored.orElseThrow(() -> new IllegalStateException("no token signing key in oauth2_signing_key"));
        RSAKey key;
        if (SecretBox.sealed(row)) {
            try {
                key = parse(box.open(row, CONTEXT), "the database (oauth2_signing_key)");
            } catch (SecretBox.WrongSecret e) {
                throw new IllegalStateException(SECRET_SETTING + " does not open the token signing key stored in the database "
                        + "(oauth2_signing_key): it is not the secret the key was stored with. Set the same secret on every "
                        + "instance; with a lost secret, delete that row to make a new key (every issued token then ends).");
            }
        } else {
            key = parse(row, "the database (oauth2_signing_key)");
            jdbc.update("update oauth2_signing_key set jwk = ? where id = 1 and jwk = ?", box.seal(row, CONTEXT), row);
            log.info("token signing key {} in the database encrypted under {}", key.getKeyID(), SECRET_SETTING);
        }
        forgetFile(file, key);
        return key;
    }

    private static RSAKey inFile(JdbcOperations jdbc, Path file) {
        Optional<String> stored = read(jdbc);
        if (stored.isPresent()) {
            if (SecretBox.sealed(stored.get())) {
                throw new IllegalStateException("the token signing key in the database (oauth2_signing_key) is encrypted: set "
                        + SECRET_SETTING + " to the secret it was stored with");
            }
            RSAKey key = parse(stored.get(), "the database (oauth2_signing_key)");
            if (!Files.exists(file)) {
                writeFile(file, key);
            }
            jdbc.update("delete from oauth2_signing_key where id = 1");
            log.info("token signing key {} moved from the database to {} (no {} set)", key.getKeyID(), file, SECRET_SETTING);
        }
        if (Files.exists(file)) {
            return parse(readFile(file), file.toString());
        }
        RSAKey key = generate();
        writeFile(file, key);
        log.info("token signing key {} made in {}", key.getKeyID(), file);
        return key;
    }

    private static Optional<String> read(JdbcOperations jdbc) {
        List<String> rows = jdbc.queryForList("select jwk from oauth2_signing_key where id = 1", String.class);
        return rows.stream().findFirst();
    }

    /** The file's key is in the database now: no second, unencrypted copy of a private key is kept. */
    private static void forgetFile(Path file, RSAKey stored) {
        if (Files.exists(file) && stored.getKeyID().equals(parse(readFile(file), file.toString()).getKeyID())) {
            try {
                Files.delete(file);
                log.info("deleted {}: the token signing key is in the database now", file);
            } catch (IOException e) {
                log.warn("could not delete {} (its key is in the database now): {}", file, e.toString());
            }
        }
    }

    /** Written to a 0600 temporary file first, then moved into place, so the key is never readable by others. */
    private static void writeFile(Path file, RSAKey key) {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = Files.createTempFile(file.getParent(), "key", ".tmp");
            try {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException notPosix) {
                // other file systems keep their default permissions
            }
            Files.writeString(tmp, key.toJSONString());
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the token signing key in " + file, e);
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
