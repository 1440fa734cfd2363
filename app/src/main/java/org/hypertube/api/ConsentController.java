package org.hypertube.api;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.springframework.http.HttpStatus;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;

/** The page where a member lets a program act for them, in the member's language. */
@Controller
class ConsentController {

    private static final Set<String> KNOWN = Set.of(ApiSecurity.READ, ApiSecurity.WRITE);

    private final RegisteredClientRepository clients;

    ConsentController(RegisteredClientRepository clients) {
        this.clients = clients;
    }

    @GetMapping(AuthorizationServer.CONSENT_PAGE)
    String consent(@RequestParam("client_id") String clientId, @RequestParam(defaultValue = "") String scope,
                   @RequestParam String state, Model model, jakarta.servlet.http.HttpServletResponse response) {
        var client = clients.findByClientId(clientId);
        if (client == null) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND);
        }
        List<String> scopes = Arrays.stream(scope.split(" ")).filter(KNOWN::contains).distinct().toList();
        // Consenting ends in a redirect to the program: the browser must be allowed to follow it.
        response.setHeader("Content-Security-Policy", org.hypertube.system.ContentSecurityPolicy.allowingFormTargets(
                client.getRedirectUris().stream().map(ConsentController::origin).toList()));
        model.addAttribute("clientId", clientId);
        model.addAttribute("clientName", client.getClientName());
        model.addAttribute("scopes", scopes);
        model.addAttribute("state", state);
        return "api/consent";
    }

    private static String origin(String uri) {
        var u = java.net.URI.create(uri);
        return u.getScheme() + "://" + u.getHost() + (u.getPort() < 0 ? "" : ":" + u.getPort());
    }
}
