package org.hypertube.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.hypertube.torrent.testing.StandInHttpServer;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Every example of the OpenAPI document is checked twice: it is valid against the schema it illustrates,
 * and the route, called for real over HTTP in the case the example shows, answers that status with a body
 * valid against the same schema and with the example's fields. Schemas are read strictly: an object may
 * not carry a field its schema does not list.
 */
class ApiExamplesTest extends ApiProgramTestBase {

    private static final String MISSING = "999999999";

    @Test
    void everyExampleMatchesItsSchemaAndWhatTheRouteReallyAnswers() throws Exception {
        JsonNode doc = json(call("GET", "/api/docs", null, null));
        Key admin = memberKey(true);
        Key member = memberKey(false);
        Key other = memberKey(false);
        String adminToken = token(admin);
        String token = token(member);
        String otherToken = token(other);
        long film = libraryFilm("tt0063350");
        jdbc.update("insert into watch_progress (member_id, film_id, position_seconds, duration_seconds, watched, updated_at)"
                + " values (?, ?, 600, 5760, false, now())", member.memberId(), film);
        long comment = json(call("POST", "/api/comments", token, "{\"comment\":\"Example\",\"movie_id\":" + film + "}"))
                .get("id").asLong();
        long spare = json(call("POST", "/api/comments", token, "{\"comment\":\"To delete\",\"movie_id\":" + film + "}"))
                .get("id").asLong();
        String magnet = "magnet:?xt=urn:btih:" + "ab".repeat(20) + "&dn=Example";

        // How to make each route give each documented answer.
        Map<String, Call<HttpResponse<String>>> cases = new LinkedHashMap<>();
        cases.put("GET /api/users 200", () -> call("GET", "/api/users?size=2", token, null));
        cases.put("GET /api/users/{id} 200", () -> call("GET", "/api/users/" + member.memberId(), token, null));
        cases.put("GET /api/users/{id} 404", () -> call("GET", "/api/users/" + MISSING, token, null));
        cases.put("GET /api/users/{id}/picture 404", () -> call("GET", "/api/users/" + MISSING + "/picture", token, null));
        cases.put("PATCH /api/users/{id} 200", () -> call("PATCH", "/api/users/" + member.memberId(), token,
                "{\"username\":\"" + member.username() + "\"}"));
        cases.put("PATCH /api/users/{id} 403", () -> call("PATCH", "/api/users/" + other.memberId(), token, "{}"));
        cases.put("PATCH /api/users/{id} 400", () -> call("PATCH", "/api/users/" + member.memberId(), token,
                "{\"pictureUrl\":\"ftp://example.org/me.png\"}"));
        cases.put("PATCH /api/users/{id} 422 invalidField", () -> call("PATCH", "/api/users/" + member.memberId(), token,
                "{\"email\":\"not-an-email\"}"));
        cases.put("PATCH /api/users/{id} 422 insideAddress", () -> call("PATCH", "/api/users/" + member.memberId(), token,
                "{\"pictureUrl\":\"http://169.254.169.254/latest/meta-data/me.png\"}"));
        cases.put("PATCH /api/users/{id} 422 notAnImage", () -> pictureFrom(member, token, "text/html", "<html>me</html>".getBytes()));
        cases.put("PATCH /api/users/{id} 422 tooLarge", () -> pictureFrom(member, token, "image/png",
                new byte[2 * 1024 * 1024 + 1]));
        cases.put("GET /api/movies 200", () -> call("GET", "/api/movies", token, null));
        cases.put("POST /api/movies 202", () -> call("POST", "/api/movies", adminToken,
                "{\"magnet\":\"" + magnet + "\",\"title\":\"Example\"}"));
        cases.put("POST /api/movies 403", () -> call("POST", "/api/movies", token, "{\"magnet\":\"" + magnet + "\"}"));
        cases.put("POST /api/movies 422", () -> call("POST", "/api/movies", adminToken, "{}"));
        cases.put("GET /api/movies/{id} 200", () -> call("GET", "/api/movies/" + film, token, null));
        cases.put("GET /api/movies/{id} 404", () -> call("GET", "/api/movies/" + MISSING, token, null));
        cases.put("DELETE /api/movies/{id} 204", () -> {
            long added = json(call("POST", "/api/movies", adminToken, "{\"magnet\":\"magnet:?xt=urn:btih:" + "cd".repeat(20)
                    + "\",\"title\":\"To remove\"}")).get("id").asLong();
            return call("DELETE", "/api/movies/" + added, adminToken, null);
        });
        cases.put("DELETE /api/movies/{id} 403", () -> call("DELETE", "/api/movies/" + film, token, null));
        cases.put("DELETE /api/movies/{id} 404", () -> call("DELETE", "/api/movies/" + MISSING, adminToken, null));
        cases.put("GET /api/movies/{id}/cover 404", () -> call("GET", "/api/movies/" + MISSING + "/cover", token, null));
        cases.put("GET /api/movies/{movieId}/comments 200", () -> call("GET", "/api/movies/" + film + "/comments", token, null));
        cases.put("GET /api/movies/{movieId}/comments 404", () -> call("GET", "/api/movies/" + MISSING + "/comments", token, null));
        cases.put("POST /api/movies/{movieId}/comments 201", () -> call("POST", "/api/movies/" + film + "/comments", otherToken,
                "{\"comment\":\"Posted\"}"));
        cases.put("POST /api/movies/{movieId}/comments 404", () -> call("POST", "/api/movies/" + MISSING + "/comments",
                otherToken, "{\"comment\":\"Nowhere\"}"));
        cases.put("GET /api/comments 200", () -> call("GET", "/api/comments", token, null));
        cases.put("POST /api/comments 201", () -> call("POST", "/api/comments", adminToken,
                "{\"comment\":\"Posted\",\"movie_id\":" + film + "}"));
        cases.put("POST /api/comments 422", () -> call("POST", "/api/comments", adminToken, "{\"comment\":\"\",\"movie_id\":" + film + "}"));
        cases.put("GET /api/comments/{id} 200", () -> call("GET", "/api/comments/" + comment, token, null));
        cases.put("GET /api/comments/{id} 404", () -> call("GET", "/api/comments/" + MISSING, token, null));
        cases.put("PATCH /api/comments/{id} 200", () -> call("PATCH", "/api/comments/" + comment, token, "{\"comment\":\"Edited\"}"));
        cases.put("PATCH /api/comments/{id} 403", () -> call("PATCH", "/api/comments/" + comment, otherToken, "{\"comment\":\"No\"}"));
        cases.put("DELETE /api/comments/{id} 204", () -> call("DELETE", "/api/comments/" + spare, token, null));
        cases.put("DELETE /api/comments/{id} 403", () -> call("DELETE", "/api/comments/" + comment, otherToken, null));
        cases.put("DELETE /api/comments/{id} 404", () -> call("DELETE", "/api/comments/" + MISSING, token, null));

        ObjectNode strict = strict(doc);
        SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
        Set<String> documented = new TreeSet<>();
        List<String> failures = new ArrayList<>();
        for (var path : doc.get("paths").properties()) {
            for (var operation : path.getValue().properties()) {
                if (!Set.of("get", "post", "put", "patch", "delete").contains(operation.getKey())) {
                    continue;
                }
                String route = operation.getKey().toUpperCase() + " " + path.getKey();
                for (var answer : operation.getValue().get("responses").properties()) {
                    String status = answer.getKey();
                    JsonNode media = answer.getValue().path("content");
                    String label = route + " " + status;
                    if (status.equals("401")) {
                        documented.add(route + " 401");
                        failures.addAll(check(label, status, registry, strict, media, example(media),
                                callWithoutToken(route)));
                        continue;
                    }
                    if (!media.isObject() || media.isEmpty()) {
                        if (status.startsWith("2") && cases.containsKey(label)) {
                            documented.add(label);
                            assertThat(cases.get(label).call().statusCode()).as(label).isEqualTo(Integer.parseInt(status));
                        }
                        continue;
                    }
                    JsonNode named = media.properties().iterator().next().getValue().get("examples");
                    if (named != null) {
                        // Several examples of one answer, by name: each has a case of its own.
                        for (var one : named.properties()) {
                            String each = label + " " + one.getKey();
                            documented.add(each);
                            assertThat(cases).as("a way to get " + each).containsKey(each);
                            failures.addAll(check(each, status, registry, strict, media, one.getValue().get("value"),
                                    cases.get(each).call()));
                        }
                        continue;
                    }
                    JsonNode example = example(media);
                    if (example == null) {
                        continue; // images: nothing to compare
                    }
                    documented.add(label);
                    assertThat(cases).as("a way to get " + label).containsKey(label);
                    failures.addAll(check(label, status, registry, strict, media, example, cases.get(label).call()));
                }
            }
        }
        assertThat(failures).isEmpty();
        assertThat(documented).as("every case is documented").containsAll(cases.keySet());
        assertThat(documented.stream().filter(l -> !l.endsWith(" 401"))).hasSize(cases.size());
    }

