package org.hypertube.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.hypertube.AppTestServers;
import org.hypertube.HypertubeApplication;
import org.hypertube.torrent.testing.NginxServer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * Several Hypertube instances in cluster mode, each a child JVM (the test's java and class path, so
 * {@link #kill9} is a real {@code kill -9}) on its own loopback port, all on one fresh schema of the tests'
 * PostgreSQL ({@code TEST_DATABASE_URL}) and one shared data folder, behind Debian's nginx configured with
 * {@code deploy/nginx/hypertube.locations}, the file users deploy. The stand-in servers (mail, OAuth2
 * providers, film sources, DHT hub) are AppTestBase's, as the suite's own application has them.
 *
 * <p>nginx answers on three kinds of address: {@link #nginx} balances over every instance (round robin, as
 * deployed); {@link #pinned pinned(i, path)} goes through nginx to instance {@code i} only (one extra server
 * block per instance, test-only); {@link #url url(i, path)} is the instance itself, without nginx.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final ClusterFixture CLUSTER = ClusterFixture.builder().instances(2)
 *         .property("hypertube.playback.seed-ratio", "0").env(1, "HYPERTUBE_MAX_TRANSCODES", "2").build();
 * // started before the class's tests, stopped after them; children's logs printed when a test fails
 * CLUSTER.pinned(0, "/login"); CLUSTER.kill9(0); CLUSTER.restart(0); CLUSTER.jdbc().queryForList(...);
 * }</pre>
 */
public final class ClusterFixture implements BeforeAllCallback, AfterAllCallback, TestWatcher, AutoCloseable {

    private static final Duration READY_TIMEOUT = Duration.ofMinutes(3);
    private static final String MAIN = HypertubeApplication.class.getName();

    private final Builder settings;
    private final List<Instance> instances = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private Path work;
    private Path shared;
    private String schema;
    private String jdbcUrl;
    private NginxServer nginx;
    private final Map<Integer, Integer> pinnedPorts = new HashMap<>();
    private boolean failed;

    /** One child: its name (HYPERTUBE_INSTANCE), port and the process of its current run. */
    private static final class Instance {
        final String name;
        final int port;
        final Path log;
        Process process;

        Instance(String name, int port, Path log) {
            this.name = name;
            this.port = port;
            this.log = log;
        }
    }

    private ClusterFixture(Builder settings) {
        this.settings = settings;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** What to start; {@link #build()} starts nothing yet (the extension starts it before all tests, or {@link #start()}). */
    public static final class Builder {
        private int count = 2;
        private final Map<String, String> properties = new LinkedHashMap<>();
        private final Map<Integer, Map<String, String>> instanceProperties = new HashMap<>();
        private final Map<Integer, Map<String, String>> instanceEnv = new HashMap<>();
        private final List<String> jvmArgs = new ArrayList<>(List.of("-Xmx768m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));

        public Builder instances(int count) {
            this.count = count;
            return this;
        }

        /** A Spring property for every instance (overrides the test defaults). */
        public Builder property(String name, String value) {
            properties.put(name, value);
            return this;
        }

        /** A Spring property for instance {@code i} only (a command-line argument: it overrides everything). */
        public Builder property(int i, String name, String value) {
            instanceProperties.computeIfAbsent(i, k -> new LinkedHashMap<>()).put(name, value);
            return this;
        }

        /** An environment variable of instance {@code i} (for settings the test defaults leave unset). */
        public Builder env(int i, String name, String value) {
            instanceEnv.computeIfAbsent(i, k -> new LinkedHashMap<>()).put(name, value);
            return this;
        }

        /** Further JVM options of every child. */
        public Builder jvmArg(String option) {
            jvmArgs.add(option);
            return this;
        }

        public ClusterFixture build() {
            return new ClusterFixture(this);
        }
    }

    /** Starts nginx and every instance at once (as a deployment does), and waits until all are ready. */
    public ClusterFixture start() throws Exception {
        NginxServer.require();
        work = Files.createTempDirectory("hypertube-cluster");
        shared = Files.createDirectories(work.resolve("shared"));
        createSchema();
        for (int i = 0; i < settings.count; i++) {
            String name = String.valueOf((char) ('a' + i));
            instances.add(new Instance(name, freePort(), work.resolve("instance-" + name + ".log")));
            pinnedPorts.put(i, freePort());
        }
        startNginx();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> instances.stream()
                .filter(n -> n.process != null).forEach(n -> n.process.destroyForcibly())));
        for (int i = 0; i < instances.size(); i++) {
            launch(i);
        }
        for (int i = 0; i < instances.size(); i++) {
            awaitReady(i);
        }
        return this;
    }

    /** Number of instances. */
    public int size() {
        return instances.size();
    }

    /** Instance {@code i} itself, without nginx: {@code http://127.0.0.1:port} + path. */
    public String url(int i, String path) {
        return "http://127.0.0.1:" + instances.get(i).port + path;
    }

    /** Through nginx, balanced over every instance: this is HYPERTUBE_BASE_URL of them all. */
    public String nginx(String path) {
        return nginx.url(path);
    }

    /** Through nginx, always to instance {@code i}. */
    public String pinned(int i, String path) {
        return "http://127.0.0.1:" + pinnedPorts.get(i) + path;
    }

    /** Instance {@code i}'s name (HYPERTUBE_INSTANCE): "a", "b", ... */
    public String name(int i) {
        return instances.get(i).name;
    }

    /** Instance {@code i}'s own HTTP port. */
    public int port(int i) {
        return instances.get(i).port;
    }

    /** The data folder every instance shares (HYPERTUBE_DATA_DIR): media, pictures, subtitles. */
    public Path sharedDir() {
        return shared;
    }

    /** The JDBC URL of the instances' database (the tests' PostgreSQL, a schema of this fixture's own). */
    public String jdbcUrl() {
        return jdbcUrl;
    }

    /** The instances' database, for a test to look at (a new connection per call). */
    public JdbcTemplate jdbc() {
        var source = new DriverManagerDataSource(jdbcUrl, env("TEST_DATABASE_USER", "hypertube"), env("TEST_DATABASE_PASSWORD", ""));
        return new JdbcTemplate(source);
    }

    /** {@code kill -9} of instance {@code i}: no shutdown hook, no graceful stop, as a crash. */
    public void kill9(int i) throws InterruptedException {
        Process process = instances.get(i).process;
        process.destroyForcibly(); // SIGKILL on Linux
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** Stops instance {@code i} as an operator does (SIGTERM, graceful shutdown). */
    public void stop(int i) throws InterruptedException {
        Process process = instances.get(i).process;
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /** Starts instance {@code i} again (same name, port and settings) after {@link #kill9} or {@link #stop(int)}, and waits until ready. */
    public void restart(int i) throws Exception {
        stop(i);
        launch(i);
        awaitReady(i);
    }

    /** Whether instance {@code i}'s process runs. */
    public boolean alive(int i) {
        return instances.get(i).process != null && instances.get(i).process.isAlive();
    }

    /** Instance {@code i}'s log (stdout and stderr of every run). */
    public Path log(int i) {
        return instances.get(i).log;
    }

    /**
     * The requests nginx forwarded so far, one line each: {@code METHOD URI STATUS UPSTREAM-ADDRESS}, the
     * last being {@code 127.0.0.1:}{@link #port port(i)} of the instance that answered.
     */
    public List<String> proxied() throws IOException {
        Path log = work.resolve("nginx").resolve("upstream.log");
        return Files.exists(log) ? Files.readAllLines(log) : List.of();
    }

    /** Every child's and nginx's log to standard output (surefire keeps it in the test's report). */
    public void printLogs() {
        for (Instance instance : instances) {
            System.out.println("===== instance " + instance.name + " (" + instance.log + ") =====");
            System.out.println(tail(instance.log, 400));
        }
        System.out.println("===== nginx error log =====");
        System.out.println(tail(work.resolve("nginx").resolve("error.log"), 100));
    }

    @Override
    public void close() {
        for (int i = 0; i < instances.size(); i++) {
            try {
                stop(i);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (nginx != null) {
            nginx.close();
        }
        if (schema != null) {
            try (var connection = connect()) {
                connection.createStatement().execute("drop schema if exists " + schema + " cascade");
            } catch (Exception e) {
                System.out.println("ClusterFixture: could not drop schema " + schema + ": " + e);
            }
        }
        if (!failed && work != null) {
            try (Stream<Path> files = Files.walk(work)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                System.out.println("ClusterFixture: could not delete " + work + ": " + e);
            }
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        try {
            start();
        } catch (Exception | AssertionError e) {
            failed = true;
            printLogs();
            close();
            throw e;
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        failed = true;
        System.out.println("ClusterFixture: " + context.getDisplayName() + " failed; logs of the instances follow (work folder " + work + ")");
        printLogs();
    }

    private void createSchema() throws Exception {
        schema = "cluster_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (var connection = connect()) {
            connection.createStatement().execute("create schema " + schema);
        }
        String url = testDatabaseUrl();
        jdbcUrl = url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }

    private java.sql.Connection connect() throws java.sql.SQLException {
        return DriverManager.getConnection(testDatabaseUrl(), env("TEST_DATABASE_USER", "hypertube"), env("TEST_DATABASE_PASSWORD", ""));
    }

    private static String testDatabaseUrl() {
        String url = System.getenv("TEST_DATABASE_URL");
        if (url == null || url.isBlank()) {
            throw new IllegalStateException("TEST_DATABASE_URL is not set: run the tests with bin/test, which starts PostgreSQL");
        }
        return url;
    }

    /** nginx with the deployed locations file: one balanced server (the main port) and one pinned server per instance. */
    private void startNginx() throws IOException {
        Path locations = deployFile("nginx/hypertube.locations");
        StringBuilder http = new StringBuilder();
        http.append("log_format upstream '$request_method $request_uri $status $upstream_addr';\n");
        http.append("access_log ").append(work.resolve("nginx").resolve("upstream.log")).append(" upstream;\n");
        http.append(upstream("hypertube", instances));
        for (int i = 0; i < instances.size(); i++) {
            http.append(upstream("hypertube_" + i, List.of(instances.get(i))));
            http.append("server {\n    listen 127.0.0.1:").append(pinnedPorts.get(i)).append(";\n")
                    .append("    set $hypertube_upstream hypertube_").append(i).append(";\n")
                    .append("    include ").append(locations).append(";\n}\n");
        }
        Path www = Files.createDirectories(work.resolve("www"));
        nginx = NginxServer.serving(www).workDir(work.resolve("nginx"))
                .serverConfig("set $hypertube_upstream hypertube;\ninclude " + locations + ";")
                .httpConfig(http.toString())
                .start();
    }

    private static String upstream(String name, List<Instance> members) {
        StringBuilder block = new StringBuilder("upstream " + name + " {\n");
        members.forEach(m -> block.append("    server 127.0.0.1:").append(m.port).append(" max_fails=1 fail_timeout=2s;\n"));
        return block.append("}\n").toString();
    }

    private void launch(int i) throws IOException {
        Instance instance = instances.get(i);
        Map<String, String> properties = new LinkedHashMap<>(AppTestServers.properties());
        properties.put("spring.datasource.url", jdbcUrl);
        properties.put("hypertube.data-dir", shared.toString());
        properties.put("hypertube.base-url", nginx.url(""));
        properties.put("hypertube.cluster", "true");
        properties.put("server.address", "127.0.0.1");
        properties.putAll(settings.properties);
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(settings.jvmArgs);
        command.add("--enable-native-access=ALL-UNNAMED");
        properties.forEach((name, value) -> command.add("-D" + name + "=" + value));
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(MAIN);
        command.add("--server.port=" + instance.port);
        command.add("--hypertube.instance=" + instance.name);
        settings.instanceProperties.getOrDefault(i, Map.of()).forEach((name, value) -> command.add("--" + name + "=" + value));
        var builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(instance.log.toFile()));
        builder.environment().put("HYPERTUBE_INSTANCE", instance.name);
        builder.environment().putAll(settings.instanceEnv.getOrDefault(i, Map.of()));
        instance.process = builder.start();
    }

    private void awaitReady(int i) throws Exception {
        Instance instance = instances.get(i);
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!instance.process.isAlive()) {
                throw new AssertionError("instance " + instance.name + " exited with " + instance.process.exitValue()
                        + " before it was ready; its log ends:\n" + tail(instance.log, 60));
            }
            try {
                var answer = http.send(HttpRequest.newBuilder(URI.create(url(i, "/actuator/health/readiness")))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding());
                if (answer.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new AssertionError("instance " + instance.name + " not ready within " + READY_TIMEOUT + "; its log ends:\n"
                + tail(instance.log, 60));
    }

    /** A file of the repository's deploy/ folder (tests run in app/). */
    static Path deployFile(String path) {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path file = dir.resolve("deploy").resolve(path);
            if (Files.exists(file)) {
                return file;
            }
        }
        throw new IllegalStateException("deploy/" + path + " not found above " + Path.of("").toAbsolutePath());
    }

    private static String tail(Path file, int lines) {
        try {
            if (!Files.exists(file)) {
                return "(no log)";
            }
            List<String> all = Files.readAllLines(file);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null ? fallback : value;
    }
}
