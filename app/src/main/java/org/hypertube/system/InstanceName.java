package org.hypertube.system;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * {@code hypertube.instance}: which server this is, for the operator reading logs of several
 * (every log line carries it, see {@code logging.pattern.level}). HYPERTUBE_INSTANCE when set, else the
 * host name. Decided before logging starts, so the first line has it too.
 */
public class InstanceName implements EnvironmentPostProcessor {

    static final String PROPERTY = "hypertube.instance";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (environment.containsProperty(PROPERTY)) {
            return;
        }
        String configured = environment.getProperty("HYPERTUBE_INSTANCE", "").strip();
        String name = configured.isEmpty() ? hostName() : configured;
        environment.getPropertySources().addLast(new MapPropertySource("hypertubeInstance", Map.of(PROPERTY, name)));
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
