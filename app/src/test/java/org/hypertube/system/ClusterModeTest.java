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

        env.withProperty("hypertube.instance", "app2").withProperty("hypertube.data-dir", "/srv/hypertube");
        mode.postProcessEnvironment(env, new SpringApplication());
        assertThat(env.getProperty("hypertube.media.work-dir")).isEqualTo("/srv/hypertube/instances/app2/transcode");
    }

    @Test
    void withoutTheSettingNothingIsCheckedNorChanged() {
        var env = new MockEnvironment().withProperty("spring.datasource.url", "jdbc:h2:file:./data/db/hypertube");
        mode.postProcessEnvironment(env, new SpringApplication());
        assertThat(env.containsProperty("hypertube.media.work-dir")).isFalse();
        assertThat(env.getProperty("spring.autoconfigure.exclude")).contains("JdbcSessionAutoConfiguration");
    }
}
