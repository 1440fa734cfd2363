package org.hypertube.playback;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.catalina.connector.Connector;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.stereotype.Component;

/**
 * Addresses of media files for ffprobe and ffmpeg, which read through HTTP ranges like a browser:
 * {@code http://127.0.0.1:<internal port>/internal/media/<token>}. The endpoint has its own listener,
 * bound to 127.0.0.1 on a port chosen at start: requests that reach the public port never get to it,
 * whatever address they come from (behind a reverse proxy every request comes from 127.0.0.1), and the
 * listener serves nothing else ({@link InternalOnly}). A token is 128 random bits per film, so even a
 * process on this machine must have been told one.
 */
@Component
class InternalMedia implements WebServerFactoryCustomizer<TomcatServletWebServerFactory> {

    static final String PATH = "/internal/media/";

    private final SecureRandom random = new SecureRandom();
    private final Map<String, String> tokenByKey = new ConcurrentHashMap<>();
    private final Map<String, String> hashByToken = new ConcurrentHashMap<>();
    private final Connector connector = new Connector();

    InternalMedia() {
        connector.setPort(0);
        connector.setProperty("address", "127.0.0.1");
    }

    @Override
    public void customize(TomcatServletWebServerFactory factory) {
        factory.addAdditionalConnectors(connector);
    }

    /** The port of the loopback-only listener, once it listens (-1 before). */
    int port() {
        return connector.getLocalPort();
    }

    /** Whether a request came in through the internal listener (by the port it reached, never by its sender). */
    boolean internal(jakarta.servlet.ServletRequest request) {
        int port = port();
        return port > 0 && request.getLocalPort() == port;
    }

    /** The loopback URL of a download's film file. */
    String url(String infoHash) {
        String token = tokenByKey.computeIfAbsent(infoHash, k -> {
            byte[] bytes = new byte[16];
            random.nextBytes(bytes);
            String t = HexFormat.of().formatHex(bytes);
            hashByToken.put(t, k);
            return t;
        });
        return "http://127.0.0.1:" + port() + PATH + token;
    }

    /**
     * The loopback URL of the verified beginning of a download's film, up to {@code bytes}: read from disk,
     * it never waits for the swarm nor steers the engine.
     */
    String prefixUrl(String infoHash, long bytes) {
        return url(infoHash) + "?prefix=" + bytes;
    }

    Optional<String> infoHash(String token) {
        return token == null || token.length() != 32 ? Optional.empty() : Optional.ofNullable(hashByToken.get(token));
    }
}