    /** The member's PATCH naming a picture that a stand-in for a public host (127.0.0.1 in the tests) serves. */
    private HttpResponse<String> pictureFrom(Key member, String token, String type, byte[] body) throws Exception {
        try (var host = StandInHttpServer.serving("127.0.0.1", type, body)) {
            return call("PATCH", "/api/users/" + member.memberId(), token,
                    "{\"pictureUrl\":\"" + host.url("/me.png") + "\"}");
        }
    }

    /** The example and the real answer against the schema, and against each other. */
    private static JsonNode example(JsonNode media) {
        return media.properties().iterator().next().getValue().get("example");
    }

    private List<String> check(String label, String statusCode, SchemaRegistry registry, ObjectNode strict, JsonNode media,
                               JsonNode example, HttpResponse<String> real) {
        List<String> failures = new ArrayList<>();
        var entry = media.properties().iterator().next();
        ObjectNode schemaNode = JSON.createObjectNode();
        schemaNode.put("$ref", "#/$defs/" + schemaName(entry.getValue().get("schema"), strict, label));
        schemaNode.set("$defs", strict);
        Schema schema = registry.getSchema(schemaNode);
        int status = Integer.parseInt(statusCode);
        for (Error e : schema.validate(example)) {
            failures.add(label + ": example: " + e);
        }
        if (real.statusCode() != status) {
            failures.add(label + ": the route answered " + real.statusCode() + ": " + real.body());
            return failures;
        }
        String type = real.headers().firstValue("Content-Type").orElse("");
        if (!type.startsWith(entry.getKey())) {
            failures.add(label + ": answered as " + type + ", documented as " + entry.getKey());
        }
        JsonNode actual = json(real);
        for (Error e : schema.validate(actual)) {
            failures.add(label + ": real answer: " + e + " in " + real.body());
        }
        Set<String> exampleFields = fields(example);
        Set<String> actualFields = fields(actual);
        if (!exampleFields.containsAll(actualFields)) {
            Set<String> extra = new HashSet<>(actualFields);
            extra.removeAll(exampleFields);
            failures.add(label + ": the real answer has fields the example does not show: " + extra);
        }
        Set<String> topExample = new TreeSet<>();
        example.propertyNames().forEach(topExample::add);
        Set<String> topActual = new TreeSet<>();
        actual.propertyNames().forEach(topActual::add);
        if (!topExample.equals(topActual)) {
            failures.add(label + ": example fields " + topExample + ", real ones " + topActual);
        }
        return failures;
    }

