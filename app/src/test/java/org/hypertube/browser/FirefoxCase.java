package org.hypertube.browser;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One case of {@code app/src/test/firefox/cases.mjs} in Debian's Firefox ESR (WebDriver BiDi through
 * puppeteer-core, no driver binary): the script signs up, runs the case against the running server and
 * answers with what the page showed, which the Java test asserts.
 *
 * @param facts   what the page showed (per case: the mode the server chose, the video's times, a cue...)
 * @param console errors and warnings of the page's console
 * @param failure what stopped the case (a wait that timed out, a missing element), or null
 * @param output  everything the script printed, for the failure message
 */
public record FirefoxCase(JsonNode facts, List<String> console, String failure, String output) {

    public static final Path FIREFOX = Path.of("/usr/bin/firefox-esr");
    private static final Path SCRIPTS = Path.of("src/test/firefox");
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static boolean installed;

    /** Runs {@code name} against {@code baseUrl} with its arguments (a JSON object), within five minutes. */
    public static FirefoxCase run(String baseUrl, String name, Map<String, ?> arguments) throws IOException, InterruptedException {
        if (!Files.isExecutable(FIREFOX)) {
            throw new IllegalStateException(FIREFOX + " is missing: bin/test installs Debian's firefox-esr");
        }
        install();
        Process node = new ProcessBuilder("node", "cases.mjs", baseUrl, name, JSON.writeValueAsString(arguments))
                .directory(SCRIPTS.toFile()).redirectErrorStream(true).start();
        String output;
        try {
            var reading = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    return new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                } catch (IOException e) {
                    return "could not read the script's output: " + e;
                }
            });
            if (!node.waitFor(5, TimeUnit.MINUTES)) {
                throw new IllegalStateException("the Firefox case " + name + " ran for more than five minutes");
            }
            output = reading.join();
        } finally {
            node.destroy();
            if (!node.waitFor(10, TimeUnit.SECONDS)) {
                node.destroyForcibly();
            }
        }
        String last = output.strip().lines().reduce((a, b) -> b).orElse("");
        if (!last.startsWith("{")) {
            throw new IllegalStateException("the Firefox case " + name + " gave no answer:\n" + output);
        }
        JsonNode answer = JSON.readTree(last);
        List<String> console = new java.util.ArrayList<>();
        answer.path("console").forEach(line -> console.add(line.asString()));
        return new FirefoxCase(answer.path("facts"), List.copyOf(console),
                answer.path("failure").isNull() ? null : answer.path("failure").asString(), output);
    }

    /** The script's packages (puppeteer-core), from the committed lock file, once per run. */
    private static synchronized void install() throws IOException, InterruptedException {
        if (installed || Files.isDirectory(SCRIPTS.resolve("node_modules/puppeteer-core"))) {
            installed = true;
            return;
        }
        ProcessBuilder npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund")
                .directory(SCRIPTS.toFile()).redirectErrorStream(true);
        npm.environment().put("PUPPETEER_SKIP_DOWNLOAD", "1");
        Process p = npm.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IllegalStateException("npm ci in " + SCRIPTS + " failed:\n" + output);
        }
        installed = true;
    }

    /** A fact as text ("" when the page did not give it). */
    public String fact(String name) {
        return facts.path(name).asString("");
    }

    /** A fact as a number (NaN when the page did not give it). */
    public double number(String name) {
        return facts.path(name).isNumber() ? facts.path(name).asDouble() : Double.NaN;
    }

    @Override
    public String toString() {
        return "Firefox case: facts " + facts + (failure == null ? "" : ", failed: " + failure) + ", console " + console
                + "\n" + output;
    }
}
