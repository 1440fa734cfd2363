package org.hypertube.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.swagger.v3.core.util.Json;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.examples.Example;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.OAuthFlow;
import io.swagger.v3.oas.models.security.OAuthFlows;
import io.swagger.v3.oas.models.security.Scopes;
import io.swagger.v3.oas.models.security.SecurityScheme;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ClassPathResource;

/**
 * The OpenAPI document's header, its one security scheme (our OAuth2 server), and an example for each
 * route's answers (from {@code api/examples.json}); every refusal is documented as an RFC 9457 problem.
 */
@Configuration(proxyBeanMethods = false)
class OpenApiConfig {

    static final String EXAMPLES = "api/examples.json";
    static final String PROBLEM = "Problem";
    private static final String JSON = "application/json";
    private static final String PROBLEM_JSON = "application/problem+json";

    @Bean
    OpenAPI hypertubeApi() {
        var scopes = new Scopes().addString(ApiSecurity.READ, "Read members, films and comments")
                .addString(ApiSecurity.WRITE, "Change the member's account and comments (administrators: add and remove films)");
        return new OpenAPI()
                .info(new Info().title("Hypertube API").version("1").description("""
                        Films, members and comments of a Hypertube server. Every route is documented under `/api`; \
                        the short form without it (`/users`, `/users/{id}`, `/movies`, `/movies/{id}`, \
                        `/movies/{id}/comments`, `/comments`, `/comments/{id}`) answers the same for a request that \
                        carries a bearer token or accepts only JSON (browsers get the site's pages there).

                        Tokens: a client made by a member under Settings → API clients is that member's key: its \
                        client-credentials tokens act for the member (their profile, their comments; an administrator's \
                        key what administrators may). The operator's client (`API_CLIENT_ID`) acts for nobody and only \
                        reads. A token request without `scope` gets the client's registered scopes (`read write`). \
                        Programs acting for other members use the authorization code flow with PKCE.

                        Every answer that is not a success is an RFC 9457 problem (`application/problem+json`, UTF-8)."""))
                // The Problem schema is added by the customizer below: springdoc copies this bean through JSON,
                // which cannot read back a map schema's additionalProperties.
                .components(new Components()
                        .addSecuritySchemes("oauth2", new SecurityScheme()
                        .type(SecurityScheme.Type.OAUTH2)
                        .flows(new OAuthFlows()
                                .clientCredentials(new OAuthFlow().tokenUrl("/oauth/token").scopes(scopes))
                                .authorizationCode(new OAuthFlow().authorizationUrl("/oauth/authorize")
                                        .tokenUrl("/oauth/token").refreshUrl("/oauth/token").scopes(scopes)))));
    }

    /** Puts each route's examples on its answers: successes as JSON of the route's type, refusals as problems. */
    @Bean
    OpenApiCustomizer examples() {
        JsonNode all = examplesFile();
        return api -> {
            api.getComponents().addSchemas(PROBLEM, problemSchema());
            api.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, operation) -> {
                JsonNode forRoute = all.path(method.name() + " " + path);
                ApiResponses responses = operation.getResponses();
                // Spring's advice adds a generic 4xx/5xx answer to every route; the problems below replace them.
                responses.keySet().removeIf(code -> code.startsWith("4") || code.startsWith("5"));
                responses.addApiResponse("401", problem("No valid bearer token.", Json.mapper().createObjectNode()
                        .put("title", "Unauthorized").put("status", 401)
                        .put("detail", "A valid bearer token is needed.")));
                forRoute.properties().forEach(e -> {
                    // "422" holds the one example of that answer; "422 notAnImage" one of several, by name.
                    String status = e.getKey().split(" ", 2)[0];
                    if (Integer.parseInt(status) < 400) {
                        success(operation, status, e.getValue());
                    } else if (!e.getKey().contains(" ")) {
                        responses.addApiResponse(status, problem("Refused", e.getValue()));
                    } else {
                        namedProblem(responses, status, e.getKey().split(" ", 2)[1], e.getValue());
                    }
                });
            }));
        };
    }

    private static void success(Operation operation, String status, JsonNode example) {
        ApiResponses responses = operation.getResponses();
        ApiResponse response = responses.get(status);
        if (response == null) {
            // Spring's default answer (200) stands for the status the route really gives (201, 202).
            response = responses.remove("200");
            response.setDescription(org.springframework.http.HttpStatus.valueOf(Integer.parseInt(status)).getReasonPhrase());
            responses.addApiResponse(status, response);
        }
        if (example.isNull()) {
            response.setContent(null); // no body (204)
            return;
        }
        Schema<?> schema = response.getContent() == null ? null
                : response.getContent().values().stream().map(MediaType::getSchema).findFirst().orElse(null);
        response.setContent(new Content().addMediaType(JSON, new MediaType().schema(schema).example(example)));
    }

    private static ApiResponse problem(String description, JsonNode example) {
        return new ApiResponse().description(description).content(new Content().addMediaType(PROBLEM_JSON,
                new MediaType().schema(new Schema<>().$ref("#/components/schemas/" + PROBLEM)).example(example)));
    }

    /** One of several named examples of a refusal. */
    private static void namedProblem(ApiResponses responses, String status, String name, JsonNode example) {
        ApiResponse response = responses.get(status);
        if (response == null) {
            response = new ApiResponse().description("Refused").content(new Content().addMediaType(PROBLEM_JSON,
                    new MediaType().schema(new Schema<>().$ref("#/components/schemas/" + PROBLEM))));
            responses.addApiResponse(status, response);
        }
        response.getContent().get(PROBLEM_JSON).addExamples(name, new Example().value(example));
    }

    private static Schema<?> problemSchema() {
        return new ObjectSchema().description("An RFC 9457 problem")
                .addProperty("type", new StringSchema())
                .addProperty("title", new StringSchema())
                .addProperty("status", new IntegerSchema())
                .addProperty("detail", new StringSchema())
                .addProperty("instance", new StringSchema())
                .addProperty("errors", new ObjectSchema().additionalProperties(new StringSchema())
                        .description("For invalid fields: what is wrong with each, by field"));
    }

    private static JsonNode examplesFile() {
        try (InputStream in = new ClassPathResource(EXAMPLES).getInputStream()) {
            return Json.mapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + EXAMPLES, e);
        }
    }
}
