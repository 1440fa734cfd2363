package org.hypertube.playback;

import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Several instances on one database and one shared media folder (README, "Several instances").
 *
 * @param lease  how long a download's lease lasts without renewal (HYPERTUBE_LEASE, 15 s): after its owner
 *               died, another instance takes the download over within this time
 * @param listen {@code HOST:PORT} of the cluster listener (HYPERTUBE_CLUSTER_LISTEN), on which the owner of a
 *               download serves its film to the other instances; blank (one instance): no listener
 * @param url    the address the other instances reach that listener at (HYPERTUBE_CLUSTER_URL); by default
 *               {@code http://HOST:PORT} of {@code listen} (the host name when it listens on every address)
 * @param secret the secret the instances share (HYPERTUBE_CLUSTER_SECRET, at least 32 characters): every
 *               cluster request carries an HMAC of itself under it
 */
@ConfigurationProperties("hypertube.leases")
public record LeaseProperties(Duration lease, String listen, String url, String secret) {

    static final int MIN_SECRET = 32;

    public LeaseProperties {
        lease = lease == null ? Duration.ofSeconds(15) : lease;
        listen = listen == null ? "" : listen.strip();
        url = url == null ? "" : url.strip();
        secret = secret == null ? "" : secret;
        new LeaseTerms(lease);   // a wrong value stops the start
        if (!listen.isEmpty()) {
            port(listen);
            if (secret.length() < MIN_SECRET) {
                throw new IllegalArgumentException("HYPERTUBE_CLUSTER_LISTEN needs HYPERTUBE_CLUSTER_SECRET of at least "
                        + MIN_SECRET + " characters");
            }
        }
        if (!url.isEmpty()) {
            URI u = URI.create(url);
            if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme())) || u.getHost() == null) {
                throw new IllegalArgumentException("HYPERTUBE_CLUSTER_URL must be an http(s) URL, was " + url);
            }
        }
    }

    boolean clustered() {
        return !listen.isEmpty();
    }

    String host() {
        return listen.substring(0, listen.lastIndexOf(':'));
    }

    int port() {
        return port(listen);
    }

    private static int port(String listen) {
        int colon = listen.lastIndexOf(':');
        try {
            int port = Integer.parseInt(listen.substring(colon + 1));
            if (colon <= 0 || port < 0 || port > 65535) {
                throw new NumberFormatException();
            }
            return port;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("HYPERTUBE_CLUSTER_LISTEN must be HOST:PORT, was " + listen);
        }
    }
}
