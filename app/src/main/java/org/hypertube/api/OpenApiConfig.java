package org.hypertube.api;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.OAuthFlow;
import io.swagger.v3.oas.models.security.OAuthFlows;
import io.swagger.v3.oas.models.security.Scopes;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The OpenAPI document's header and its one security scheme: our OAuth2 server. */
@Configuration(proxyBeanMethods = false)
class OpenApiConfig {

    @Bean
    OpenAPI hypertubeApi() {
        var scopes = new Scopes().addString(ApiSecurity.READ, "Read members, films and comments")
                .addString(ApiSecurity.WRITE, "Change one's account and comments (needs a member's consent)");
        return new OpenAPI()
                .info(new Info().title("Hypertube API").version("1").description(
                        "Films, members and comments of a Hypertube server. Errors are RFC 9457 problem details."))
                .components(new Components().addSecuritySchemes("oauth2", new SecurityScheme()
                        .type(SecurityScheme.Type.OAUTH2)
                        .flows(new OAuthFlows()
                                .clientCredentials(new OAuthFlow().tokenUrl("/oauth/token").scopes(scopes))
                                .authorizationCode(new OAuthFlow().authorizationUrl("/oauth/authorize")
                                        .tokenUrl("/oauth/token").refreshUrl("/oauth/token").scopes(scopes)))));
    }
}
