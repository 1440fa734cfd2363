package org.hypertube.playback;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.springframework.stereotype.Component;

/**
 * Reads from another instance's cluster listener: a film's bytes from an offset on, and its status.
 * The address is the owner's own, from its lease row; every request is signed ({@link ClusterAuth}).
 */
@Component
class ClusterClient {

    private static final int MAX_STATUS = 200;

    private final ClusterAuth auth;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(3))
            .followRedirects(HttpClient.Redirect.NEVER).build();

    ClusterClient(ClusterAuth auth) {
        this.auth = auth;
    }

    /** The film's bytes from {@code from} to its end, as the owner reads them (it waits for pieces). */
    InputStream open(String address, String infoHash, long from) throws IOException {
        String path = ClusterController.MEDIA + infoHash;
        HttpResponse<InputStream> response = send(request(address, path).header("Range", "bytes=" + from + "-").build(),
                HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() != 206) {
            response.body().close();
            throw new IOException("the owner " + address + " answered " + response.statusCode() + " for " + infoHash);
        }
        return response.body();
    }

    RemoteMedia.Status status(String address, String infoHash, long from) throws IOException {
        String path = ClusterController.MEDIA + infoHash + "/status?from=" + from;
        HttpResponse<InputStream> response = send(request(address, path).timeout(Duration.ofSeconds(3)).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = response.body()) {
            if (response.statusCode() != 200) {
                throw new IOException("the owner " + address + " answered " + response.statusCode() + " for " + infoHash);
            }
            String[] parts = new String(body.readNBytes(MAX_STATUS), StandardCharsets.US_ASCII).strip().split(" ");
            try {
                return new RemoteMedia.Status(Long.parseLong(parts[0]), Integer.parseInt(parts[1]), Long.parseLong(parts[2]),
                        Double.parseDouble(parts[3]));
            } catch (RuntimeException e) {
                throw new IOException("the owner " + address + " sent an unreadable status");
            }
        }
    }

    private HttpRequest.Builder request(String address, String pathAndQuery) {
        return HttpRequest.newBuilder(URI.create(address + pathAndQuery)).GET()
                .header(ClusterAuth.HEADER, auth.sign("GET", pathAndQuery));
    }

    private <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) throws IOException {
        try {
            return http.send(request, handler);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted");
        }
    }
}
