package org.hypertube.torrent.webseed;

import java.net.URI;
import java.time.Duration;
import java.util.Set;
import javax.net.ssl.SSLSocketFactory;
import org.hypertube.torrent.OutsideAddressPolicy;
import org.hypertube.torrent.webseed.WebSeedException.Kind;

/**
 * One bounded {@code GET} of a URL from outside (an HTTP tracker's announce or scrape): every host,
 * the first and each redirect's, is resolved once and connected to only at an address the
 * {@link OutsideAddressPolicy} allows; at most {@value WebSeedConnection#MAX_REDIRECTS} redirects,
 * http and https only; the body is read up to a bound. One connection per hop, closed after it.
 */
public final class OutsideHttpGet {
    private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);

    private OutsideHttpGet() {}

    /**
     * The body of a 200 answer to {@code GET url}, at most {@code maxBytes} long.
     *
     * @throws WebSeedException {@link Kind#NOT_ALLOWED_ADDRESS} when a hop's host is an address the
     *                          policy refuses, {@link Kind#HTTP_STATUS} for any other final status,
     *                          {@link Kind#BAD_URL}, {@link Kind#PROTOCOL} or {@link Kind#IO} otherwise
     */
    public static byte[] get(String url, OutsideAddressPolicy policy, Duration timeout, int maxBytes)
            throws WebSeedException {
        URI uri = WebSeedUrls.parse(url, "URL");
        SSLSocketFactory tls = (SSLSocketFactory) SSLSocketFactory.getDefault();
        for (int hop = 0; ; hop++) {
            try (HttpSocket socket = HttpSocket.open(HttpSocket.Endpoint.of(uri), policy, tls, timeout)) {
                try {
                    socket.sendGet(uri, "Connection: close\r\n");
                } catch (java.io.IOException e) {
                    throw new WebSeedException(Kind.IO, "cannot send the request to " + uri.getHost(), e);
                }
                ResponseHead head = ResponseHead.read(socket.in());
                for (int interim = 0; head.status() < 200; interim++) {
                    if (head.status() == 101 || interim == RangeResponse.MAX_INTERIM_RESPONSES) {
                        throw ResponseHead.protocol("unexpected HTTP " + head.status());
                    }
                    head = ResponseHead.read(socket.in());
                }
                if (head.status() == 200) {
                    return ResponseBody.readAtMost(head, socket.in(), maxBytes);
                }
                if (!REDIRECTS.contains(head.status())) {
                    throw WebSeedException.status(head.status(), head.reason());
                }
                if (hop == WebSeedConnection.MAX_REDIRECTS) {
                    throw new WebSeedException(Kind.BAD_URL, "more than " + WebSeedConnection.MAX_REDIRECTS + " redirects");
                }
                int status = head.status();
                String location = head.single("location")
                        .orElseThrow(() -> new WebSeedException(Kind.BAD_URL, "HTTP " + status + " without a Location"));
                uri = WebSeedUrls.resolveRedirect(uri, location);
            }
        }
    }
}