    /** The definition a response schema names; an inline one is added to the definitions under the label. */
    private static String schemaName(JsonNode schema, ObjectNode strict, String label) {
        if (schema != null && schema.has("$ref")) {
            return schema.get("$ref").asString().replace("#/components/schemas/", "");
        }
        JsonNode inline = schema == null ? JSON.createObjectNode()
                : JSON.readTree(JSON.writeValueAsString(schema).replace("#/components/schemas/", "#/$defs/"));
        close(inline);
        strict.set(label, inline);
        return label;
    }

    private HttpResponse<String> callWithoutToken(String route) throws Exception {
        String method = route.substring(0, route.indexOf(' '));
        String path = route.substring(route.indexOf(' ') + 1).replaceAll("\\{[^}]+}", "1");
        return call(method, path, null, method.equals("GET") || method.equals("DELETE") ? null : "{}");
    }

    /**
     * The document's schemas as JSON Schema definitions ({@code $defs}), every object schema closed: no field
     * beyond those it lists.
     */
    private static ObjectNode strict(JsonNode doc) {
        String schemas = JSON.writeValueAsString(doc.get("components").get("schemas"))
                .replace("#/components/schemas/", "#/$defs/");
        ObjectNode defs = (ObjectNode) JSON.readTree(schemas);
        close(defs);
        return defs;
    }

    private static void close(JsonNode node) {
        if (node instanceof ObjectNode object) {
            if (object.has("properties") && !object.has("additionalProperties")) {
                object.put("additionalProperties", false);
            }
            object.forEach(ApiExamplesTest::close);
        } else if (node != null && node.isArray()) {
            node.forEach(ApiExamplesTest::close);
        }
    }

    /** Field paths of a JSON value ("items[].id"), array items merged. */
    private static Set<String> fields(JsonNode node) {
        Set<String> out = new TreeSet<>();
        fields(node, "", out);
        return out;
    }

    private static void fields(JsonNode node, String prefix, Set<String> out) {
        if (node.isObject()) {
            for (var field : node.properties()) {
                String name = prefix + field.getKey();
                out.add(name);
                fields(field.getValue(), name + ".", out);
            }
        } else if (node.isArray()) {
            node.forEach(item -> fields(item, prefix.isEmpty() ? "[]." : prefix.substring(0, prefix.length() - 1) + "[].", out));
        }
    }
}
