package org.hypertube.playback;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.apache.catalina.connector.Connector;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.stereotype.Component;

/**
 * The cluster listener (HYPERTUBE_CLUSTER_LISTEN): a listener of its own on which the owner of a download
 * serves its film to the other instances ({@link ClusterController}). Only {@code /cluster/**} answers
 * there, and {@code /cluster/**} answers nowhere else ({@link InternalOnly}); every request carries an
 * HMAC under the shared secret ({@link ClusterAuth}). Without the setting there is no listener.
 */
@Component
class ClusterListener implements WebServerFactoryCustomizer<TomcatServletWebServerFactory> {

    private final LeaseProperties properties;
    private final Connector connector;

    ClusterListener(LeaseProperties properties) {
        this.properties = properties;
        if (properties.clustered()) {
            connector = new Connector();
            connector.setPort(properties.port());
            connector.setProperty("address", properties.host());
        } else {
            connector = null;
        }
    }

    @Override
    public void customize(TomcatServletWebServerFactory factory) {
        if (connector != null) {
            factory.addAdditionalConnectors(connector);
        }
    }

    boolean enabled() {
        return connector != null;
    }

    /** Whether a request came in through the cluster listener (by the port it reached, never by its sender). */
    boolean cluster(jakarta.servlet.ServletRequest request) {
        return connector != null && connector.getLocalPort() > 0 && request.getLocalPort() == connector.getLocalPort();
    }

    /** Where the other instances reach this one, or null without a cluster listener. */
    String address() {
        if (connector == null) {
            return null;
        }
        if (!properties.url().isEmpty()) {
            return properties.url().replaceAll("/+$", "");
        }
        String host = properties.host();
        if (host.isEmpty() || host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]")) {
            try {
                host = InetAddress.getLocalHost().getHostName();
            } catch (UnknownHostException e) {
                host = "localhost";
            }
        }
        return "http://" + host + ":" + connector.getLocalPort();
    }
}
