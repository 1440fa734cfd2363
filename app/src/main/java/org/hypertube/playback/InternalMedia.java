package org.hypertube.playback;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Loopback addresses of media files for ffprobe and ffmpeg, which read through HTTP ranges like a
 * browser: {@code http://127.0.0.1:<port>/internal/media/<token>}. A token is 128 random bits, known
 * only to this process, and the endpoint also refuses any caller that is not on this machine.
 */
@Component
class InternalMedia {

    private final SecureRandom random = new SecureRandom();
    private final Map<String, String> tokenByKey = new ConcurrentHashMap<>();
    private final Map<String, String> hashByToken = new ConcurrentHashMap<>();
    private volatile int port;

    @EventListener
    void serverStarted(WebServerInitializedEvent event) {
        if (event.getApplicationContext().getServerNamespace() == null) {
            port = event.getWebServer().getPort();
        }
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
        return "http://127.0.0.1:" + port + "/internal/media/" + token;
    }

    Optional<String> infoHash(String token) {
        return token == null || token.length() != 32 ? Optional.empty() : Optional.ofNullable(hashByToken.get(token));
    }
}
