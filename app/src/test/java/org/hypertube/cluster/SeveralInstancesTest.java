package org.hypertube.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Two instances behind nginx on one database and one shared folder (README, "Several instances"). */
class SeveralInstancesTest {

    @RegisterExtension
    static final ClusterFixture CLUSTER = ClusterFixture.builder().instances(2).build();

    final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @Test
    void nginxSpreadsRequestsOverBothInstances() throws Exception {
        for (int i = 0; i < 4; i++) {
            var page = http.send(HttpRequest.newBuilder(URI.create(CLUSTER.nginx("/login"))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(page.statusCode()).isEqualTo(200);
        }
        assertThat(CLUSTER.proxied()).filteredOn(line -> line.startsWith("GET /login "))
                .anySatisfy(line -> assertThat(line).endsWith(" 127.0.0.1:" + CLUSTER.port(0)))
                .anySatisfy(line -> assertThat(line).endsWith(" 127.0.0.1:" + CLUSTER.port(1)));
    }
}
