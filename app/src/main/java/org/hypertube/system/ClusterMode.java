package org.hypertube.system;

import java.util.List;
import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * {@code hypertube.cluster} (HYPERTUBE_CLUSTER=true): this server is one of several sharing a PostgreSQL
 * database and a media folder behind a reverse proxy (README, "Several instances"). Checked before
 * anything starts: cluster mode on H2 (a file only one process may open) or without an explicit, distinct
 * HYPERTUBE_INSTANCE is refused with a message saying what to set. Off by default: then Spring Session's
 * auto-configuration is switched off, so sessions stay the servlet container's, in memory, as before.
 *
 * <p>In cluster mode each instance converts into a folder of its own under the data folder
 * ({@code instances/<name>/transcode}) unless one is configured, since a starting instance clears leftovers
 * from its conversion folder and must not clear another's.
 */
@Order(Ordered.LOWEST_PRECEDENCE - 1) // before InstanceName, which defaults the name to the host name
public class ClusterMode implements EnvironmentPostProcessor {

    public static final String PROPERTY = "hypertube.cluster";

    /** Spring Session's auto-configurations: a single instance keeps the servlet container's sessions in memory. */
    static final List<String> SESSION_AUTO_CONFIGURATIONS = List.of(
            "org.springframework.boot.session.jdbc.autoconfigure.JdbcSessionAutoConfiguration",
            "org.springframework.boot.session.autoconfigure.SessionAutoConfiguration",
            "org.springframework.boot.session.autoconfigure.SessionsEndpointAutoConfiguration");

    /** Cluster mode is on but a setting it needs is missing or wrong; {@link ClusterModeFailureAnalyzer} explains it. */
    public static class Refused extends IllegalStateException {
        Refused(String message) {
            super(message);
        }
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (!environment.getProperty(PROPERTY, Boolean.class, false)) {
            String excluded = environment.getProperty("spring.autoconfigure.exclude", "").strip();
            String sessions = String.join(",", SESSION_AUTO_CONFIGURATIONS);
            environment.getPropertySources().addFirst(new MapPropertySource("hypertubeSingleInstance", Map.of(
                    "spring.autoconfigure.exclude", excluded.isEmpty() ? sessions : excluded + "," + sessions)));
            return;
        }
        String url = environment.getProperty("spring.datasource.url", "");
        if (!url.startsWith("jdbc:postgresql:")) {
            throw new Refused("HYPERTUBE_CLUSTER=true needs a PostgreSQL DATABASE_URL (jdbc:postgresql://...) that every "
                    + "instance shares; the database is " + (url.startsWith("jdbc:h2:") ? "the embedded H2 file" : url));
        }
        String name = environment.getProperty(InstanceName.PROPERTY, environment.getProperty("HYPERTUBE_INSTANCE", "")).strip();
        if (name.isEmpty()) {
            throw new Refused("HYPERTUBE_CLUSTER=true needs HYPERTUBE_INSTANCE, a name of this instance that no other "
                    + "instance of the cluster has (e.g. app1, app2)");
        }
        if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,62}")) {
            throw new Refused("HYPERTUBE_INSTANCE must be letters, digits, '.', '_' or '-' (at most 63), was: " + name);
        }
        if (!environment.containsProperty("hypertube.media.work-dir")) {
            environment.getPropertySources().addLast(new MapPropertySource("hypertubeClusterInstance", Map.of(
                    "hypertube.media.work-dir", "${hypertube.data-dir}/instances/" + name + "/transcode")));
        }
    }
}
