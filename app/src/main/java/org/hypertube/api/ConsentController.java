package org.hypertube.api;

import jakarta.servlet.http.HttpServletResponse;
import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.hypertube.account.AccountService;
import org.hypertube.system.ContentSecurityPolicy;
import org.springframework.http.HttpStatus;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;

/**
 * The page where a member lets a program act for them, in the member's language. Any member can make
 * a program with any name, so the page says who made it (a member, by username, or this server's
 * operator), where the member's browser will be sent (the redirect addresses' hosts) and what each
 * permission allows, in plain words.
 */
@Controller
class ConsentController {

    private static final Set<String> KNOWN = Set.of(ApiSecurity.READ, ApiSecurity.WRITE);

    private final RegisteredClientRepository clients;
    private final ApiClients apiClients;
    private final AccountService accounts;

    ConsentController(RegisteredClientRepository clients, ApiClients apiClients, AccountService accounts) {
        this.clients = clients;
        this.apiClients = apiClients;
        this.accounts = accounts;
    }

    @GetMapping(AuthorizationServer.CONSENT_PAGE)
    String consent(@RequestParam("client_id") String clientId, @RequestParam(defaultValue = "") String scope,
                   @RequestParam String state, Model model, HttpServletResponse response) {
        var client = clients.findByClientId(clientId);
        if (client == null) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND);
        }
        List<String> scopes = Arrays.stream(scope.split(" ")).filter(KNOWN::contains).distinct().toList();
        // Consenting ends in a redirect to the program: the browser must be allowed to follow it.
        response.setHeader("Content-Security-Policy", ContentSecurityPolicy.allowingFormTargets(
                client.getRedirectUris().stream().map(ConsentController::origin).toList()));
        model.addAttribute("clientId", clientId);
        model.addAttribute("clientName", client.getClientName());
        // A client without an owner is the operator's, written from the environment at start-up.
        model.addAttribute("maker", apiClients.owner(client.getId())
                .map(id -> accounts.publicProfile(id).map(AccountService.PublicProfile::username).orElse("?"))
                .orElse(null));
        model.addAttribute("redirectHosts", client.getRedirectUris().stream().map(u -> URI.create(u).getHost()).distinct().toList());
        model.addAttribute("scopes", scopes);
        model.addAttribute("state", state);
        return "api/consent";
    }

    private static String origin(String uri) {
        var u = URI.create(uri);
        return u.getScheme() + "://" + u.getHost() + (u.getPort() < 0 ? "" : ":" + u.getPort());
    }
}
