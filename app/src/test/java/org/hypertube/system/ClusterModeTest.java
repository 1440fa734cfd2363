package org.hypertube.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.hypertube.HypertubeApplication;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.mock.env.MockEnvironment;

/** HYPERTUBE_CLUSTER=true is refused before anything starts where several instances cannot work. */
class ClusterModeTest {

    private final ClusterMode mode = new ClusterMode();

    @Test
    void theApplicationRefusesToStartInClusterModeOnTheEmbeddedH2() {
        // The README's run command plus the cluster setting: no DATABASE_URL, so the H2 file.
        assertThatThrownBy(() -> SpringApplication.run(HypertubeApplication.class, "--server.port=0",
                "--hypertube.data-dir=./target/cluster-h2-" + System.nanoTime(), "--hypertube.cluster=true",
                "--hypertube.instance=a"))
                .isInstanceOf(ClusterMode.Refused.class)
                .hasMessageContaining("HYPERTUBE_CLUSTER=true needs a PostgreSQL DATABASE_URL")
                .hasMessageContaining("embedded H2");
    }

    @Test
    void clusterModeNeedsAnInstanceNameAndGivesEachItsOwnConversionFolder() {
        var env = new MockEnvironment().withProperty("hypertube.cluster", "true")
                .withProperty("spring.datasource.url", "jdbc:postgresql://db/hypertube");
        assertThatThrownBy(() -> mode.postProcessEnvironment(env, new SpringApplication()))
                .isInstanceOf(ClusterMode.Refused.class).hasMessageContaining("HYPERTUBE_INSTANCE");

        env.withProperty("hypertube.instance", "app/../x");
        assertThatThrownBy(() -> mode.postProcessEnvironment(env, new SpringApplication()))
                .isInstanceOf(ClusterMode.Refused.class).hasMessageContaining("letters, digits");

        env.withProperty("hypertube.instance", "app2").withProperty("hypertube.data-dir", "/srv/hypertube")
                .withProperty("hypertube.leases.listen", "0.0.0.0:8081").withProperty("hypertube.leases.secret", "s".repeat(32));
        mode.postProcessEnvironment(env.withProperty(ClusterMode.SIGNING_KEY_SECRET, "a-shared-secret-of-32-characters"),
                new SpringApplication());
        assertThat(env.getProperty("hypertube.media.work-dir")).isEqualTo("/srv/hypertube/instances/app2/transcode");
    }

    @Test
    void clusterModeNeedsTheClusterListenerAndItsSecret() {
        var env = new MockEnvironment().withProperty("hypertube.cluster", "true")
                .withProperty("spring.datasource.url", "jdbc:postgresql://db/hypertube").withProperty("hypertube.instance", "app1")
                .withProperty(ClusterMode.SIGNING_KEY_SECRET, "a-shared-secret-of-32-characters")
                .withProperty("hypertube.leases.listen", "").withProperty("hypertube.leases.secret", "");
        assertThatThrownBy(() -> mode.postProcessEnvironment(env, new SpringApplication()))
                .isInstanceOf(ClusterMode.Refused.class).hasMessageContaining("HYPERTUBE_CLUSTER_LISTEN");

        env.withProperty("hypertube.leases.listen", "0.0.0.0:8081").withProperty("hypertube.leases.secret", "short");
        assertThatThrownBy(() -> mode.postProcessEnvironment(env, new SpringApplication()))
                .isInstanceOf(ClusterMode.Refused.class).hasMessageContaining("HYPERTUBE_CLUSTER_SECRET of at least 32");

        env.withProperty("hypertube.leases.secret", "x".repeat(40));
        mode.postProcessEnvironment(env, new SpringApplication());
    }

    @Test
    void withoutTheSettingNothingIsCheckedNorChanged() {
        var env = new MockEnvironment().withProperty("spring.datasource.url", "jdbc:h2:file:./data/db/hypertube");
        mode.postProcessEnvironment(env, new SpringApplication());
        assertThat(env.containsProperty("hypertube.media.work-dir")).isFalse();
        assertThat(env.getProperty("spring.autoconfigure.exclude")).contains("JdbcSessionAutoConfiguration");
    }

    @Test
    void clusterModeNeedsTheSigningKeySecretEveryInstanceShares() {
        var env = new MockEnvironment().withProperty("hypertube.cluster", "true")
                .withProperty("spring.datasource.url", "jdbc:postgresql://db/hypertube").withProperty("hypertube.instance", "app1")
                .withProperty("hypertube.data-dir", "/srv/hypertube")
                .withProperty("hypertube.leases.listen", "0.0.0.0:8081").withProperty("hypertube.leases.secret", "s".repeat(32));
        assertThatThrownBy(() -> mode.postProcessEnvironment(env, new SpringApplication()))
                .isInstanceOf(ClusterMode.Refused.class).hasMessageContaining("needs HYPERTUBE_SIGNING_KEY_SECRET");

        env.withProperty(ClusterMode.SIGNING_KEY_SECRET, "too-short");
        assertThatThrownBy(() -> mode.postProcessEnvironment(env, new SpringApplication()))
                .isInstanceOf(ClusterMode.Refused.class).hasMessageContaining("at least 16 characters");

        env.withProperty(ClusterMode.SIGNING_KEY_SECRET, "a-shared-secret-of-32-characters");
        mode.postProcessEnvironment(env, new SpringApplication());
        assertThat(env.getProperty("hypertube.media.work-dir")).isEqualTo("/srv/hypertube/instances/app1/transcode");
    }
}
