package org.hypertube.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/** The token signing key in the database (our migrations on an H2 database, as the single-JAR default). */
class SigningKeyTest {

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

        RSAKey loaded = SigningKey.load(jdbc, file);

        assertThat(loaded.getKeyID()).isEqualTo("old-key");
        assertThat(loaded.toRSAPrivateKey()).isEqualTo(old.toRSAPrivateKey());
        assertThat(file).doesNotExist(); // no second copy of the private key
        // The next start (or another instance) reads the same key.
        assertThat(SigningKey.load(jdbc, file).getKeyID()).isEqualTo("old-key");
    }

    @Test
    void instancesStartingTogetherAllSignWithTheOneKeyThatWasStored() throws Exception {
        JdbcTemplate jdbc = migratedDatabase();
        Path noFile = data.resolve("oauth").resolve("signing-key.jwk");
        try (var pool = Executors.newFixedThreadPool(4)) {
            List<Callable<RSAKey>> starts = IntStream.range(0, 4).<Callable<RSAKey>>mapToObj(i -> () -> SigningKey.load(jdbc, noFile)).toList();
            var keys = pool.invokeAll(starts).stream().map(f -> {
                try {
                    return f.get().getKeyID();
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            }).distinct().toList();
            assertThat(keys).hasSize(1);
            assertThat(jdbc.queryForObject("select count(*) from oauth2_signing_key", Integer.class)).isEqualTo(1);
            assertThat(RSAKey.parse(jdbc.queryForObject("select jwk from oauth2_signing_key", String.class)).getKeyID())
                    .isEqualTo(keys.getFirst());
        }
    }
}
