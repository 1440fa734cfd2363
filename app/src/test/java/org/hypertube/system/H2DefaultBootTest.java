package org.hypertube.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.hypertube.HypertubeApplication;

/** The README's run command in miniature: no database configured, so H2 in the data folder. */
class H2DefaultBootTest {

    static Path dataDir;
    static ConfigurableApplicationContext app;

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void bootsOnTheEmbeddedDefaultsAndServesTheSignUpPage() throws Exception {
        // A relative folder, as the default ./data is: H2 refuses paths relative without "./".
        String relative = "./target/h2-boot-" + System.nanoTime();
        dataDir = Path.of(relative).toAbsolutePath().normalize();
        app = SpringApplication.run(HypertubeApplication.class, "--server.port=0", "--server.address=127.0.0.1",
                "--hypertube.data-dir=" + relative, "--spring.mail.host=",
                "--hypertube.playback.dht=false", // the engine starts only with a download, but never the public DHT from a test
                // An operator's https address: the session cookie is Secure and every answer carries HSTS,
                // though this request comes over plain http (as from a TLS-terminating proxy).
                "--hypertube.base-url=https://films.example.org");
        int port = Integer.parseInt(app.getEnvironment().getProperty("local.server.port"));
        var http = HttpClient.newHttpClient();

        var signUp = get(http, "http://127.0.0.1:" + port + "/register");
        assertThat(signUp.statusCode()).isEqualTo(200);
        assertThat(signUp.body()).contains("Create your account");
        assertThat(signUp.headers().firstValue("Strict-Transport-Security")).contains("max-age=31536000");
        assertThat(signUp.headers().allValues("Set-Cookie")).anySatisfy(cookie ->
                assertThat(cookie).startsWith("JSESSIONID=").containsIgnoringCase("; Secure"));
        var health = get(http, "http://127.0.0.1:" + port + "/actuator/health");
        assertThat(health.body()).contains("\"status\":\"UP\"");
        assertThat(Files.list(dataDir.resolve("db"))).anyMatch(p -> p.getFileName().toString().endsWith(".mv.db"));
        // Flyway's schema is in place: the accounts table answers.
        var jdbc = app.getBean(org.springframework.jdbc.core.JdbcTemplate.class);
        assertThat(jdbc.queryForObject("select count(*) from members", Integer.class)).isZero();
    }

    private static HttpResponse<String> get(HttpClient http, String url) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
