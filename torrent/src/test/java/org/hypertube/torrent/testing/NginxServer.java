package org.hypertube.torrent.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Debian's nginx started by a test on 127.0.0.1 with its own config, logs and pid file in a temp
 * folder, serving a folder as it is (e.g. laid out like the Internet Archive: {@code
 * /download/<item>/<path>}). Each access log line is {@code connection-serial requests-on-it "request"
 * status "range" bytes-sent "sni"}, so a test can see keep-alive reuse and which ranges were served. Stop it with {@link #close()}.
 *
 * <pre>{@code
 * try (NginxServer nginx = NginxServer.serving(www).workDir(tmp).start()) {
 *     String url = nginx.url("/download/item/");
 * }
 * }</pre>
 */
public final class NginxServer implements AutoCloseable {
    public static final String BINARY = "/usr/sbin/nginx";

    private final Process process;
    private final Path work;
    private final int port;
    private final int tlsPort;

    private NginxServer(Process process, Path work, int port, int tlsPort) {
        this.process = process;
        this.work = work;
        this.port = port;
        this.tlsPort = tlsPort;
    }

    /** Skips the test where nginx is missing on a developer machine; fails in CI, where it must be installed. */
    public static void require() {
        if (!Files.isExecutable(Path.of(BINARY))) {
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError(BINARY + " is not installed but CI=true requires it");
            }
            Assumptions.abort(BINARY + " is not installed; skipping");
        }
    }

    public static Builder serving(Path root) {
        return new Builder(root);
    }

    /** Configures one server; every setting but the root is optional. */
    public static final class Builder {
        private final Path root;
        private Path work;
        private Path certificate;
        private Path key;
        private String serverConfig = "";
        private String httpConfig = "";

        private Builder(Path root) {
            this.root = root;
        }

        /** Where the config, logs and pid go (default: a new temp folder). */
        public Builder workDir(Path dir) {
            this.work = dir;
            return this;
        }

        /** Also listen with TLS on a second port, with this PEM certificate chain and key. */
        public Builder tls(Path certificatePem, Path keyPem) {
            this.certificate = certificatePem;
            this.key = keyPem;
            return this;
        }

        /** Directives added inside the {@code server} block (locations, {@code limit_rate}, {@code keepalive_requests}...). */
        public Builder serverConfig(String directives) {
            this.serverConfig = directives;
            return this;
        }

        /** Directives added to the {@code http} block, beside the server ({@code upstream}s, further {@code server}s...). */
        public Builder httpConfig(String directives) {
            this.httpConfig = directives;
            return this;
        }

        public NginxServer start() throws IOException {
            require();
            Path dir = Files.createDirectories(work != null ? work : Files.createTempDirectory("nginx"));
            int port = freePort();
            int tlsPort = certificate != null ? freePort() : -1;
            String tls = certificate == null ? "" : """
                        listen 127.0.0.1:%d ssl;
                        ssl_certificate %s;
                        ssl_certificate_key %s;
                    """.formatted(tlsPort, certificate.toAbsolutePath(), key.toAbsolutePath());
            String conf = """
                    daemon off;
                    master_process off;
                    worker_processes 1;
                    pid %1$s/nginx.pid;
                    error_log %1$s/error.log warn;
                    events { worker_connections 512; }
                    http {
                        log_format hypertube '$connection $connection_requests "$request" $status "$http_range" $body_bytes_sent "$ssl_server_name"';
                        access_log %1$s/access.log hypertube;
                        client_body_temp_path %1$s/body;
                        proxy_temp_path %1$s/proxy;
                        fastcgi_temp_path %1$s/fastcgi;
                        uwsgi_temp_path %1$s/uwsgi;
                        scgi_temp_path %1$s/scgi;
                        default_type application/octet-stream;
                        sendfile on;
                        server {
                            listen 127.0.0.1:%2$d;
                    %3$s
                            root %4$s;
                    %5$s
                        }
                    %6$s
                    }
                    """.formatted(dir.toAbsolutePath(), port, tls, root.toAbsolutePath(), serverConfig, httpConfig);
            Path confFile = Files.writeString(dir.resolve("nginx.conf"), conf);
            Process p = new ProcessBuilder(BINARY, "-p", dir.toAbsolutePath() + "/", "-e", dir.resolve("error.log").toString(),
                    "-c", confFile.toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("stdout.log").toFile()).start();
            NginxServer server = new NginxServer(p, dir, port, tlsPort);
            server.awaitListening();
            return server;
        }
    }

    private void awaitListening() throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("nginx exited with " + process.exitValue() + ": " + log("error.log") + log("stdout.log"));
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
                return;
            } catch (IOException notYet) {
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        close();
        throw new IOException("nginx did not listen on port " + port + ": " + log("error.log"));
    }

    public int port() {
        return port;
    }

    /** {@code http://127.0.0.1:port} + path. */
    public String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    /** {@code https://host:tls-port} + path; the host must match the certificate. */
    public String tlsUrl(String host, String path) {
        return "https://" + host + ":" + tlsPort + path;
    }

    /** The access log so far, one line per request (see the class comment for the format). */
    public List<String> accessLog() throws IOException {
        Path log = work.resolve("access.log");
        return Files.exists(log) ? Files.readAllLines(log) : List.of();
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private String log(String name) {
        try {
            Path p = work.resolve(name);
            return Files.exists(p) ? Files.readString(p) : "";
        } catch (IOException e) {
            return "";
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
