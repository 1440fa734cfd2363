package org.hypertube.playback;

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
 * Debian's nginx (installed by bin/test) started by a test on 127.0.0.1 and a free port, with its config,
 * logs and pid file in its own folder, serving a folder as it is. Each access-log line is {@code "request"
 * status "range" bytes-sent}, so a test can see which ranges a client asked for. Stop it with {@link #close()}.
 */
final class NginxServer implements AutoCloseable {

    static final String BINARY = "/usr/sbin/nginx";

    private final Process process;
    private final Path work;
    private final int port;

    private NginxServer(Process process, Path work, int port) {
        this.process = process;
        this.work = work;
        this.port = port;
    }

    /**
     * Serves {@code root}; {@code serverConfig} goes inside the {@code server} block (locations, aliases).
     * Skips the test where nginx is missing on a developer machine; fails in CI, where it must be installed.
     */
    static NginxServer serve(Path root, String serverConfig) throws IOException {
        if (!Files.isExecutable(Path.of(BINARY))) {
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError(BINARY + " is not installed but CI=true requires it");
            }
            Assumptions.abort(BINARY + " is not installed (bin/test installs it); skipping");
        }
        Path dir = Files.createTempDirectory("hypertube-nginx").toAbsolutePath();
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        String conf = """
                daemon off;
                master_process off;
                worker_processes 1;
                pid %1$s/nginx.pid;
                error_log %1$s/error.log warn;
                events { worker_connections 64; }
                http {
                    log_format hypertube '"$request" $status "$http_range" $body_bytes_sent';
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
                        root %3$s;
                %4$s
                    }
                }
                """.formatted(dir, port, root.toAbsolutePath(), serverConfig);
        Path confFile = Files.writeString(dir.resolve("nginx.conf"), conf);
        Process p = new ProcessBuilder(BINARY, "-p", dir + "/", "-e", dir.resolve("error.log").toString(),
                "-c", confFile.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("stdout.log").toFile()).start();
        NginxServer server = new NginxServer(p, dir, port);
        server.awaitListening();
        return server;
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

    /** {@code http://127.0.0.1:port} + path. */
    String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    /** The requests so far, one line each (see the class comment for the format). */
    List<String> accessLog() throws IOException {
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
}
