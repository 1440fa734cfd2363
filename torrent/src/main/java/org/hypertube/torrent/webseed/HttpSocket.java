package org.hypertube.torrent.webseed;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import org.hypertube.torrent.OutsideAddressPolicy;
import org.hypertube.torrent.webseed.WebSeedException.Kind;

/**
 * One open HTTP/1.1 connection to a host: plain, or TLS with SNI and host name verification. The host
 * is resolved once and the connection goes to an address the {@link OutsideAddressPolicy} allowed,
 * never to the name again (a second lookup could answer otherwise).
 */
final class HttpSocket implements Closeable {

    /** Where a URL's requests go; one connection serves one endpoint. */
    record Endpoint(boolean tls, String host, int port) {
        static Endpoint of(URI url) {
            boolean tls = url.getScheme().equalsIgnoreCase("https");
            return new Endpoint(tls, url.getHost().toLowerCase(Locale.ROOT), url.getPort() >= 0 ? url.getPort() : tls ? 443 : 80);
        }

        /** The Host header: the port only when it is not the scheme's default. */
        String hostHeader() {
            return port == (tls ? 443 : 80) ? host : host + ":" + port;
        }

        String bareHost() {
            return host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        }
    }

    private final Endpoint endpoint;
    private final Socket socket;
    private final BufferedInputStream in;
    private final OutputStream out;
    private int requests;

    private HttpSocket(Endpoint endpoint, Socket socket) throws IOException {
        this.endpoint = endpoint;
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
        this.out = socket.getOutputStream();
    }

    static HttpSocket open(Endpoint endpoint, OutsideAddressPolicy policy, SSLSocketFactory tls, Duration timeout)
            throws WebSeedException {
        InetAddress[] all;
        try {
            all = InetAddress.getAllByName(endpoint.bareHost());
        } catch (UnknownHostException e) {
            throw new WebSeedException(Kind.IO, "cannot resolve " + endpoint.host(), e);
        }
        List<InetAddress> allowed = Arrays.stream(all).filter(policy::allows).toList();
        if (allowed.isEmpty()) {
            throw new WebSeedException(Kind.NOT_ALLOWED_ADDRESS, endpoint.host() + " is " + all[0].getHostAddress()
                    + ", a " + OutsideAddressPolicy.localKind(all[0]).orElse("refused") + " address");
        }
        IOException last = null;
        for (InetAddress address : allowed) {
            Socket raw = new Socket();
            try {
                raw.connect(new InetSocketAddress(address, endpoint.port()), (int) timeout.toMillis());
                raw.setSoTimeout((int) timeout.toMillis());
                raw.setTcpNoDelay(true);
                return new HttpSocket(endpoint, endpoint.tls() ? handshake(raw, endpoint, tls) : raw);
            } catch (IOException e) {
                closeQuietly(raw);
                last = e;
            }
        }
        throw new WebSeedException(Kind.IO, "cannot connect to " + endpoint.host() + ":" + endpoint.port() + ": " + last, last);
    }

    private static Socket handshake(Socket raw, Endpoint endpoint, SSLSocketFactory tls) throws IOException {
        SSLSocket ssl = (SSLSocket) tls.createSocket(raw, endpoint.bareHost(), endpoint.port(), true);
        SSLParameters params = ssl.getSSLParameters();
        params.setEndpointIdentificationAlgorithm("HTTPS");
        if (!isIpLiteral(endpoint.bareHost())) {
            params.setServerNames(List.of(new SNIHostName(endpoint.bareHost())));
        }
        ssl.setSSLParameters(params);
        ssl.startHandshake();
        return ssl;
    }

    /** Sends {@code GET} for bytes {@code first-last} of {@code url}'s file. */
    void sendRange(URI url, String range) throws IOException {
        sendGet(url, "Range: bytes=" + range + "\r\n");
    }

    /** Sends {@code GET url} with {@code extraHeaders} (each line ending in CRLF, or empty). */
    void sendGet(URI url, String extraHeaders) throws IOException {
        String target = (url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath())
                + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery());
        String request = "GET " + target + " HTTP/1.1\r\n"
                + "Host: " + endpoint.hostHeader() + "\r\n"
                + "User-Agent: " + WebSeedConnection.USER_AGENT + "\r\n"
                + extraHeaders
                + "Accept-Encoding: identity\r\n"
                + "\r\n";
        out.write(request.getBytes(StandardCharsets.US_ASCII));
        out.flush();
        requests++;
    }

    /**
     * After a request on a reused connection: false when the server had closed it meanwhile (end of
     * stream or reset before any byte of the answer), so the request should go on a new connection.
     * A server that stays silent is not retried: that is a time-out.
     */
    boolean answering() throws WebSeedException {
        try {
            in.mark(1);
            int b = in.read();
            in.reset();
            return b != -1;
        } catch (SocketTimeoutException e) {
            throw new WebSeedException(Kind.IO, "no answer from " + endpoint.host() + " within the time-out", e);
        } catch (IOException e) {
            return false;
        }
    }

    BufferedInputStream in() {
        return in;
    }

    Endpoint endpoint() {
        return endpoint;
    }

    int requests() {
        return requests;
    }

    @Override
    public void close() {
        closeQuietly(socket);
    }

    private static boolean isIpLiteral(String host) {
        return host.indexOf(':') >= 0 || host.matches("[0-9.]+");
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // nothing to do: the socket is gone either way
        }
    }
}
