package org.hypertube.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * The token signing key: encrypted in the database under HYPERTUBE_SIGNING_KEY_SECRET, or without it in a
 * 0600 file of the data folder (our migrations on an H2 database, as the single-JAR default).
 */
class SigningKeyTest {

    private static final String SECRET = "a-long-cluster-secret-" + UUID.randomUUID();

    @TempDir
    Path data;

    private static JdbcTemplate migratedDatabase() {
        var source = new DriverManagerDataSource("jdbc:h2:mem:key" + System.nanoTime()
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1", "sa", "");
        Flyway.configure().dataSource(source).locations("classpath:db/migration").load().migrate();
        return new JdbcTemplate(source);
    }

    @Test
    void aKeyLeftInTheDataFolderBecomesTheStoredKeySoTokensItSignedStayValid() throws Exception {
        JdbcTemplate jdbc = migratedDatabase();
        RSAKey old = new RSAKeyGenerator(2048).keyID("old-key").generate();
        Path file = Files.createDirectories(data.resolve("oauth")).resolve("signing-key.jwk");
        Files.writeString(file, old.toJSONString());

        RSAKey loaded = SigningKey.load(jdbc, file, SECRET);

        assertThat(loaded.getKeyID()).isEqualTo("old-key");
        assertThat(loaded.toRSAPrivateKey()).isEqualTo(old.toRSAPrivateKey());
        assertThat(file).doesNotExist(); // no second copy of the private key
        // The next start (or another instance) reads the same key.
        assertThat(SigningKey.load(jdbc, file, SECRET).getKeyID()).isEqualTo("old-key");
    }

    @Test
    void instancesStartingTogetherAllSignWithTheOneKeyThatWasStored() throws Exception {
        JdbcTemplate jdbc = migratedDatabase();
        Path noFile = data.resolve("oauth").resolve("signing-key.jwk");
        try (var pool = Executors.newFixedThreadPool(4)) {
            List<Callable<RSAKey>> starts = IntStream.range(0, 4).<Callable<RSAKey>>mapToObj(i -> () -> SigningKey.load(jdbc, noFile, SECRET)).toList();
            var keys = pool.invokeAll(starts).stream().map(f -> {
                try {
                    return f.get().getKeyID();
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            }).distinct().toList();
            assertThat(keys).hasSize(1);
            assertThat(jdbc.queryForObject("select count(*) from oauth2_signing_key", Integer.class)).isEqualTo(1);
            assertThat(SigningKey.load(jdbc, noFile, SECRET).getKeyID()).isEqualTo(keys.getFirst());
        }
    }

    @Test
    void withTheSecretTheRowIsNotThePlainKeyAndAnotherSecretStopsTheStart() throws Exception {
        JdbcTemplate jdbc = migratedDatabase();
        Path noFile = data.resolve("oauth").resolve("signing-key.jwk");

        RSAKey key = SigningKey.load(jdbc, noFile, SECRET);

        String row = jdbc.queryForObject("select jwk from oauth2_signing_key", String.class);
        assertThat(row).doesNotContain(key.getKeyID()).doesNotContain(key.getPrivateExponent().toString())
                .doesNotContain(key.getModulus().toString()).startsWith("aes-gcm:v1:");
        assertThat(noFile).doesNotExist();
        assertThat(SigningKey.load(jdbc, noFile, SECRET).toRSAPrivateKey()).isEqualTo(key.toRSAPrivateKey());

        assertThatThrownBy(() -> SigningKey.load(jdbc, noFile, "another-secret-of-enough-length"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("HYPERTUBE_SIGNING_KEY_SECRET does not open the token signing key stored in the database");
        assertThatThrownBy(() -> SigningKey.load(jdbc, noFile, ""))
                .hasMessageContaining("is encrypted: set HYPERTUBE_SIGNING_KEY_SECRET");
        assertThatThrownBy(() -> SigningKey.load(jdbc, noFile, "short"))
                .hasMessageContaining("at least 16 characters");
    }

    @Test
    void withoutTheSecretTheKeyIsAFileOnlyTheServerMayReadAndTheDatabaseHoldsNone() throws Exception {
        JdbcTemplate jdbc = migratedDatabase();
        Path file = data.resolve("oauth").resolve("signing-key.jwk");

        RSAKey key = SigningKey.load(jdbc, file, "");

        assertThat(jdbc.queryForObject("select count(*) from oauth2_signing_key", Integer.class)).isZero();
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
        assertThat(SigningKey.load(jdbc, file, null).getKeyID()).isEqualTo(key.getKeyID());
    }

    @Test
    void aPlainKeyLeftInTheDatabaseIsEncryptedWithTheSecretOrMovedToTheFileWithout() throws Exception {
        RSAKey old = new RSAKeyGenerator(2048).keyID("plain-row").generate();
        JdbcTemplate withSecret = migratedDatabase();
        withSecret.update("insert into oauth2_signing_key (id, jwk, created_at) values (1, ?, current_timestamp)", old.toJSONString());
        Path file = data.resolve("oauth").resolve("signing-key.jwk");

        assertThat(SigningKey.load(withSecret, file, SECRET).getKeyID()).isEqualTo("plain-row");
        assertThat(withSecret.queryForObject("select jwk from oauth2_signing_key", String.class)).startsWith("aes-gcm:v1:");

        JdbcTemplate without = migratedDatabase();
        without.update("insert into oauth2_signing_key (id, jwk, created_at) values (1, ?, current_timestamp)", old.toJSONString());
        assertThat(SigningKey.load(without, file, "").getKeyID()).isEqualTo("plain-row");
        assertThat(without.queryForObject("select count(*) from oauth2_signing_key", Integer.class)).isZero();
        assertThat(RSAKey.parse(Files.readString(file)).getKeyID()).isEqualTo("plain-row");
    }
}
